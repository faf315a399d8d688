import Foundation
import Hummingbird
import TapisCore
import TapisEngine

/// `/v3/systems/schedulerProfile`: list, get and (administrators) create scheduler profiles, at
/// Tapis's paths.
struct SchedulerProfileRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/systems/schedulerProfile", use: list)
        router.post("v3/systems/schedulerProfile", use: create)
        router.get("v3/systems/schedulerProfile/:name", use: get)
    }

    @Sendable func list(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let profiles = try await services.catalog.schedulerProfiles()
        return try TapisResponse.success(profiles, message: "TAPIS_FOUND \(profiles.count) scheduler profile(s).", request: request)
    }

    @Sendable func get(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let profile = try await services.catalog.schedulerProfile(name) else {
            throw TapisError(.notFound, "no scheduler profile \(name.debugDescription)")
        }
        return try TapisResponse.success(profile, message: "TAPIS_FOUND Scheduler profile \(name).", request: request)
    }

    @Sendable func create(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let profile = try TapisJSON.decode(SchedulerProfile.self, from: Data(body.readableBytesView))
        try await services.catalog.create(profile, by: caller)
        return try TapisResponse.success(
            ["url": "/v3/systems/schedulerProfile/\(profile.name)"], message: "TAPIS_CREATED Scheduler profile \(profile.name).",
            status: .created, request: request)
    }
}
