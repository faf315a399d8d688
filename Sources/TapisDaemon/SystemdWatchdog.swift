import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// systemd's watchdog (`WatchdogSec=`): `WATCHDOG=1` at most twice per period, sent only when the
/// engine's loop feeds it, so that a hung engine gets the daemon restarted. Exists only when
/// systemd asked this process for it (`$WATCHDOG_USEC`, and `$WATCHDOG_PID` if set is this pid).
final class SystemdWatchdog: Sendable {
    private let interval: Duration
    private let lastSent = Mutex<ContinuousClock.Instant?>(nil)

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], pid != String(getpid()) { return nil }
        interval = .microseconds(usec / 2)
    }

    /// Tells systemd the engine is alive, unless it was told less than half a period ago.
    func feed() {
        let now = ContinuousClock.now
        let due = lastSent.withLock { last in
            guard last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
        if due { SystemdNotifier.notify("WATCHDOG=1") }
    }
}
