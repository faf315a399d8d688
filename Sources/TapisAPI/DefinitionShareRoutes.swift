import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine
import TapisTransport

/// `/v3/systems/share/{id}` and `/v3/apps/share/{id}` with `unshare`, `share_public` and
/// `unshare_public` (Tapis `shareSystem`, `getShareInfo`, …): who besides its owner may use a
/// system or app. Someone a system is shared with runs there with their own credential.
struct DefinitionShareRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        for kind in ["systems", "apps"] {
            router.get(RouterPath("v3/\(kind)/share/:id"), use: { try await info(kind, $0, $1) })
            router.post(RouterPath("v3/\(kind)/share/:id"), use: { try await change(kind, $0, $1) { .share($0) } })
            router.post(RouterPath("v3/\(kind)/unshare/:id"), use: { try await change(kind, $0, $1) { .unshare($0) } })
            router.post(RouterPath("v3/\(kind)/share_public/:id"), use: { try await change(kind, $0, $1, users: false) { _ in .publish(true) } })
            router.post(RouterPath("v3/\(kind)/unshare_public/:id"), use: { try await change(kind, $0, $1, users: false) { _ in .publish(false) } })
        }
        let perms = "v3/systems/perms/:id/user/:user"
        router.get(RouterPath(perms), use: permissions)
        router.post(RouterPath(perms), use: { try await setPermissions($0, $1, revoke: false) })
        router.post(RouterPath(perms + "/revoke"), use: { try await setPermissions($0, $1, revoke: true) })
        router.delete(RouterPath(perms + "/:permission"), use: { try await setPermissions($0, $1, revoke: true, one: true) })
    }

    /// Tapis `ReqPerms`.
    struct Permissions: Decodable, Sendable {
        var permissions: [String]
    }

    /// Tapis `ResultNameArray`.
    struct Names: Encodable, Sendable {
        var names: [String]
    }

    private func permissions(_ request: Request, _ context: TapisRequestContext) async throws -> Response {
        let (id, user) = (try context.parameters.require("id"), try context.parameters.require("user"))
        let held = try await services.catalog.permissions(system: id, user: user, by: try context.requireCaller())
        return try TapisResponse.success(Names(names: held.map(\.rawValue)), message: "TAPIS_FOUND Permissions of \(user) on system \(id).", request: request)
    }

    private func setPermissions(_ request: Request, _ context: TapisRequestContext, revoke: Bool, one: Bool = false) async throws -> Response {
        let (id, user) = (try context.parameters.require("id"), try context.parameters.require("user"))
        let names: [String]
        if one {
            names = [try context.parameters.require("permission")]
        } else {
            let body = try await request.body.collect(upTo: 64 * 1024)
            names = try TapisJSON.decode(Permissions.self, from: Data(body.readableBytesView)).permissions
        }
        try Validation.loginName(user, field: "userName")
        guard UserAccount.named(user) != nil else { throw TapisError.invalid("userName", "there is no user \(user.debugDescription) on this host") }
        let caller = try context.requireCaller()
        try await services.catalog.setPermissions(try DefinitionCatalog.Permission.parse(names), system: id, user: user, revoke: revoke, by: caller)
        Audit.record(
            context.logger, "system permissions \(revoke ? "revoked" : "granted")", kind: "share", user: caller.name,
            ["system": "\(id)", "grantee": "\(user)", "permissions": "\(names.joined(separator: ","))"])
        return try TapisResponse.success(Optional<String>.none, message: "TAPIS_UPDATED Permissions of \(user) on system \(id) \(revoke ? "revoked" : "granted").", request: request)
    }

    /// Tapis `ShareInfo`.
    struct ShareInfo: Encodable, Sendable {
        var `public`: Bool
        var userList: [String]
    }

    /// Tapis `ReqShareUpdate`.
    struct Users: Decodable, Sendable {
        var users: [String]
    }

    private func info(_ kind: String, _ request: Request, _ context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.parameters.require("id")
        let found: (owner: String?, isPublic: Bool?, shared: [String]?)?
        if kind == "systems" {
            found = try await services.catalog.system(id, usableBy: caller).map { ($0.owner, $0.isPublic, $0.sharedWithUsers) }
        } else {
            found = try await services.catalog.apps(usableBy: caller).last { $0.id == id }.map { ($0.owner, $0.isPublic, $0.sharedWithUsers) }
        }
        guard let found else { throw TapisError(.notFound, "no \(kind.dropLast()) \(id.debugDescription)") }
        let info = ShareInfo(public: found.owner == nil || found.isPublic == true, userList: found.shared ?? [])
        return try TapisResponse.success(info, message: "TAPIS_FOUND Share information of \(kind.dropLast()) \(id).", request: request)
    }

    private func change(
        _ kind: String, _ request: Request, _ context: TapisRequestContext, users: Bool = true, _ make: ([String]) -> DefinitionCatalog.ShareChange
    ) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.parameters.require("id")
        var names: [String] = []
        if users {
            let body = try await request.body.collect(upTo: 64 * 1024)
            names = try TapisJSON.decode(Users.self, from: Data(body.readableBytesView)).users
        }
        let change = make(names)
        if kind == "systems" {
            try await services.catalog.change(change, system: id, by: caller)
        } else {
            try await services.catalog.change(change, app: id, by: caller)
        }
        Audit.record(context.logger, "\(kind.dropLast()) sharing changed", kind: "share", user: caller.name, [String(kind.dropLast()): "\(id)", "change": "\(change)"])
        return try TapisResponse.success(Optional<String>.none, message: "TAPIS_UPDATED Sharing of \(kind.dropLast()) \(id) changed.", request: request)
    }
}
