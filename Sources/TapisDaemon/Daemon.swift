import CTapisSystem
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Metrics
public import Logging
import NIOCore
import NIOSSL
import Prometheus
public import ServiceLifecycle
import TapisAPI
import TapisWeb
import TapisCore
import TapisEngine
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// The daemon itself: its components (`DaemonComponents`, the composition root) behind the API
/// listeners, under one service group.
public enum Daemon {
    /// Builds the daemon's components and serves them: the SSH pool's janitor, the engine, then the
    /// API listeners, under one service group that stops gracefully on SIGTERM or SIGINT (in
    /// reverse order: listeners first, the pool's connections last).
    /// - Throws: `TapisError` for a held state directory or a store that cannot be opened.
    public static func buildServiceGroup(_ configuration: DaemonConfiguration, logger: Logger) async throws -> ServiceGroup {
        // Two arenas serve a daemon whose work is mostly waiting; the default (one per thread, up
        // to 16 here) held tens of megabytes of freed memory after a burst of submits.
        ctapis_limit_malloc_arenas(2)
        // First, before other threads read the environment: the socket systemd passed, if any.
        let passedSocket = try SocketActivation.inheritedSocket(for: configuration.socketPath)
        let components = try DaemonComponents(configuration, logger: logger, metricsRegistry: metricsRegistry)
        try await components.api.tokens.prepare()
        try await components.credentials.unlock()
        let api = components.api
        let state = components.stateDirectory
        try FileManager.default.createDirectory(
            atPath: (configuration.socketPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let ready: @Sendable (_ passedBySystemd: Bool) -> Void = { passedBySystemd in
            logger.info(
                "tapisd ready",
                metadata: ["socket": "\(configuration.socketPath)", "state": "\(state.path)", "socket.activated": "\(passedBySystemd)"])
            SystemdNotifier.notify("READY=1")
        }
        // The socket systemd holds (tapisd.socket) when it passed one: its mode is the unit's.
        let socketServer: any Service = if let descriptor = passedSocket {
            InheritedSocketServer(
                descriptor: descriptor, responder: buildRouter(api).buildResponder(), serverName: "tapisd", logger: logger,
                onServerRunning: { ready(true) })
        } else {
            Application(
                router: buildRouter(api),
                configuration: .init(address: .unixDomainSocket(path: configuration.socketPath), serverName: "tapisd"),
                onServerRunning: { _ in
                    chmod(configuration.socketPath, configuration.socketMode)
                    ready(false)
                },
                logger: logger)
        }
        var services = (components.backgroundServices + [socketServer]).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        if let port = configuration.tcpPort {
            let router = buildRouter(api, identification: .token, scheme: configuration.usesTLS ? "https" : "http", corsOrigins: configuration.corsOrigins)
            if configuration.webPortal {
                try WebPortal(services: api, secure: configuration.usesTLS, keyPath: configuration.webFormKeyPath).register(on: router)
            }
            let server: HTTPServerBuilder = if let certificates = components.tlsCertificates {
                try .tls(.http1(), tlsConfiguration: certificates.serverConfiguration)
            } else {
                .http1()
            }
            let tcp = Application(
                router: router, server: server, configuration: .init(address: .hostname(configuration.tcpHost, port: port), serverName: "tapisd"),
                onServerRunning: { channel in
                    logger.info(
                        "tapisd listening on TCP (X-Tapis-Token required)",
                        metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")", "tls": "\(configuration.usesTLS)"])
                },
                logger: logger)
            services.append(.init(service: tcp))
        }
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.cancellationSignals = [.sigquit]
        // Below systemd's TimeoutStopSec (90 s): steps still running then are cancelled and resume
        // from the store at the next start.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(60)
        return ServiceGroup(configuration: groupConfiguration)
    }

    /// The registry swift-metrics records into, bootstrapped once per process (the first daemon).
    static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The built-in system: this host, reached without SSH, FORK jobs, one working dir per user.
    static func localSystem(_ configuration: DaemonConfiguration) -> TapisSystem {
        var system = TapisSystem(id: "local")
        system.description = "This host, reached without SSH (tapisd's built-in system)."
        system.systemType = "LINUX"
        system.owner = "root"
        system.host = "localhost"
        system.effectiveUserId = "${apiUserId}"
        system.rootDir = "/"
        system.jobWorkingDir = configuration.workDirectory + "/${apiUserId}"
        system.canExec = true
        system.canRunBatch = false
        system.enabled = true
        system.jobRuntimes = [.init(runtimeType: "ZIP"), .init(runtimeType: "DOCKER")]
        system.containerEngine = configuration.localContainerEngine.command
        system.containerEngineOptions = configuration.localContainerEngine.runOptions
        system.forkScheduler = configuration.localScheduler
        return system
    }
}
