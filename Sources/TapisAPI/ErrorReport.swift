public import HTTPTypes
import Hummingbird
public import Logging
import NIOCore
public import TapisCore

/// What a client is told of a failure: a `TapisError` with its own status and message,
/// Hummingbird's errors (unknown route, body too large) with theirs, anything else as a 500 whose
/// detail goes to the log, not to the client. The API's envelopes and the web page's error pages
/// both say it.
public enum ErrorReport {
    public static let internalMessage = "tapisd failed to handle the request; the daemon's log has the details"

    public static func of(_ error: any Error, logger: Logger) -> (error: TapisError, status: HTTPResponse.Status) {
        switch error {
        case let error as TapisError:
            if error.code == .internal { logger.error("request failed", metadata: ["error": "\(error.message)"]) }
            return (error, error.code.httpStatus)
        case let error as HTTPError:
            let code: TapisError.Code
            switch error.status.code {
            case 404: code = .notFound
            case 401: code = .unauthorized
            case 403: code = .forbidden
            case 409: code = .conflict
            case 400..<500: code = .badRequest
            default: code = .internal
            }
            return (TapisError(code, error.body ?? error.status.reasonPhrase), error.status)
        case let error as NIOTooManyBytesError:
            let limit = error.maxBytes.map { "\($0) bytes" } ?? "its limit"
            return (TapisError(.badRequest, "the request body is larger than this call takes (\(limit))"), .contentTooLarge)
        default:
            logger.error("request failed", metadata: ["error": "\(error)"])
            return (TapisError(.internal, internalMessage), .internalServerError)
        }
    }
}
