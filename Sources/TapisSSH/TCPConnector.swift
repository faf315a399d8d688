import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// Opens a TCP connection with a timeout, trying each address of the host in turn.
enum TCPConnector {
    /// - Throws: `TapisError.unavailable` naming the host, port and reason (refused, unreachable,
    ///   timed out, unknown host).
    static func connect(host: String, port: Int, timeout: Duration) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw TapisError(.unavailable, "cannot resolve host \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.ai_protocol)
            if descriptor < 0 { continue }
            _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
            if Glibc.connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
                var fds = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
                let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
                if poll(&fds, 1, milliseconds) == 1 {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
                    if error == 0 {
                        var one: Int32 = 1
                        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                        return descriptor
                    }
                    lastError = String(cString: strerror(error))
                } else {
                    lastError = "no answer within \(timeout)"
                }
            } else {
                lastError = String(cString: strerror(errno))
            }
            close(descriptor)
        }
        throw TapisError(.unavailable, "cannot connect to \(host) port \(port): \(lastError)")
    }
}
