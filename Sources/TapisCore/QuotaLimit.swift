/// One limit on how many jobs may be active at once (spec §4.4: checked as a job leaves PENDING;
/// a job over a limit waits BLOCKED, not FAILED). Active means past PENDING and not ended, blocked
/// or paused. A limit counts the jobs that share its scope with the job being admitted.
public struct QuotaLimit: Sendable, Equatable {
    /// What the limit is, for messages (`jobMaxJobsPerUser of system cluster`).
    public var name: String
    public var max: Int
    /// The scope: only jobs with these values count (nil: any).
    public var execSystemId: String?
    public var appId: String?
    public var appVersion: String?
    public var logicalQueue: String?
    public var owner: String?

    public init(name: String, max: Int, execSystemId: String? = nil, appId: String? = nil, appVersion: String? = nil,
                logicalQueue: String? = nil, owner: String? = nil) {
        self.name = name
        self.max = max
        self.execSystemId = execSystemId
        self.appId = appId
        self.appVersion = appVersion
        self.logicalQueue = logicalQueue
        self.owner = owner
    }

    /// Tapis's "unlimited" (its default for these fields is 2147483647; zero or less also means no
    /// limit).
    static func isLimit(_ value: Int?) -> Bool {
        guard let value else { return false }
        return value > 0 && value < Int(Int32.max)
    }

    /// The limits that apply to `job`: its app's `maxJobs`/`maxJobsPerUser` (over that app
    /// version's jobs), its exec system's `jobMaxJobs`/`jobMaxJobsPerUser` (over the system's
    /// jobs) and its logical queue's `maxJobs`/`maxJobsPerUser` (over the queue's jobs).
    public static func limits(for job: Job, app: TapisApp, system: TapisSystem) -> [QuotaLimit] {
        var limits: [QuotaLimit] = []
        let appName = "app \(app.id) version \(app.version)"
        if isLimit(app.maxJobs) {
            limits.append(QuotaLimit(name: "maxJobs of \(appName)", max: app.maxJobs!, appId: app.id, appVersion: app.version))
        }
        if isLimit(app.maxJobsPerUser) {
            limits.append(QuotaLimit(
                name: "maxJobsPerUser of \(appName)", max: app.maxJobsPerUser!, appId: app.id, appVersion: app.version, owner: job.owner))
        }
        if isLimit(system.jobMaxJobs) {
            limits.append(QuotaLimit(name: "jobMaxJobs of system \(system.id)", max: system.jobMaxJobs!, execSystemId: system.id))
        }
        if isLimit(system.jobMaxJobsPerUser) {
            limits.append(QuotaLimit(
                name: "jobMaxJobsPerUser of system \(system.id)", max: system.jobMaxJobsPerUser!, execSystemId: system.id, owner: job.owner))
        }
        if let name = job.execSystemLogicalQueue, let queue = system.batchLogicalQueues?.first(where: { $0.name == name }) {
            let queueName = "logical queue \(name) of system \(system.id)"
            if isLimit(queue.maxJobs) {
                limits.append(QuotaLimit(name: "maxJobs of \(queueName)", max: queue.maxJobs!, execSystemId: system.id, logicalQueue: name))
            }
            if isLimit(queue.maxJobsPerUser) {
                limits.append(QuotaLimit(
                    name: "maxJobsPerUser of \(queueName)", max: queue.maxJobsPerUser!, execSystemId: system.id, logicalQueue: name,
                    owner: job.owner))
            }
        }
        return limits
    }
}
