import HTTPTypes
import Hummingbird
import TapisCore

/// Lets the web pages of the configured origins call the TCP listener from a browser: a preflight
/// (`OPTIONS` with an `Origin`) from one of them is answered at once, without a token, and their
/// answers carry `Access-Control-Allow-Origin`. A preflight from any other origin is refused (403);
/// its other requests get no CORS headers, so its page cannot read them. No credentials (cookies)
/// are ever allowed: tapisd's tokens travel in `X-Tapis-Token`. It runs outside the error
/// middleware, so that an allowed page can read error envelopes too.
struct CORSPolicy: RouterMiddleware {
    let origins: Set<String>

    static let allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowedHeaders = "X-Tapis-Token, Content-Type, Authorization, Accept"

    func handle(_ request: Request, context: TapisRequestContext, next: (Request, TapisRequestContext) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = origins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                return TapisResponse.error(TapisError(.forbidden, "web pages from \(origin) may not call tapisd (the administrator lists the allowed origins in corsOrigins)"))
            }
            return Response(status: .noContent, headers: [
                .accessControlAllowOrigin: origin, .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: Self.allowedHeaders, .accessControlMaxAge: "600", .vary: "Origin",
            ])
        }
        var response = try await next(request, context)
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "Retry-After"
            response.headers[.vary] = "Origin"
        }
        return response
    }
}
