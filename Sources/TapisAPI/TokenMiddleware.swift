import HTTPTypes
import Hummingbird
import Logging
import TapisCore
import TapisEngine

/// Identifies the caller of a TCP request from its `X-Tapis-Token`; a request without a valid one is
/// refused (401) before any route runs, except the probes and the OpenAPI document.
struct TokenMiddleware: RouterMiddleware {
    let tokens: TokenAuthority
    let users: UserDirectory

    /// Paths anyone may call (Tapis's probes, and the API's own description).
    static let openPaths: Set<String> = ["/v3/jobs/healthcheck", "/v3/jobs/readycheck", "/v3/tapisd/openapi.json"]
    static let header = HTTPField.Name("X-Tapis-Token")!

    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.viaToken = true
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let token = request.headers[Self.header], !token.isEmpty else {
            throw TapisError(.unauthorized, "send a token in X-Tapis-Token; mint one with `tapis tokens create` on this host")
        }
        let name = try await tokens.user(of: token)
        context.caller = try users.caller(name: name)
        context.logger[metadataKey: "user"] = "\(name)"
        return try await next(request, context)
    }
}
