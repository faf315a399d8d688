import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP conversation with the relay, over SwiftNIO: replies are read line by line, and
/// STARTTLS puts TLS in front of the same connection.
struct SMTPSession {
    /// A relay's reply: its code and its text (the lines joined).
    struct Reply {
        var code: Int
        var text: String
    }

    /// A reply other than the expected one, or a broken conversation.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []

    /// Connects to the relay, reads its greeting, runs `body` and closes the connection.
    static func run<T: Sendable>(host: String, port: Int, _ body: (inout SMTPSession) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(channel: channel.channel, inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220)
            return try await body(&session)
        }
    }

    /// Sends a command line and reads the reply, which must have the code `expected` (or one of `also`).
    @discardableResult
    mutating func command(_ line: String, expect expected: Int, also: Set<Int> = [], shown: String? = nil) async throws -> Reply {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        return try await expect(expected, also: also, after: shown ?? line)
    }

    /// Sends raw bytes (a message's data, ending in `.`) and reads the reply.
    mutating func data(_ bytes: [UInt8], expect expected: Int) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
        try await expect(expected, after: "the message data")
    }

    /// Puts TLS in front of the connection, checking the relay's certificate for `host`. Bytes
    /// already come in clear after the relay's go-ahead would pass for answers under TLS: that is
    /// someone on the path, and the message is not sent.
    func startTLS(host: String, caFile: String?) async throws {
        guard pending.isEmpty else { throw Failure(description: "the relay sent more after agreeing to STARTTLS; someone on the path may be injecting answers") }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
        let context = try NIOSSLContext(configuration: tls)
        let channel = channel
        try await channel.eventLoop.submit {
            let handler = try NIOSSLClientHandler(context: context, serverHostname: host.first?.isNumber == true ? nil : host)
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }.get()
    }

    @discardableResult
    private mutating func expect(_ expected: Int, also: Set<Int> = [], after what: String = "connecting") async throws -> Reply {
        let reply = try await readReply()
        guard reply.code == expected || also.contains(reply.code) else {
            throw Failure(description: "the relay answered \(what.prefix(40)) with \(reply.code) \(reply.text.prefix(200))")
        }
        return reply
    }

    /// Reads one reply: lines `NNN-text` until `NNN text`.
    private mutating func readReply() async throws -> Reply {
        var lines: [String] = []
        while true {
            let line = try await readLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw Failure(description: "the relay sent \(line.prefix(80).debugDescription), not an SMTP reply") }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return Reply(code: code, text: lines.joined(separator: " ")) }
            guard lines.count < 100 else { throw Failure(description: "the relay's reply goes on beyond 100 lines") }
        }
    }

    private mutating func readLine() async throws -> String {
        while true {
            if let end = pending.firstIndex(of: 0x0A) {
                let line = pending[..<end]
                pending.removeSubrange(...end)
                return String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            }
            guard pending.count < 8192 else { throw Failure(description: "the relay sent a line longer than 8 KB") }
            guard let buffer = try await inbound.next() else { throw Failure(description: "the relay closed the connection") }
            pending += buffer.readableBytesView
        }
    }
}
