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

    /// The scheduler commands run per system and kind (count, failures, total and longest
    /// seconds), and the monitoring cycles per system.
    @Sendable func metrics(_ request: Request, context: TapisRequestContext) async throws -> Response {
        guard try context.requireCaller().isAdmin else {
            throw TapisError(.forbidden, "only root or the admin group may read tapisd's metrics")
        }
        let metrics = services.schedulerMetrics
        return try TapisResponse.success(
            SchedulerMetricsReport(schedulerCommands: metrics.snapshot, pollCycles: metrics.pollCycles),
            message: "Scheduler commands and monitoring cycles per system since the daemon started.", request: request)
    }
}
