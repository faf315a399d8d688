public import Prometheus
public import TapisCore
public import TapisEngine
public import TapisScheduling
public import TapisStore
public import TapisNotify
public import TapisTransport

/// What the API's routes work with.
public struct APIServices: Sendable {
    public var store: JobStore
    public var catalog: DefinitionCatalog
    public var submitter: JobSubmitter
    public var outputs: JobOutputs
    public var users: UserDirectory
    public var schedulerMetrics: SchedulerMetrics
    public var tokens: TokenAuthority
    public var logins: LoginService
    public var clients: OAuthClients
    public var tenancy: TenantSettings
    /// Where notifications may go, and the secrets that sign webhooks.
    public var deliveryPolicy: DeliveryPolicy
    public var signing: WebhookSigning
    /// Users' credentials for systems.
    public var credentials: SystemCredentials
    /// Where a backup of the store is made before it is sent (beside the store: the same disk,
    /// private to the daemon).
    public var backupDirectory = "/var/lib/tapisd/db"
    /// Whether a scraper on this host's loopback reads `/metrics` over TCP without a token.
    public var metricsOpenToLoopback = true
    /// What the daemon's parts record through swift-metrics (transitions, latencies, SSH,
    /// notifications), when the daemon bootstrapped it; `/metrics` shows it.
    public var metricsRegistry: PrometheusCollectorRegistry?

    public init(
        store: JobStore, catalog: DefinitionCatalog, submitter: JobSubmitter, outputs: JobOutputs, users: UserDirectory,
        schedulerMetrics: SchedulerMetrics, tokens: TokenAuthority, logins: LoginService, clients: OAuthClients,
        tenancy: TenantSettings, deliveryPolicy: DeliveryPolicy, signing: WebhookSigning, credentials: SystemCredentials
    ) {
        self.credentials = credentials
        self.deliveryPolicy = deliveryPolicy
        self.signing = signing
        self.clients = clients
        self.logins = logins
        self.tenancy = tenancy
        self.schedulerMetrics = schedulerMetrics
        self.tokens = tokens
        self.store = store
        self.catalog = catalog
        self.submitter = submitter
        self.outputs = outputs
        self.users = users
    }
}

extension APIServices {
    /// The job with this UUID, if `caller` may see it: the one ownership rule of every interface.
    /// - Throws: `TapisError.notFound` both for no such job and for someone else's.
    public func job(_ uuid: String, visibleTo caller: Caller) async throws -> Job {
        guard let job = try await store.job(JobUUID(rawValue: uuid)), caller.mayAccess(jobOwnedBy: job.owner) else {
            throw TapisError(.notFound, "no job \(uuid) that you can see")
        }
        return job
    }

    /// The job with this UUID, if `caller` may read `resource` of it: as its owner or an
    /// administrator, or through a share with them or one of their groups.
    /// - Throws: `TapisError.notFound` both for no such job and for one they may not read.
    public func job(_ uuid: String, readableBy caller: Caller, _ resource: JobShareResource) async throws -> Job {
        guard let job = try await store.job(JobUUID(rawValue: uuid)) else { throw TapisError(.notFound, "no job \(uuid) that you can see") }
        if caller.mayAccess(jobOwnedBy: job.owner) { return job }
        guard try await store.sharedResources(of: job.uuid, with: caller.grantees).contains(resource) else {
            throw TapisError(.notFound, "no job \(uuid) that you can see")
        }
        return job
    }
}
