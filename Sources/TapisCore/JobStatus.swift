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
    public var isTerminal: Bool { self == .finished || self == .failed || self == .cancelled }

    /// QUEUED or RUNNING: the scheduler owns the job.
    public var isExecuting: Bool { self == .queued || self == .running }

    public static func < (lhs: JobStatus, rhs: JobStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
