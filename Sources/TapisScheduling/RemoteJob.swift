public import TapisCore

/// What a scheduler needs to know about a job: its identity and where its files are on the exec
/// host (host paths, rootDir already applied).
public struct RemoteJob: Sendable, Hashable {
    public var uuid: JobUUID
    public var name: String
    /// The scheduler's id (pid, Slurm job id); nil before submission.
    public var remoteJobId: String?
    /// The login the job runs as on the exec host.
    public var login: String?
    public var execDir: String
    public var outputDir: String
    public var maxMinutes: Int
    public var nodeCount = 1
    public var coresPerNode = 1
    public var memoryMB = 100
    /// The scheduler's queue (Slurm partition), if the job names one.
    public var queue: String?
    /// The user's scheduler options, one option (and its value) each, as checked by the dialect.
    public var schedulerOptions: [String] = []
    /// The files the job's standard output and error go to, in the output dir.
    public var stdoutFilename = LaunchFiles.output
    public var stderrFilename = LaunchFiles.output
    /// The scheduler profile the job uses, if any.
    public var profile: SchedulerProfile?
    /// The exec system's container engine, for a DOCKER job.
    public var containerEngine: ContainerEngine?

    public init(uuid: JobUUID, name: String, remoteJobId: String?, execDir: String, outputDir: String, maxMinutes: Int) {
        self.uuid = uuid
        self.name = name
        self.remoteJobId = remoteJobId
        self.execDir = execDir
        self.outputDir = outputDir
        self.maxMinutes = maxMinutes
    }

    /// The tag that names this job to the scheduler, derived from its UUID.
    public var submissionTag: String { uuid.submissionTag }

    /// The path of `file` in the exec dir.
    public func execPath(_ file: String) -> String { TapisPath.join(execDir, file) }

    /// The path of `file` in the output dir.
    public func outputPath(_ file: String) -> String { TapisPath.join(outputDir, file) }
}

/// What the scheduler says about a job.
public enum RemoteState: Sendable, Equatable {
    /// Waiting to start; `raw` is the scheduler's own code.
    case queued(raw: String)
    /// Started.
    case running(raw: String)
    /// No longer in the queue: how it ended must be asked separately.
    case gone
    /// The scheduler shows the job ended in state `raw`; the details (exit code) must be asked
    /// separately, and `raw` is what is known when nothing else answers.
    case finishing(raw: String)
    /// Ended, as the scheduler saw it.
    case ended(RemoteOutcome)
    /// A state tapisd does not understand: never treated as final.
    case unknown(raw: String)
}

/// How a job ended on the exec system.
public struct RemoteOutcome: Sendable, Equatable {
    /// Whether the app succeeded (exit status 0 and a normal end).
    public var succeeded: Bool
    /// The exit code or the scheduler's result text (Tapis `remoteResultInfo`).
    public var resultInfo: String
    /// A scheduler condition (timeout, out of memory, …), if the scheduler ended the job.
    public var condition: JobCondition?
    /// A sentence for `lastMessage`.
    public var message: String
    /// Whether the scheduler may still requeue the job (a node failure, a preemption): such an
    /// end is final only once it has lasted a grace period.
    public var mayBeRequeued: Bool

    public init(succeeded: Bool, resultInfo: String, condition: JobCondition? = nil, message: String, mayBeRequeued: Bool = false) {
        self.succeeded = succeeded
        self.resultInfo = resultInfo
        self.condition = condition
        self.message = message
        self.mayBeRequeued = mayBeRequeued
    }
}
