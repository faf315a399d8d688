import Hummingbird
import TapisCore
import TapisEngine
import TapisScheduling

/// `/v3/tapisd/metrics`: tapisd's own figures, for administrators (not part of the Tapis API).
struct MetricsRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/tapisd/metrics", use: metrics)
    }

    /// The scheduler commands run per system and kind: count, failures, total and longest seconds.
    @Sendable func metrics(_ request: Request, context: TapisRequestContext) async throws -> Response {
        guard try context.requireCaller().isAdmin else {
            throw TapisError(.forbidden, "only root or the admin group may read tapisd's metrics")
        }
        return try TapisResponse.success(
            ["schedulerCommands": services.schedulerMetrics.snapshot], message: "Scheduler commands per system since the daemon started.", request: request)
    }
}
