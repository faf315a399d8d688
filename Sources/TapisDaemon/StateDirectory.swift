import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's state directory, held with an exclusive lock for the daemon's whole life: two
/// daemons never share one store, which is what lets a starting daemon take over the leases of a
/// crashed one at once.
final class StateDirectory: Sendable {
    let path: String
    private let lockDescriptor: Int32

    /// Creates the directory (and the world-writable, sticky work directory of the built-in system)
    /// and takes the lock.
    /// - Throws: `TapisError.conflict` when another daemon holds it.
    init(configuration: DaemonConfiguration) throws {
        path = configuration.stateDirectory
        try Self.makeDirectory(path, mode: 0o755)
        try Self.makeDirectory(configuration.databaseDirectory, mode: 0o700)
        try Self.makeDirectory(configuration.workDirectory, mode: 0o1777)
        let lockPath = path + "/tapisd.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TapisError(.internal, "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw TapisError(.conflict, "another tapisd is using \(path) (it holds \(lockPath)); stop it first or use another --state-dir")
        }
        lockDescriptor = descriptor
        let pid = "\(getpid())\n"
        ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit { close(lockDescriptor) }

    private static func makeDirectory(_ path: String, mode: mode_t) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw TapisError(.internal, "cannot create \(path): \(error.localizedDescription)")
        }
        guard chmod(path, mode) == 0 else { throw TapisError(.internal, "cannot set the mode of \(path): \(String(cString: strerror(errno)))") }
    }
}
