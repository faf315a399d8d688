import Foundation
import Hummingbird
public import Logging
import LocalProcess
import Slurm
public import ServiceLifecycle
import TapisAPI
import TapisCore
import TapisEngine
import TapisScheduling
import TapisSSH
import TapisStore
import TapisTransport
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// The composition root: the only place that knows every layer and plugin.
public enum Daemon {
    /// Opens the store, loads definitions and builds the services (engine, then API) under one
    /// service group that stops gracefully on SIGTERM or SIGINT.
    /// - Throws: `TapisError` for a held state directory or a store that cannot be opened.
    public static func buildServiceGroup(_ configuration: DaemonConfiguration, logger: Logger) async throws -> ServiceGroup {
        umask(0o022)
        let state = try StateDirectory(configuration: configuration)
        let store = try JobStore(path: configuration.databasePath)

        let loader = DefinitionLoader(logger: logger)
        let local = localSystem(configuration)
        var systems = loader.systems(in: configuration.systemsDirectory, reserved: configuration.localSystemEnabled ? [local.id] : [])
        if configuration.localSystemEnabled { systems.insert(local, at: 0) }
        let catalog = DefinitionCatalog(store: store, systems: systems, apps: loader.apps(in: configuration.appsDirectory))

        var schedulers = SchedulerRegistry()
        schedulers.register(LocalProcessDialect())
        schedulers.register(SlurmDialect())
        var poolConfiguration = SSHConnectionPool.Configuration()
        poolConfiguration.channelsPerConnection = configuration.sshChannelsPerConnection
        let pool = SSHConnectionPool(configuration: poolConfiguration, logger: logger)
        let transports = TransportFactory { system, login in
            if system.isLocal { return try LocalTransport(login: login) }
            return try SSHTransport(system: system, login: login, knownHosts: configuration.knownHostsFile, pool: pool)
        }
        let context = EngineContext(
            tenant: configuration.tenant, schedulers: schedulers, transports: transports,
            pollInterval: .seconds(configuration.pollIntervalSeconds), leaseDuration: .seconds(configuration.leaseSeconds),
            maxConcurrentJobs: configuration.maxConcurrentJobs, workerId: "tapisd-\(getpid())-\(JobUUID.random().rawValue.prefix(8))",
            stagingDirectory: configuration.stateDirectory + "/staging", logger: logger,
            requeueGrace: .seconds(configuration.requeueGraceSeconds))
        let engine = JobEngine(store: store, catalog: catalog, context: context)

        let api = APIServices(
            store: store, catalog: catalog, submitter: JobSubmitter(store: store, catalog: catalog, context: context),
            outputs: JobOutputs(catalog: catalog, context: context), users: UserDirectory(adminGroup: configuration.adminGroup),
            schedulerMetrics: context.schedulerMetrics,
            tokens: try TokenAuthority(store: store, keyPath: configuration.tokenKeyPath, tenant: configuration.tenant))
        try FileManager.default.createDirectory(
            atPath: (configuration.socketPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let app = Application(
            router: buildRouter(api),
            configuration: .init(address: .unixDomainSocket(path: configuration.socketPath), serverName: "tapisd"),
            onServerRunning: { _ in
                chmod(configuration.socketPath, configuration.socketMode)
                logger.info("tapisd ready", metadata: ["socket": "\(configuration.socketPath)", "state": "\(state.path)"])
                SystemdNotifier.notify("READY=1")
            },
            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: engine), .init(service: app)]
        if let port = configuration.tcpPort {
            let tcp = Application(
                router: buildRouter(api, identification: .token),
                configuration: .init(address: .hostname(configuration.tcpHost, port: port), serverName: "tapisd"),
                onServerRunning: { channel in
                    logger.info("tapisd listening on TCP (X-Tapis-Token required)", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
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
        system.jobRuntimes = [.init(runtimeType: "ZIP")]
        system.forkScheduler = "local-process"
        return system
    }
}
