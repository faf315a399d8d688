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

    /// The paths anyone may call, as the OpenAPI document marks them (`open`): the probes, the
    /// document itself, what tapipy asks before it has a token, and the login. Each is its
    /// segments, `nil` standing for a path parameter.
    static let openPaths: [[Substring?]] = OpenAPIOperation.all.filter(\.open).map { operation in
        operation.path.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 }
    }

    /// Whether `path` may be called without a token.
    static func isOpen(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        return openPaths.contains { template in
            template.count == segments.count && zip(template, segments).allSatisfy { expected, actual in expected.map { $0 == actual } ?? !actual.isEmpty }
        }
    }

    static let header = HTTPField.Name("X-Tapis-Token")!

    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.viaToken = true
        // Only the API's paths need a token; the web page's have their own session.
        // (Split as the router splits, empty segments dropped: `//v3/…` is an API path too.)
        let isAPI = request.uri.path.split(separator: "/").first == "v3"
        if Self.isOpen(request.uri.path) || !isAPI { return try await next(request, context) }
        guard let token = request.headers[Self.header], !token.isEmpty else {
            throw TapisError(.unauthorized, "send a token in X-Tapis-Token; log in with POST /v3/oauth2/tokens (tapis login), or mint one with `tapis tokens create` on this host")
        }
        let caller: Caller
        do {
            caller = try await Self.caller(of: token, tokens: tokens, users: users)
        } catch let error as TapisError {
            Audit.record(
                context.logger, "token rejected", kind: "token", user: "-",
                ["source": "\(context.channel.remoteAddress?.ipAddress ?? "?")", "path": "\(request.uri.path)", "reason": "\(error.message)"])
            throw error
        }
        context.caller = caller
        context.logger[metadataKey: "user"] = "\(caller.name)"
        return try await next(request, context)
    }

    /// The caller a token stands for.
    /// - Throws: `TapisError.unauthorized` for a bad or expired token.
    static func caller(of token: String, tokens: TokenAuthority, users: UserDirectory) async throws -> Caller {
        try users.caller(name: try await tokens.user(of: token))
    }
}
