import Hummingbird
import Logging
import TapisCore
import TapisEngine
import TapisNotify

/// `/v3/tapisd/webhook-secret`: the secret that signs the caller's webhooks (`X-Tapis-Signature`),
/// which only they can read, and its rotation.
struct WebhookSecretRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/tapisd/webhook-secret", use: show)
        router.post("v3/tapisd/webhook-secret/rotate", use: rotate)
    }

    struct Secret: Encodable, Sendable {
        var secret: String
        var signatureHeader = "X-Tapis-Signature"
        var scheme = "sha256=<hex HMAC-SHA256 of the body, keyed with the secret's text>"
    }

    @Sendable func show(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let secret = try await services.signing.secret(of: caller.name)
        return try TapisResponse.success(Secret(secret: secret), message: "TAPISD_WEBHOOK_SECRET The secret that signs \(caller.name)'s webhooks.", request: request)
    }

    @Sendable func rotate(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let secret = try await services.signing.rotate(for: caller.name)
        Audit.record(context.logger, "webhook secret rotated", kind: "webhook-secret", user: caller.name)
        return try TapisResponse.success(Secret(secret: secret), message: "TAPISD_WEBHOOK_SECRET_ROTATED \(caller.name)'s webhooks are signed with a new secret from now on.", request: request)
    }
}
