import Hummingbird
import Logging
import TapisCore
import TapisEngine

/// An audit line for every request refused as forbidden (someone reaching for another user's
/// data, an administrator's call, a privileged option), naming who asked for what. It sits after
/// the middleware that knows the caller, and passes the refusal on unchanged.
struct DeniedRequestAudit: RouterMiddleware {
    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as TapisError where error.code == .forbidden {
            Audit.record(
                context.logger, "request denied", kind: "denied", user: context.caller?.name ?? "-",
                ["method": "\(request.method)", "path": "\(request.uri.path)", "reason": "\(error.message)"])
            throw error
        }
    }
}
