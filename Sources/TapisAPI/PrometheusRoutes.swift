import Foundation
import Hummingbird
import NIOCore
import Prometheus
import TapisCore
import TapisEngine
import TapisScheduling
import TapisStore

/// `GET /metrics`: tapisd's figures in Prometheus's text format. Made afresh from the daemon's own
/// counts at each scrape: jobs by status, scheduler commands by system and kind (with failures
/// and time spent), monitoring cycles, the store's size. Then what its parts recorded through
/// swift-metrics: transitions by status, submit and step durations, poll cycle durations, SSH
/// connections and channels, notification deliveries. Over TCP a scraper on this host needs no
/// token (unless `metricsOpenToLoopback: false`); anyone else needs an administrator's token, as
/// does everyone on the socket but an administrator.
struct PrometheusRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.get("metrics", use: metrics)
    }

    @Sendable func metrics(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try await authorize(request, context)
        let registry = PrometheusCollectorRegistry()
        for (status, count) in try await services.store.jobCountsByStatus() {
            registry.makeGauge(descriptor: .init(namespace: "tapisd", metricName: "jobs", unitName: "", helpText: "Jobs in the store, by status."), labels: [("status", status.rawValue)])
                .set(Double(count))
        }
        for (system, kinds) in services.schedulerMetrics.snapshot {
            for (kind, figures) in kinds {
                let labels = [("system", system), ("kind", kind)]
                registry.makeCounter(descriptor: .init(namespace: "tapisd", metricName: "scheduler_commands", unitName: "total", helpText: "Scheduler commands run since the daemon started."), labels: labels)
                    .increment(by: Int64(figures.count))
                registry.makeCounter(descriptor: .init(namespace: "tapisd", metricName: "scheduler_command_failures", unitName: "total", helpText: "Scheduler commands that failed."), labels: labels)
                    .increment(by: Int64(figures.failed))
                registry.makeCounter(descriptor: .init(namespace: "tapisd", metricName: "scheduler_command_seconds", unitName: "total", helpText: "Time spent in scheduler commands."), labels: labels)
                    .increment(by: figures.totalSeconds)
                registry.makeGauge(descriptor: .init(namespace: "tapisd", metricName: "scheduler_command_max", unitName: "seconds", helpText: "The longest scheduler command."), labels: labels)
                    .set(figures.maxSeconds)
            }
        }
        for (system, cycles) in services.schedulerMetrics.pollCycles {
            registry.makeCounter(descriptor: .init(namespace: "tapisd", metricName: "poll_cycles", unitName: "total", helpText: "Monitoring cycles: one look at a system's jobs of one login."), labels: [("system", system)])
                .increment(by: Int64(cycles))
        }
        registry.makeGauge(descriptor: .init(namespace: "tapisd", metricName: "store", unitName: "bytes", helpText: "The job store's size on disk (file and write-ahead log)."))
            .set(Double(services.store.diskBytes))
        var text = registry.emitToBuffer()
        services.metricsRegistry?.emit(into: &text)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }

    /// Administrators anywhere; anyone from this host's loopback over TCP, unless turned off.
    private func authorize(_ request: Request, _ context: TapisRequestContext) async throws {
        if let token = request.headers[TokenMiddleware.header], !token.isEmpty {
            guard try await TokenMiddleware.caller(of: token, tokens: services.tokens, users: services.users).isAdmin else { throw TapisError(.forbidden, "only an administrator's token may read tapisd's metrics") }
            return
        }
        if let caller = context.caller, !context.viaToken {
            guard caller.isAdmin else { throw TapisError(.forbidden, "only root or the admin group may read tapisd's metrics on the socket") }
            return
        }
        let peer = context.channel.remoteAddress?.ipAddress ?? ""
        let loopback = peer.hasPrefix("127.") || peer == "::1" || peer.hasPrefix("::ffff:127.")
        guard loopback, services.metricsOpenToLoopback else {
            throw TapisError(.unauthorized, "send an administrator's token in X-Tapis-Token to read tapisd's metrics")
        }
    }
}
