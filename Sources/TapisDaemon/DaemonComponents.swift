import Foundation
public import Logging
import Container
import LocalProcess
public import Prometheus
import Systemd
import Slurm
public import ServiceLifecycle
public import TapisAPI
import TapisCore
public import TapisEngine
public import TapisScheduling
public import TapisSSH
public import TapisStore
public import TapisNotify
import TapisTransport

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's parts, wired once: the state directory (held), the store, the definitions, the
/// engine, the API services and the SSH pool. The daemon serves them; the in-process tests build
/// them with the same initializer, putting their own scheduler and transports in place.
public struct DaemonComponents: Sendable {
    public let configuration: DaemonConfiguration
    public let store: JobStore
    public let catalog: DefinitionCatalog
    public let context: EngineContext
    public let engine: JobEngine
    public let api: APIServices
    public let sshPool: SSHConnectionPool
    /// The notification outbox's delivery worker.
    public let notifications: NotificationService
    /// Users' sealed credentials for systems.
    public let credentials: CredentialVault
    /// The TCP listener's certificate and key, when it speaks TLS.
    let tlsCertificates: TLSCertificates?
    private let logger: Logger
    /// Held for the components' whole life: no other daemon uses this store meanwhile.
    let stateDirectory: StateDirectory

    /// Takes the state directory, opens the store, loads the definitions and builds the engine and
    /// the API services.
    /// - Parameters:
    ///   - schedulers: dialects registered after the built-in ones (one of the same name replaces it).
    ///   - transports: the transports to use instead of this host's and SSH.
    ///   - adjust: changes to the engine's settings after they are read from `configuration`.
    /// - Throws: `TapisError` for a held state directory or a store that cannot be opened.
    public init(
        _ configuration: DaemonConfiguration, logger: Logger, schedulers extra: [any SchedulerDialect] = [], transports: TransportFactory? = nil,
        adjust: (inout EngineContext) -> Void = { _ in }, metricsRegistry: PrometheusCollectorRegistry? = nil
    ) throws {
        umask(0o022)
        self.configuration = configuration
        stateDirectory = try StateDirectory(configuration: configuration)
        tlsCertificates = if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            try TLSCertificates(certificate: certificate, key: key)
        } else {
            nil
        }
        store = try JobStore(path: configuration.databasePath)

        self.logger = logger
        let (systems, apps) = Self.adminDefinitions(configuration, logger: logger)
        catalog = DefinitionCatalog(store: store, systems: systems, apps: apps)

        var schedulers = SchedulerRegistry()
        for dialect in [LocalProcessDialect(), SystemdDialect(), ContainerDialect(), SlurmDialect()] + extra { schedulers.register(dialect) }
        var poolConfiguration = SSHConnectionPool.Configuration()
        poolConfiguration.channelsPerConnection = configuration.sshChannelsPerConnection
        let pool = SSHConnectionPool(configuration: poolConfiguration, logger: logger)
        sshPool = pool
        credentials = CredentialVault(store: store, keyPath: configuration.credentialKeyPath)
        var transports = transports ?? TransportFactory { system, login in
            if system.isLocal { return try LocalTransport(login: login) }
            return try SSHTransport(system: system, login: login, knownHosts: configuration.knownHostsFile, pool: pool)
        }
        transports.credentials = credentials
        var context = EngineContext(
            tenant: configuration.tenant, schedulers: schedulers, transports: transports,
            pollInterval: .seconds(configuration.pollIntervalSeconds), leaseDuration: .seconds(configuration.leaseSeconds),
            maxConcurrentJobs: configuration.maxConcurrentJobs, workerId: "tapisd-\(getpid())-\(JobUUID.random().rawValue.prefix(8))",
            stagingDirectory: configuration.stateDirectory + "/staging", logger: logger,
            requeueGrace: .seconds(configuration.requeueGraceSeconds))
        context.deliveryPolicy = DeliveryPolicy(allowedNetworks: configuration.webhookAllowedNetworks, emailEnabled: configuration.smtp != nil)
        if let watchdog = SystemdWatchdog() { context.heartbeat = { watchdog.feed() } }
        adjust(&context)
        self.context = context
        engine = JobEngine(store: store, catalog: catalog, context: context)
        // Tokens were once signed with a shared secret kept here; it signs nothing now.
        try? FileManager.default.removeItem(atPath: configuration.databaseDirectory + "/token-signing.key")
        let tokens = try TokenAuthority(store: store, keyPath: configuration.tokenKeyPath, tenant: configuration.tenant)
        let clients = OAuthClients(store: store)
        let logins = LoginService(
            passwords: PasswordCheck(), tokens: tokens, clients: clients,
            rules: .init(loginGroup: configuration.loginGroup, allowRoot: configuration.allowRootLogin), logger: logger)
        let signing = try WebhookSigning(keyPath: configuration.webhookKeyPath, store: store)
        var senders: [DeliveryTarget.Method: any NotificationSender] = [.webhook: WebhookSender(policy: context.deliveryPolicy, signing: signing)]
        if let smtp = configuration.smtp { senders[.email] = EmailSender(settings: smtp) }
        notifications = NotificationService(store: store, senders: senders, schedule: configuration.notificationSchedule, logger: logger)
        var api = APIServices(
            store: store, catalog: catalog, submitter: JobSubmitter(store: store, catalog: catalog, context: context),
            outputs: JobOutputs(catalog: catalog, context: context), users: UserDirectory(adminGroup: configuration.adminGroup),
            schedulerMetrics: context.schedulerMetrics, tokens: tokens, logins: logins, clients: clients,
            tenancy: TenantSettings(tenant: configuration.tenant, publicURL: configuration.publicURL),
            deliveryPolicy: context.deliveryPolicy, signing: signing,
            credentials: SystemCredentials(catalog: catalog, transports: context.transports, vault: credentials))
        api.backupDirectory = configuration.databaseDirectory
        api.metricsOpenToLoopback = configuration.metricsOpenToLoopback
        api.metricsRegistry = metricsRegistry
        self.api = api
    }

    /// The services that run beside the API listeners, in start order (the service group stops
    /// them in reverse): the SSH pool's janitor, then the engine, so that the pool closes its
    /// connections only after the engine's last step; then the notification worker.
    public var backgroundServices: [any Service] {
        [SSHPoolJanitor(pool: sshPool), engine, notifications, HangupReloader(configuration: configuration, catalog: catalog, certificates: tlsCertificates, logger: logger)]
    }

    /// The administrator's definitions as the files say now (a bad file is skipped and logged),
    /// with the built-in `local` system first when it is enabled.
    static func adminDefinitions(_ configuration: DaemonConfiguration, logger: Logger) -> (systems: [TapisSystem], apps: [TapisApp]) {
        let loader = DefinitionLoader(logger: logger)
        let local = Daemon.localSystem(configuration)
        var systems = loader.systems(in: configuration.systemsDirectory, reserved: configuration.localSystemEnabled ? [local.id] : [])
        if configuration.localSystemEnabled { systems.insert(local, at: 0) }
        return (systems, loader.apps(in: configuration.appsDirectory))
    }
}
