import Foundation
public import Hummingbird
import NIOCore
public import TapisCore

/// The Tapis response envelope: `{status, message, result, version, metadata}`.
struct Envelope<Result: Encodable & Sendable>: Encodable, Sendable {
    var status: String
    var message: String
    var result: Result?
    var version: String
    var metadata: ListMetadata?
}

/// Metadata of list responses (Tapis `ResultListMetadata`).
struct ListMetadata: Encodable, Sendable {
    var recordCount: Int
    var recordLimit: Int
    var recordsSkipped: Int
    var orderBy: String?
    var startAfter: String?
    var totalCount: Int
}

/// An empty `result`.
struct NoResult: Encodable, Sendable {}

enum TapisResponse {
    static let version = "tapisd-0.1.0"

    /// A success envelope around `result`.
    static func success<Result: Encodable & Sendable>(
        _ result: Result, message: String, status: HTTPResponse.Status = .ok, metadata: ListMetadata? = nil, request: Request
    ) throws -> Response {
        let envelope = Envelope(status: "success", message: message, result: result, version: version, metadata: metadata)
        return try json(envelope, status: status, pretty: request.uri.queryParameters["pretty"] == "true")
    }

    /// A success envelope around `result`, which `encoded` already holds as `TapisJSON.encoder()`
    /// writes it: spliced in as it is (the envelope's keys in the same sorted order), unless the
    /// caller asks for `pretty` output.
    static func success<Result: Encodable & Sendable>(
        _ result: Result, encoded: Data, message: String, status: HTTPResponse.Status = .ok, request: Request
    ) throws -> Response {
        guard request.uri.queryParameters["pretty"] != "true" else { return try success(result, message: message, status: status, request: request) }
        let encoder = TapisJSON.encoder()
        var data = Data(#"{"message":"#.utf8)
        data.append(try encoder.encode(message))
        data.append(contentsOf: #","result":"#.utf8)
        data.append(encoded)
        data.append(contentsOf: #","status":"success","version":"#.utf8)
        data.append(try encoder.encode(version))
        data.append(contentsOf: "}\n".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An error envelope with the HTTP status of the error's code.
    /// The error envelope of `error`, with the status its kind maps to unless `status` says another.
    static func error(_ error: TapisError, status: HTTPResponse.Status? = nil, pretty: Bool = false) -> Response {
        let envelope = Envelope<NoResult>(status: "error", message: error.message, result: nil, version: version, metadata: nil)
        return (try? json(envelope, status: status ?? error.code.httpStatus, pretty: pretty))
            ?? Response(status: .internalServerError)
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status, pretty: Bool) throws -> Response {
        var data = try TapisJSON.encoder(pretty: pretty).encode(value)
        data.append(0x0A)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension TapisError.Code {
    /// The HTTP status this kind of error is answered with.
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .badRequest: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .unavailable: return .serviceUnavailable
        case .remoteFailure: return .badGateway
        case .internal: return .internalServerError
        case .notImplemented: return .notImplemented
        }
    }
}
