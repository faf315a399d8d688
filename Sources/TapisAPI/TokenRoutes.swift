import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine
import TapisStore

/// `/v3/tokens`: tokens for the TCP listener. A user mints one for themselves over the Unix socket
/// (where the kernel vouches for them), lists theirs and revokes any of them; an administrator sees
/// and revokes all, and rotates the signing key.
struct TokenRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.post("v3/tokens", use: create)
        router.get("v3/tokens", use: list)
        router.delete("v3/tokens/:jti", use: revoke)
        router.post("v3/tokens/rotate-key", use: rotateKey)
    }

    @Sendable func create(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        guard !context.viaToken else {
            throw TapisError(.forbidden, "tokens are minted over tapisd's Unix socket (tapis tokens create), where the kernel vouches for who you are")
        }
        let lifetime = TimeInterval(try request.integer("ttl", default: Int(TokenAuthority.defaultLifetime)))
        let (token, record) = try await services.tokens.mint(for: caller.name, lifetime: lifetime)
        Audit.record(context.logger, "token minted", kind: "token", user: caller.name, ["token.jti": "\(record.jti)"])
        let answer = IssuedToken(token, record: record)
        return try TapisResponse.success(answer, message: "TAPIS_CREATED Token \(record.jti) for \(caller.name).", status: .created, request: request)
    }

    @Sendable func list(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let tokens = try await services.store.tokens(of: caller.isAdmin ? nil : caller.name)
        return try TapisResponse.success(tokens, message: "TAPIS_FOUND \(tokens.count) token(s).", request: request)
    }

    @Sendable func revoke(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let jti = try context.parameters.require("jti")
        guard let token = try await services.store.revokeToken(jti, of: caller.isAdmin ? nil : caller.name) else {
            throw TapisError(.notFound, "no token \(jti) that you can revoke")
        }
        Audit.record(context.logger, "token revoked", kind: "token", user: caller.name, ["token.jti": "\(jti)"])
        return try TapisResponse.success(token, message: "TAPIS_DELETED Token \(jti) is revoked.", request: request)
    }

    @Sendable func rotateKey(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        guard caller.isAdmin, !context.viaToken else {
            throw TapisError(.forbidden, "only root or the admin group, over the Unix socket, may rotate the token signing key")
        }
        try await services.tokens.rotateKey()
        Audit.record(context.logger, "token signing key rotated", kind: "token", user: caller.name)
        return try TapisResponse.success(NoResult(), message: "The token signing key was replaced; every token minted before no longer works.", request: request)
    }
}
