import Hummingbird
import Logging
import TapisCore

/// Answers every failure with a Tapis error envelope, as `ErrorReport` tells it.
struct ErrorMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (error, status) = ErrorReport.of(error, logger: context.logger)
            return TapisResponse.error(error, status: status, pretty: request.uri.queryParameters["pretty"] == "true")
        }
    }
}
