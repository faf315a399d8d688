/// The thirteen Tapis job statuses (spec §4.1). Raw values are persisted: never rename a case.
public enum JobStatus: String, Codable, Sendable, CaseIterable, Comparable {
    case pending = "PENDING"
    case processingInputs = "PROCESSING_INPUTS"
    case stagingInputs = "STAGING_INPUTS"
    case stagingJob = "STAGING_JOB"
    case submittingJob = "SUBMITTING_JOB"
    case queued = "QUEUED"
    case running = "RUNNING"
    case archiving = "ARCHIVING"
    case blocked = "BLOCKED"
    case paused = "PAUSED"
    case finished = "FINISHED"
    case cancelled = "CANCELLED"
    case failed = "FAILED"

    /// The forward pipeline every job walks, in order.
    public static let pipeline: [JobStatus] = [
        .pending, .processingInputs, .stagingInputs, .stagingJob, .submittingJob, .queued, .running, .archiving,
    ]

    /// FINISHED, FAILED and CANCELLED: nothing happens to the job any more.
    public static let terminal: [JobStatus] = [.finished, .failed, .cancelled]

    /// QUEUED and RUNNING: the scheduler owns the job.
    public static let executing: [JobStatus] = [.queued, .running]

    /// Admitted and not ended: the statuses that count against a quota.
    public static let active: [JobStatus] = pipeline.filter { $0 != .pending }

    /// Whether the status is one of `terminal`.
    public var isTerminal: Bool { Self.terminal.contains(self) }

    /// Whether the status is one of `executing`.
    public var isExecuting: Bool { Self.executing.contains(self) }

    public static func < (lhs: JobStatus, rhs: JobStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
