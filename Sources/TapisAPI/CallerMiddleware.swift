import Hummingbird
import Logging
import TapisCore

/// Identifies the caller of every request from the kernel's peer credentials; a request with none
/// is refused before any route runs.
struct CallerMiddleware: RouterMiddleware {
    let users: UserDirectory

    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let peer = try await PeerCredentials.of(context.channel)
        context.caller = try users.caller(uid: peer.uid)
        context.logger[metadataKey: "peer.uid"] = "\(peer.uid)"
        return try await next(request, context)
    }
}
