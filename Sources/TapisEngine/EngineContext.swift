public import Logging
public import TapisScheduling
public import TapisTransport

/// What the engine's parts share: configuration, plugins and the logger.
public struct EngineContext: Sendable {
    /// The tenant every job belongs to.
    public var tenant: String
    public var schedulers: SchedulerRegistry
    /// Counts the scheduler commands run, per system.
    public var schedulerMetrics: SchedulerMetrics
    public var transports: TransportFactory
    /// Time between scheduler status queries of one system.
    public var pollInterval: Duration
    /// How long a scheduler end after which the job may be requeued (node failure, preemption)
    /// must last before it is final.
    public var requeueGrace: Duration
    /// How long a claimed job stays leased without renewal.
    public var leaseDuration: Duration
    /// How many jobs are worked on at once.
    public var maxConcurrentJobs: Int
    /// How often the store is asked for due jobs when no worker has freed a slot meanwhile.
    public var tick: Duration = .milliseconds(250)
    /// How long a blocked job waits at most before it is judged again; normally a freed slot or a
    /// changed system or app wakes it sooner.
    public var blockedRecheck: Duration = .seconds(600)
    /// How long a step waits after transient faults before it is tried again.
    public var retryBackoff = RetryBackoff()
    /// This daemon's identity in leases.
    public var workerId: String
    /// Where files pass between two systems on the daemon's host.
    public var stagingDirectory: String
    public var logger: Logger
    /// Where job notifications may go.
    public var deliveryPolicy = DeliveryPolicy()
    /// Called after every round of the engine's loop that reached the store (systemd's watchdog
    /// is fed from here, so a hung engine stops feeding it).
    public var heartbeat: @Sendable () -> Void = {}

    public init(
        tenant: String, schedulers: SchedulerRegistry, transports: TransportFactory, pollInterval: Duration,
        leaseDuration: Duration, maxConcurrentJobs: Int, workerId: String, stagingDirectory: String, logger: Logger, schedulerMetrics: SchedulerMetrics = SchedulerMetrics(),
        requeueGrace: Duration = .seconds(120)
    ) {
        self.requeueGrace = requeueGrace
        self.schedulerMetrics = schedulerMetrics
        self.tenant = tenant
        self.schedulers = schedulers
        self.transports = transports
        self.pollInterval = pollInterval
        self.leaseDuration = leaseDuration
        self.maxConcurrentJobs = maxConcurrentJobs
        self.workerId = workerId
        self.stagingDirectory = stagingDirectory
        self.logger = logger
    }
}
