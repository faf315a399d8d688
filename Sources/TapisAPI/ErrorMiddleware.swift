import Hummingbird
import Logging
import NIOCore
import TapisCore

/// Answers every failure with a Tapis error envelope: `TapisError`s with their own status and
/// message, Hummingbird's errors (unknown route, body too large) with theirs, anything else as a
/// 500 whose detail goes to the log, not to the client.
struct ErrorMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        let pretty = request.uri.queryParameters["pretty"] == "true"
        do {
            let response = try await next(request, context)
            return response
        } catch let error as TapisError {
            if error.code == .internal { context.logger.error("request failed", metadata: ["error": "\(error.message)"]) }
            return TapisResponse.error(error, pretty: pretty)
        } catch let error as HTTPError {
            let code: TapisError.Code
            switch error.status.code {
            case 404: code = .notFound
            case 401: code = .unauthorized
            case 403: code = .forbidden
            case 409: code = .conflict
            case 400..<500: code = .badRequest
            default: code = .internal
            }
            return TapisResponse.error(TapisError(code, error.body ?? error.status.reasonPhrase), status: error.status, pretty: pretty)
        } catch let error as NIOTooManyBytesError {
            let limit = error.maxBytes.map { "\($0) bytes" } ?? "its limit"
            return TapisResponse.error(TapisError(.badRequest, "the request body is larger than this call takes (\(limit))"), status: .contentTooLarge, pretty: pretty)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return TapisResponse.error(TapisError(.internal, "tapisd failed to handle the request; the daemon's log has the details"), pretty: pretty)
        }
    }
}
