import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine

/// `/v3/systems/credential/{systemId}/user/{userName}`: a user's own credential for a system
/// (Tapis's `createUserCredential`, `removeUserCredential`, `checkUserCredential`). Credentials are
/// never returned and never logged.
struct CredentialRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        let path = "v3/systems/credential/:systemId/user/:userName"
        router.post(RouterPath(path), use: create)
        router.delete(RouterPath(path), use: remove)
        router.get(RouterPath(path), use: refuse)
        router.post(RouterPath(path + "/check"), use: check)
        router.post(RouterPath(path + "/keygen"), use: keygen)
    }

    /// What a key generated for a user is for.
    struct GeneratedKey: Encodable, Sendable {
        var publicKey: String
        var loginUser: String
        var host: String
    }

    private func target(_ context: TapisRequestContext) throws -> (system: String, user: String) {
        (try context.parameters.require("systemId"), try context.parameters.require("userName"))
    }

    @Sendable func create(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (system, user) = try target(context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        let credential = try TapisJSON.decode(UserCredential.self, from: Data(body.readableBytesView))
        try await services.credentials.save(
            credential, system: system, user: user, by: caller, skipCheck: request.uri.queryParameters["skipCredentialCheck"] == "true")
        Audit.record(context.logger, "credential stored", kind: "credential", user: caller.name, ["system": "\(system)", "credential.user": "\(user)"])
        return try TapisResponse.success(
            Optional<String>.none, message: "SYSAPI_CRED_UPDATED Credential for \(user) on system \(system) stored (sealed; never returned).",
            status: .created, request: request)
    }

    @Sendable func remove(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (system, user) = try target(context)
        try await services.credentials.remove(system: system, user: user, by: caller)
        Audit.record(context.logger, "credential removed", kind: "credential", user: caller.name, ["system": "\(system)", "credential.user": "\(user)"])
        return try TapisResponse.success(Optional<String>.none, message: "SYSAPI_CRED_DELETED Credential for \(user) on system \(system) removed.", status: .created, request: request)
    }

    @Sendable func check(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (system, user) = try target(context)
        try await services.credentials.check(system: system, user: user, by: caller)
        return try TapisResponse.success(Optional<String>.none, message: "SYSAPI_CRED_OK The credential of \(user) logs in to system \(system).", request: request)
    }

    @Sendable func keygen(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (system, user) = try target(context)
        let (publicKey, login) = try await services.credentials.generateKey(system: system, user: user, by: caller)
        Audit.record(context.logger, "credential generated", kind: "credential", user: caller.name, ["system": "\(system)", "credential.user": "\(user)"])
        let host = try await services.catalog.system(system)?.host ?? system
        return try TapisResponse.success(
            GeneratedKey(publicKey: publicKey, loginUser: login, host: host),
            message: "TAPISD_CRED_GENERATED A key pair for \(user) on system \(system) is stored; add the public key to ~/.ssh/authorized_keys of \(login) on \(host).",
            status: .created, request: request)
    }

    @Sendable func refuse(_ request: Request, context: TapisRequestContext) async throws -> Response {
        throw TapisError(.forbidden, "credentials are never returned; check one with POST …/check, replace it with POST, or remove it with DELETE")
    }
}
