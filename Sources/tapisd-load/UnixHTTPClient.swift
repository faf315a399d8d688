import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client on one keep-alive connection to a Unix socket: the load
/// generator's side, kept cheap so that the daemon, not the client, is what the figures measure.
final class UnixHTTPClient {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    private let socket: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        socket = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw LoadError("cannot connect to \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(socket) }

    /// Sends one request and reads its whole response.
    func send(_ method: String, _ path: String, body: [UInt8] = []) throws -> Response {
        var request = Array("\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        request += body
        var sent = 0
        while sent < request.count {
            let written = request.withUnsafeBytes { write(socket, $0.baseAddress! + sent, request.count - sent) }
            guard written > 0 else { throw LoadError("write failed: \(String(cString: strerror(errno)))") }
            sent += written
        }
        let head = try readHead()
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let lines = head.lowercased().split(separator: "\r\n")
        if let length = lines.first(where: { $0.hasPrefix("content-length:") }).flatMap({ Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) }) {
            return Response(status: status, body: try readBytes(length))
        }
        guard lines.contains(where: { $0.hasPrefix("transfer-encoding:") && $0.contains("chunked") }) else { return Response(status: status, body: []) }
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) ?? 0
            if size == 0 {
                _ = try readLine()
                return Response(status: status, body: body)
            }
            body += try readBytes(size)
            _ = try readLine()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { read(socket, $0.baseAddress!, $0.count) }
        guard count > 0 else { throw LoadError("the daemon closed the connection") }
        buffer += chunk[..<count]
    }

    private func readHead() throws -> String {
        while true {
            if let end = buffer.firstRange(of: [13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<end.upperBound)
                return head
            }
            try fill()
        }
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer.firstRange(of: [13, 10]) {
                let line = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<end.upperBound)
                return line
            }
            try fill()
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeSubrange(..<count) }
        return Array(buffer[..<count])
    }
}

/// A benchmark failure, with what went wrong.
struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
