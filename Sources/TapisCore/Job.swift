public import Foundation

/// One run of an app, fully resolved at submit time (spec §3). Field names are Tapis's.
public struct Job: Codable, Sendable, Equatable {
    public var uuid: JobUUID
    public var name: String
    public var owner: String
    public var tenant: String
    public var description: String
    public var status: JobStatus
    public var condition: JobCondition?
    public var lastMessage: String?
    public var created: Date
    public var lastUpdated: Date
    public var ended: Date?
    public var appId: String
    public var appVersion: String
    public var jobType: JobType
    public var runtime: String
    public var containerImage: String
    public var execSystemId: String
    public var execSystemExecDir: String
    public var execSystemInputDir: String
    public var execSystemOutputDir: String
    public var archiveSystemId: String
    public var archiveSystemDir: String
    public var archiveOnAppError: Bool
    public var archiveMode: ArchiveMode
    /// The exec system's data transfer node and the job's directories there (unset without a DTN).
    public var dtnSystemId: String?
    public var dtnSystemInputDir: String?
    public var dtnSystemOutputDir: String?
    /// The logical queue (BATCH jobs) and the scheduler queue it maps to.
    public var execSystemLogicalQueue: String?
    public var remoteQueue: String?
    public var nodeCount: Int
    public var coresPerNode: Int
    public var memoryMB: Int
    public var maxMinutes: Int
    /// Whether the app runs under `mpiCmd` (Tapis JSON `mpi`).
    public var mpi: Bool?
    public var mpiCmd: String?
    /// Words put before the executable (when the exec system enables it).
    public var cmdPrefix: String?
    public var fileInputs: [ResolvedFileInput]
    public var parameterSet: ResolvedParameterSet
    public var tags: [String]
    public var notes: JSONValue?
    public var remoteJobId: String?
    /// tapisd: the scheduler plugin that started the job, which watches it to its end even when the
    /// exec system has since been set to another (`localScheduler` changed across an upgrade).
    public var schedulerName: String?
    public var remoteOutcome: JobRemoteOutcome?
    public var remoteResultInfo: String?
    public var remoteSubmitted: Date?
    public var remoteStarted: Date?
    public var remoteEnded: Date?
    public var remoteLastStatusCheck: Date?
    public var remoteChecksSuccess: Int
    public var remoteChecksFailed: Int
    public var blockedCount: Int
    public var visible: Bool

    /// How timestamps are read: ISO 8601, UTC, with fractional seconds.
    public static let timestampFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The date a timestamp names, with or without fractional seconds; nil when it is not ISO 8601.
    public static func date(fromTimestamp text: String) -> Date? {
        (try? timestampFormat.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// A timestamp as job JSON and macros write it: ISO 8601 UTC, rounded to the nearest
    /// millisecond. (Foundation's formatter truncates, and a parsed `.009` is `.008999…`, so a job
    /// read back would drift by a millisecond.)
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, millis) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let base = Date.ISO8601FormatStyle().format(Date(timeIntervalSince1970: TimeInterval(wholeSeconds)))
        let digits = String(millis)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// The current time at the precision job timestamps are written with (milliseconds).
    public static func now() -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
    }

}

/// A file input after merging the app's and the request's.
public struct ResolvedFileInput: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var sourceUrl: String
    /// Absolute path on the exec system (below `execSystemInputDir`).
    public var targetPath: String
    public var envKey: String?
    /// True for an app's OPTIONAL input: a source missing at run time is skipped, not an error
    /// (nil in jobs stored before the field existed).
    public var optional: Bool?
    /// False when a `tapislocal` input is not bind-mounted into the job's container (nil: mounted).
    public var autoMountLocal: Bool?

    public init(name: String?, description: String? = nil, sourceUrl: String, targetPath: String, envKey: String? = nil, optional: Bool? = nil) {
        self.name = name
        self.description = description
        self.sourceUrl = sourceUrl
        self.targetPath = targetPath
        self.envKey = envKey
        self.optional = optional
    }
}

