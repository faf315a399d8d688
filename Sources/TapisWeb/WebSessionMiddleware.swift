import Foundation
import HTTPTypes
import Logging
import Hummingbird
import TapisAPI
import TapisCore
import TapisEngine

/// Identifies the browser's user from the session cookie for every page but the login: a page
/// asked for without a live session answers with a redirect to the login (a post with 401).
struct WebSessionMiddleware: RouterMiddleware {
    let portal: WebPortal

    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        guard let session = await portal.session(of: request, isUse: !WebPortal.isBackground(request)) else {
            if request.method == .get {
                let back = request.uri.path == "/" ? "" : "?next=" + request.uri.path.percentEncoded(keeping: "/")
                return WebPage.redirect("/login" + back, clearing: true, secure: portal.secure)
            }
            return WebPage.response(LoginPage.render(error: "Your session ended; log in again.", next: nil), status: .unauthorized)
        }
        var context = context
        do {
            context.caller = try portal.services.users.caller(name: session.username)
        } catch {
            return WebPage.failure(error, nil, logger: context.logger)
        }
        context.browserSession = session.session
        context.logger[metadataKey: "user"] = "\(session.username)"
        return try await next(request, context)
    }
}
