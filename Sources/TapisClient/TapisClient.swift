import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization
import TapisCore

/// The HTTP methods the tapisd API uses.
public enum Method: String, Sendable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
}

/// A client of the tapisd API: on its Unix socket, where the caller is whatever Unix user runs it,
/// or over TCP (HTTP or HTTPS) with a token. It speaks plain Tapis v3 HTTP.
public struct TapisClient: Sendable {
    /// Where the daemon is.
    public enum Endpoint: Sendable, Equatable {
        case socket(String)
        /// A base URL (`https://host:8443`), the token sent as `X-Tapis-Token` (nil: none, as for a
        /// login), and a PEM file of the CAs to trust instead of the system's.
        case remote(url: String, token: String?, caFile: String?)
    }

    public let endpoint: Endpoint
    /// How long one request may take.
    public var timeout: TimeAmount = .seconds(60)

    public init(socketPath: String) {
        endpoint = .socket(socketPath)
    }

    public init(endpoint: Endpoint) {
        self.endpoint = endpoint
    }

    /// Sends a request and returns the `result` of the success envelope, decoded.
    /// - Throws: `TapisClientError` with the daemon's message for an error envelope or an
    ///   unreachable daemon.
    public func result<T: Decodable>(
        _ type: T.Type, _ method: Method, _ path: String, query: [String: String] = [:], body: Data? = nil
    ) async throws -> T {
        let data = try await call(method, path, query: query, body: body)
        do {
            return try TapisJSON.decoder().decode(ResultEnvelope<T>.self, from: data).result
        } catch {
            throw TapisClientError(status: 0, message: "tapisd answered something this client cannot read: \(error)")
        }
    }

    /// Sends a request and returns the whole success envelope as bytes.
    /// - Throws: `TapisClientError`.
    public func call(_ method: Method, _ path: String, query: [String: String] = [:], body: Data? = nil) async throws -> Data {
        var data = Data()
        let status = try await send(method, path, query: query, body: body) { chunk in data.append(contentsOf: chunk) }
        guard (200..<300).contains(status) else { throw TapisClientError(status: status, envelope: data) }
        return data
    }

    /// Streams a response body (a download) to `consumer`; `onSize` first learns its length, when
    /// the daemon knows it (a single file; a zipped directory has none).
    /// - Throws: `TapisClientError` with the daemon's message when it answers with an error.
    public func download(
        _ path: String, query: [String: String] = [:], onSize: @escaping @Sendable (Int64?) -> Void = { _ in },
        into consumer: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws {
        var errorBody = Data()
        var failed = false
        let status = try await send(.get, path, query: query, body: nil) { chunk in
            if failed { errorBody.append(contentsOf: chunk) } else { try await consumer(chunk) }
        } onHead: { status, length in
            failed = !(200..<300).contains(status)
            if !failed { onSize(length) }
        }
        if failed { throw TapisClientError(status: status, envelope: errorBody) }
    }

    /// Follows a server-sent event stream, handing each event to `onEvent`, until the daemon ends
    /// the stream (the caller resumes a dropped one with the last event's id).
    /// - Throws: `TapisClientError` with the daemon's message when it answers with an error, or
    ///   when the connection breaks.
    public func events(
        _ path: String, query: [String: String] = [:], onEvent: @escaping @Sendable (ServerSentEvent) async throws -> Void
    ) async throws {
        var streaming = self
        streaming.timeout = .hours(24)
        let parser = Mutex(ServerSentEventParser())
        try await streaming.download(path, query: query) { chunk in
            for event in parser.withLock({ $0.feed(chunk) }) { try await onEvent(event) }
        }
    }

    /// The HTTP client of every `TapisClient`: `HTTPClient.shared`'s settings, except that a failed
    /// connect fails the call at once instead of being retried until the call's timeout, and a
    /// redirect is never followed (it would carry the token, or a login's password, elsewhere). A
    /// missing or refused socket means the daemon is not running (or died mid-call), and the user
    /// should hear so in a moment, not after a minute.
    private static let http = makeHTTPClient(tls: nil)

    /// The HTTP clients that trust a given CA file, one per file for the process's life.
    private static let trusting = Mutex<[String: HTTPClient]>([:])

    private static func makeHTTPClient(tls: TLSConfiguration?) -> HTTPClient {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        if let tls { configuration.tlsConfiguration = tls }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    private static func http(trusting caFile: String?) throws -> HTTPClient {
        guard let caFile else { return http }
        return try trusting.withLock { clients in
            if let client = clients[caFile] { return client }
            var tls = TLSConfiguration.makeClientConfiguration()
            do { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) } catch {
                throw TapisClientError(status: 0, message: "cannot read the CA file \(caFile): \(error)")
            }
            let client = makeHTTPClient(tls: tls)
            clients[caFile] = client
            return client
        }
    }

    private func send(
        _ method: Method, _ path: String, query: [String: String], body: Data?,
        chunk: ([UInt8]) async throws -> Void, onHead: (Int, Int64?) -> Void = { _, _ in }
    ) async throws -> Int {
        var components = URLComponents()
        components.path = path
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let uri = components.percentEncodedPath.isEmpty ? nil : components.string else {
            throw TapisClientError(status: 0, message: "cannot build a request for \(path)")
        }
        let url: String
        let client: HTTPClient
        var headers: [(String, String)] = []
        switch endpoint {
        case .socket(let socketPath):
            guard let socketURL = URL(httpURLWithSocketPath: socketPath, uri: uri) else {
                throw TapisClientError(status: 0, message: "cannot build a request for \(path)")
            }
            url = socketURL.absoluteString
            client = Self.http
        case .remote(let base, let token, let caFile):
            url = base + uri
            client = try Self.http(trusting: caFile)
            if let token { headers.append(("X-Tapis-Token", token)) }
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method.rawValue)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            switch endpoint {
            case .socket(let socketPath):
                throw TapisClientError(status: 0, message: "cannot reach tapisd at \(socketPath) (\(error)); is it running, and is that its socket?")
            case .remote(let base, _, _):
                throw TapisClientError(status: 0, message: "cannot reach tapisd at \(base) (\(error))")
            }
        }
        let status = Int(response.status.code)
        onHead(status, response.headers.first(name: "Content-Length").flatMap { Int64($0) })
        for try await buffer in response.body { try await chunk(Array(buffer.readableBytesView)) }
        return status
    }
}

/// The part of a success envelope the client reads.
private struct ResultEnvelope<T: Decodable>: Decodable {
    var result: T
}

/// A failed call: the daemon's own message from its error envelope, or why it could not be reached.
public struct TapisClientError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status (0 when the daemon was not reached).
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    init(status: Int, envelope: Data) {
        struct ErrorEnvelope: Decodable { var message: String }
        let message = (try? JSONDecoder().decode(ErrorEnvelope.self, from: envelope).message)
            ?? String(decoding: envelope.prefix(500), as: UTF8.self)
        self.init(status: status, message: message)
    }

    public var description: String { message }
}