/// The merged `parameterSet` of a job: arguments and scheduler options in order, the whole
/// environment (including the `_tapis` variables), and the archive filter.
public struct ResolvedParameterSet: Codable, Sendable, Equatable {
    public var appArgs: [JobArgSpec]
    public var schedulerOptions: [JobArgSpec]
    /// A DOCKER job's merged container arguments, checked by `ContainerArguments` (empty for other
    /// runtimes).
    public var containerArgs: [JobArgSpec]
    public var envVariables: [KeyValuePair]
    public var archiveFilter: ArchiveFilterSpec
    /// The app's standard output and error files, in the output dir.
    public var logConfig: ResolvedLogConfig

    public init(
        appArgs: [JobArgSpec], schedulerOptions: [JobArgSpec], containerArgs: [JobArgSpec] = [], envVariables: [KeyValuePair],
        archiveFilter: ArchiveFilterSpec, logConfig: ResolvedLogConfig = ResolvedLogConfig()
    ) {
        self.appArgs = appArgs
        self.schedulerOptions = schedulerOptions
        self.containerArgs = containerArgs
        self.envVariables = envVariables
        self.archiveFilter = archiveFilter
        self.logConfig = logConfig
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        appArgs = try container.decode([JobArgSpec].self, forKey: .appArgs)
        // Jobs stored before scheduler options existed have none.
        schedulerOptions = try container.decodeIfPresent([JobArgSpec].self, forKey: .schedulerOptions) ?? []
        containerArgs = try container.decodeIfPresent([JobArgSpec].self, forKey: .containerArgs) ?? []
        envVariables = try container.decode([KeyValuePair].self, forKey: .envVariables)
        archiveFilter = try container.decode(ArchiveFilterSpec.self, forKey: .archiveFilter)
        logConfig = try container.decodeIfPresent(ResolvedLogConfig.self, forKey: .logConfig) ?? ResolvedLogConfig()
    }
}

/// A job's `logConfig`, resolved: file names in the output dir.
public struct ResolvedLogConfig: Codable, Sendable, Equatable {
    public var stdoutFilename: String
    public var stderrFilename: String

    public init(stdoutFilename: String = LaunchFiles.output, stderrFilename: String = LaunchFiles.output) {
        self.stdoutFilename = stdoutFilename
        self.stderrFilename = stderrFilename
    }
}

/// Summary fields for job listings (Tapis `JobListDTO`).
public struct JobSummary: Codable, Sendable, Equatable {
    public var uuid: JobUUID
    public var name: String
    public var owner: String
    public var appId: String
    public var appVersion: String
    public var created: Date
    public var status: JobStatus
    public var condition: JobCondition?
    public var remoteStarted: Date?
    public var ended: Date?
    public var tenant: String
    public var execSystemId: String
    public var archiveSystemId: String
    public var lastUpdated: Date

    public init(
        uuid: JobUUID, name: String, owner: String, appId: String, appVersion: String, created: Date, status: JobStatus,
        condition: JobCondition?, remoteStarted: Date?, ended: Date?, tenant: String, execSystemId: String, archiveSystemId: String,
        lastUpdated: Date
    ) {
        self.uuid = uuid
        self.name = name
        self.owner = owner
        self.appId = appId
        self.appVersion = appVersion
        self.created = created
        self.status = status
        self.condition = condition
        self.remoteStarted = remoteStarted
        self.ended = ended
        self.tenant = tenant
        self.execSystemId = execSystemId
        self.archiveSystemId = archiveSystemId
        self.lastUpdated = lastUpdated
    }

    public init(_ job: Job) {
        uuid = job.uuid
        name = job.name
        owner = job.owner
        appId = job.appId
        appVersion = job.appVersion
        created = job.created
        status = job.status
        condition = job.condition
        remoteStarted = job.remoteStarted
        ended = job.ended
        tenant = job.tenant
        execSystemId = job.execSystemId
        archiveSystemId = job.archiveSystemId
        lastUpdated = job.lastUpdated
    }
}

/// One history entry of a job (Tapis `getJobHistory`).
public struct JobEvent: Codable, Sendable, Equatable {
    public var event: String
    public var created: Date
    public var eventDetail: String
    public var description: String

    public init(event: String, created: Date, eventDetail: String, description: String) {
        self.event = event
        self.created = created
        self.eventDetail = eventDetail
        self.description = description
    }
}
