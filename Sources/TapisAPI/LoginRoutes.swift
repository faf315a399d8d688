import Foundation
import HTTPTypes
import Hummingbird
public import NIOCore
import TapisCore

/// `POST /v3/oauth2/tokens`: Tapis's token endpoint as tapipy's `get_tokens()` calls it, with a
/// JSON or form-encoded body. Served without a token; `LoginService` holds every rule.
struct LoginRoutes: Sendable {
    let services: APIServices

    /// A login body is a few fields; anything bigger is refused before it is read.
    static let maximumBody = 64 * 1024

    func register(on router: Router<TapisRequestContext>) {
        router.post("v3/oauth2/tokens", use: create)
    }

    /// Tapis's `NewToken` fields tapisd reads.
    struct NewToken: Decodable {
        var grant_type: String?
        var username: String?
        var password: String?
        var refresh_token: String?
        var client_id: String?
        var client_key: String?
    }

    @Sendable func create(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let body = try await Self.read(request)
        let source = Self.source(of: context.channel)
        // Basic credentials, as tapipy sends them, or the body's client_id and client_key.
        let client = OAuthClients.Credentials(authorization: request.headers[.authorization])
            ?? body.client_id.map { OAuthClients.Credentials(id: $0, secret: body.client_key ?? "") }
        let outcome: LoginService.Outcome
        switch body.grant_type {
        case "password":
            outcome = try await services.logins.passwordGrant(user: body.username ?? "", password: body.password ?? "", client: client, source: source)
        case "refresh_token":
            guard let token = body.refresh_token, !token.isEmpty else { throw TapisError.invalid("refresh_token", "is required for grant_type refresh_token") }
            outcome = try await services.logins.refreshGrant(refreshToken: token, client: client, source: source)
        case nil, "":
            throw TapisError.invalid("grant_type", "is required (password or refresh_token)")
        case let other?:
            throw TapisError.invalid("grant_type", "\(other.debugDescription) is not one tapisd grants; use password or refresh_token")
        }
        switch outcome {
        case .granted(let grant):
            let tokens = IssuedTokens(
                access_token: IssuedToken(grant.access.token, record: grant.access.record),
                refresh_token: grant.refresh.map { IssuedRefreshToken($0.token, record: $0.record) })
            return try TapisResponse.success(tokens, message: "Token created successfully.", status: .created, request: request)
        case .wait(let seconds):
            var response = TapisResponse.error(
                TapisError(.unavailable, "too many failed logins for this user or from this address, or logins at once; try again in \(seconds) s"),
                status: .tooManyRequests)
            response.headers[.retryAfter] = "\(seconds)"
            return response
        }
    }

    /// The body as JSON, or as an HTML form when it says so.
    /// - Throws: `TapisError.badRequest` for a body that is neither.
    static func read(_ request: Request) async throws -> NewToken {
        let buffer = try await request.body.collect(upTo: maximumBody)
        let data = Data(buffer.readableBytesView)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let fields = FormFields(String(decoding: data, as: UTF8.self))
            return NewToken(grant_type: fields["grant_type"], username: fields["username"], password: fields["password"], refresh_token: fields["refresh_token"],
                client_id: fields["client_id"], client_key: fields["client_key"])
        }
        do { return try JSONDecoder().decode(NewToken.self, from: data) } catch {
            throw TapisError(.badRequest, "the body must be a JSON object (or a form, with Content-Type application/x-www-form-urlencoded) with grant_type and either username and password or refresh_token")
        }
    }

    static func source(of channel: any Channel) -> String { ClientAddress.of(channel) }
}

/// The client's address (the back-off and the audit line are per address).
public enum ClientAddress {
    public static func of(_ channel: any Channel) -> String {
        switch channel.remoteAddress {
        case .some(.unixDomainSocket): return "unix-socket"
        case .some(let address): return address.ipAddress ?? "\(address)"
        case nil: return "unknown"
        }
    }
}
