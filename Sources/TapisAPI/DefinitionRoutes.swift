import Foundation
import Hummingbird
import TapisCore
import TapisEngine

/// `/v3/systems` and `/v3/apps`: list, get and create definitions.
struct DefinitionRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/systems", use: listSystems)
        router.post("v3/systems", use: createSystem)
        router.get("v3/systems/:id", use: getSystem)
        router.get("v3/apps", use: listApps)
        router.post("v3/apps", use: createApp)
        router.get("v3/apps/:id", use: getAppVersions)
        router.get("v3/apps/:id/:version", use: getApp)
    }

    @Sendable func listSystems(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let systems = try await services.catalog.systems(usableBy: try context.requireCaller()).values.sorted { $0.id < $1.id }.map(\.redacted)
        return try TapisResponse.success(systems, message: "TAPIS_FOUND \(systems.count) system(s).", request: request)
    }

    @Sendable func getSystem(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let system = try await services.catalog.system(id, usableBy: try context.requireCaller()) else { throw TapisError(.notFound, "no system \(id.debugDescription)") }
        return try TapisResponse.success(system.redacted, message: "TAPIS_FOUND System \(id).", request: request)
    }

    @Sendable func createSystem(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let system = try TapisJSON.decode(TapisSystem.self, from: Data(body.readableBytesView))
        try await services.catalog.create(system, by: caller)
        return try TapisResponse.success(["url": "/v3/systems/\(system.id)"], message: "TAPIS_CREATED System \(system.id).", status: .created, request: request)
    }

    @Sendable func listApps(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let apps = try await services.catalog.apps(usableBy: try context.requireCaller())
        return try TapisResponse.success(apps, message: "TAPIS_FOUND \(apps.count) app version(s).", request: request)
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

    @Sendable func createApp(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let app = try TapisJSON.decode(TapisApp.self, from: Data(body.readableBytesView))
        try await services.catalog.create(app, by: caller)
        return try TapisResponse.success(["url": "/v3/apps/\(app.id)/\(app.version)"], message: "TAPIS_CREATED App \(app.id) version \(app.version).", status: .created, request: request)
    }
}
