import HTTPTypes
import Hummingbird
import Logging
import TapisCore
import TapisEngine

/// Identifies the caller of a TCP request from its `X-Tapis-Token`; a request without a valid one is
/// refused (401) before any route runs, except the probes, the OpenAPI document, the sites and
/// tenants, and the login itself.
struct TokenMiddleware: RouterMiddleware {
    let tokens: TokenAuthority
    let users: UserDirectory

    /// Paths anyone may call (Tapis's probes, the API's own description, what tapipy asks before it
    /// has a token, and the login).
    static let openPaths: Set<String> = Set(["/v3/jobs/healthcheck", "/v3/jobs/readycheck", "/v3/tapisd/openapi.json", LoginRoutes.path] + TenantRoutes.paths)

    /// Whether `path` may be called without a token (one tenant, by id, is as open as the list).
    static func isOpen(_ path: String) -> Bool {
        openPaths.contains(path) || (path.hasPrefix("/v3/tenants/") && !path.dropFirst("/v3/tenants/".count).contains("/"))
    }
    static let header = HTTPField.Name("X-Tapis-Token")!

    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.viaToken = true
        if Self.isOpen(request.uri.path) { return try await next(request, context) }
        guard let token = request.headers[Self.header], !token.isEmpty else {
            throw TapisError(.unauthorized, "send a token in X-Tapis-Token; log in with POST /v3/oauth2/tokens (tapis login), or mint one with `tapis tokens create` on this host")
        }
        let name = try await tokens.user(of: token)
        context.caller = try users.caller(name: name)
        context.logger[metadataKey: "user"] = "\(name)"
        return try await next(request, context)
    }
}
