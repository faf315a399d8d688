import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// The listening socket systemd passed to the daemon (`tapisd.socket`, socket activation): it
/// stays bound while the daemon restarts or is upgraded, so clients wait instead of being refused.
enum SocketActivation {
    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    static let firstDescriptor: Int32 = 3

    /// The Unix socket passed for `path`, or nil when systemd passed none (the daemon then binds
    /// the path itself). Reads `LISTEN_PID` and `LISTEN_FDS` once and unsets them, and marks the
    /// descriptor close-on-exec, so that no command or job the daemon starts inherits it.
    /// - Throws: `TapisError.badRequest` when the passed socket is not a listening Unix socket
    ///   bound to `path` (the socket unit and the config file disagree).
    static func inheritedSocket(for path: String) throws -> Int32? {
        let environment = ProcessInfo.processInfo.environment
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
            let count = environment["LISTEN_FDS"].flatMap(Int32.init), count >= 1
        else { return nil }
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        for descriptor in firstDescriptor..<(firstDescriptor + count) {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        let bound = boundPath(of: firstDescriptor)
        guard bound == path else {
            throw TapisError(
                .badRequest,
                "systemd passed a socket bound to \(bound.map { $0.debugDescription } ?? "something other than a Unix path"), but the config's socket is \(path.debugDescription); make tapisd.socket's ListenStream= and the socket key name the same path")
        }
        return firstDescriptor
    }

    /// The path a listening Unix stream socket is bound to.
    private static func boundPath(of descriptor: Int32) -> String? {
        var listening: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0, listening == 1 else { return nil }
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0, address.sun_family == sa_family_t(AF_UNIX) else { return nil }
        return withUnsafeBytes(of: address.sun_path) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
