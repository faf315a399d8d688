import Foundation
import Hummingbird
import TapisCore
import TapisEngine

/// `/v3/systems` and `/v3/apps`: list (with `search`, `select`, `skip`, `limit`), get, create,
/// enable and disable definitions. A user sees the administrator's definitions and their own.
struct DefinitionRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/systems", use: listSystems)
        router.post("v3/systems", use: createSystem)
        router.get("v3/systems/:id", use: getSystem)
        router.get("v3/systems/:id/isEnabled", use: isSystemEnabled)
        router.post("v3/systems/:id/enable", use: { try await setSystem(true, $0, $1) })
        router.post("v3/systems/:id/disable", use: { try await setSystem(false, $0, $1) })
        router.get("v3/apps", use: listApps)
        router.post("v3/apps", use: createApp)
        router.get("v3/apps/:id", use: getAppVersions)
        router.get("v3/apps/:id/isEnabled", use: isAppEnabled)
        router.post("v3/apps/:id/enable", use: { try await setApp(true, version: false, $0, $1) })
        router.post("v3/apps/:id/disable", use: { try await setApp(false, version: false, $0, $1) })
        router.get("v3/apps/:id/:version", use: getApp)
        router.post("v3/apps/:id/:version/enable", use: { try await setApp(true, version: true, $0, $1) })
        router.post("v3/apps/:id/:version/disable", use: { try await setApp(false, version: true, $0, $1) })
    }

    /// Tapis's answer to a change: how many definitions changed.
    struct ChangeCount: Encodable, Sendable {
        var changes: Int
    }

    /// Tapis's answer to a yes-or-no question.
    struct Answer: Encodable, Sendable {
        var aBool: Bool
    }

    @Sendable func listSystems(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let kept = try Self.listType(request, caller)
        let systems = try await services.catalog.systems(usableBy: caller).values.filter { kept($0.owner) }.sorted { $0.id < $1.id }.map(\.redacted)
        let page = try listing(request).apply(to: systems)
        return try TapisResponse.success(page, message: "TAPIS_FOUND \(page.count) system(s).", request: request)
    }

    @Sendable func getSystem(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let system = try await visibleSystem(context)
        return try TapisResponse.success(system.redacted, message: "TAPIS_FOUND System \(system.id).", request: request)
    }

    @Sendable func isSystemEnabled(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let system = try await visibleSystem(context)
        return try TapisResponse.success(Answer(aBool: system.isEnabled), message: "TAPIS_FOUND System \(system.id).", request: request)
    }

    private func setSystem(_ enabled: Bool, _ request: Request, _ context: TapisRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        try await services.catalog.setEnabled(enabled, system: id, by: try context.requireCaller())
        return try TapisResponse.success(ChangeCount(changes: 1), message: "TAPIS_UPDATED System \(id) is \(enabled ? "enabled" : "disabled").", request: request)
    }

    @Sendable func createSystem(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let system = try TapisJSON.decode(TapisSystem.self, from: Data(body.readableBytesView))
        try await services.catalog.create(system, by: caller)
        return try TapisResponse.success(["url": "/v3/systems/\(system.id)"], message: "TAPIS_CREATED System \(system.id).", status: .created, request: request)
    }

    @Sendable func listApps(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let kept = try Self.listType(request, caller)
        let apps = try await services.catalog.apps(usableBy: caller).filter { kept($0.owner) }
        let page = try listing(request).apply(to: apps)
        return try TapisResponse.success(page, message: "TAPIS_FOUND \(page.count) app version(s).", request: request)
    }

    @Sendable func getAppVersions(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let apps = try await services.catalog.apps(usableBy: try context.requireCaller()).filter { $0.id == id }
        guard let latest = apps.last else { throw TapisError(.notFound, "no app \(id.debugDescription)") }
        return try TapisResponse.success(latest, message: "TAPIS_FOUND App \(id) version \(latest.version).", request: request)
    }

    @Sendable func getApp(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let version = try context.parameters.require("version")
        guard let app = try await services.catalog.app(id, version: version, usableBy: try context.requireCaller()) else {
            throw TapisError(.notFound, "no app \(id.debugDescription) with version \(version.debugDescription)")
        }
        return try TapisResponse.success(app, message: "TAPIS_FOUND App \(id) version \(version).", request: request)
    }

    /// Whether the app (or, with `?version=`, that version) may run jobs.
    @Sendable func isAppEnabled(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let version = request.uri.queryParameters["version"].map(String.init)
        let apps = try await services.catalog.apps(usableBy: try context.requireCaller()).filter { $0.id == id && (version == nil || $0.version == version) }
        guard let app = apps.last else { throw TapisError(.notFound, "no app \(id.debugDescription)") }
        let enabled = version == nil ? app.enabled ?? true : app.isAvailable
        return try TapisResponse.success(Answer(aBool: enabled), message: "TAPIS_FOUND App \(id).", request: request)
    }

    private func setApp(_ enabled: Bool, version: Bool, _ request: Request, _ context: TapisRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let number = version ? try context.parameters.require("version") : nil
        try await services.catalog.setEnabled(enabled, app: id, version: number, by: try context.requireCaller())
        let what = number.map { "App \(id) version \($0)" } ?? "App \(id)"
        return try TapisResponse.success(ChangeCount(changes: 1), message: "TAPIS_UPDATED \(what) is \(enabled ? "enabled" : "disabled").", request: request)
    }

    @Sendable func createApp(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let app = try TapisJSON.decode(TapisApp.self, from: Data(body.readableBytesView))
        try await services.catalog.create(app, by: caller)
        return try TapisResponse.success(["url": "/v3/apps/\(app.id)/\(app.version)"], message: "TAPIS_CREATED App \(app.id) version \(app.version).", status: .created, request: request)
    }

    /// Which usable definitions a listing keeps (Tapis `listType`): `OWNED` (the caller's own),
    /// `SHARED_PUBLIC` (others' shared with them or everyone's) or `ALL` (both; tapisd's default).
    static func listType(_ request: Request, _ caller: Caller) throws -> @Sendable (String?) -> Bool {
        let name = caller.name
        switch request.uri.queryParameters["listType"].map({ String($0).uppercased() }) ?? "ALL" {
        case "ALL": return { _ in true }
        case "OWNED": return { $0 == name }
        case "SHARED_PUBLIC": return { $0 != name }
        default: throw TapisError.invalid("listType", "must be OWNED, SHARED_PUBLIC or ALL")
        }
    }

    private func visibleSystem(_ context: TapisRequestContext) async throws -> TapisSystem {
        let id = try context.parameters.require("id")
        guard let system = try await services.catalog.system(id, usableBy: try context.requireCaller()) else {
            throw TapisError(.notFound, "no system \(id.debugDescription)")
        }
        return system
    }

    private func listing(_ request: Request) throws -> DefinitionListing {
        try DefinitionListing(
            search: request.uri.queryParameters["search"].map(String.init), select: request.uri.queryParameters["select"].map(String.init),
            skip: try request.integer("skip", default: 0), limit: try request.integer("limit", default: 100))
    }
}
