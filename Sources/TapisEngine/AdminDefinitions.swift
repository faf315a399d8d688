import Synchronization
import TapisCore

/// The administrator's systems and apps (the definition files and the built-in `local` system),
/// shared by every copy of the catalog, so that a reload of the files reaches them all at once.
final class AdminDefinitions: Sendable {
    struct Snapshot: Sendable {
        var systems: [String: TapisSystem]
        /// By `id@version`.
        var apps: [String: TapisApp]
    }

    private let state: Mutex<Snapshot>

    init(_ snapshot: Snapshot) {
        state = Mutex(snapshot)
    }

    var current: Snapshot { state.withLock { $0 } }

    func replace(with snapshot: Snapshot) {
        state.withLock { $0 = snapshot }
    }
}
