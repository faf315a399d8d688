/// A Tapis app definition (spec §6.2): a registered, versioned program with job defaults.
public struct TapisApp: Codable, Sendable, Equatable {
    public var id: String
    public var version: String
    public var description: String?
    public var owner: String?
    /// Whether every user may use it (admin definitions); else only its owner and administrators.
    /// Set by tapisd, never taken from the client.
    public var isPublic: Bool?
    /// The users (and `@group`s) its owner shared it with (Tapis `sharedWithUsers`). Set by
    /// tapisd's share calls, never taken from the client.
    public var sharedWithUsers: [String]?
    public var enabled: Bool?
    public var versionEnabled: Bool?
    public var jobType: String?
    public var runtime: String?
    public var containerImage: String?
    public var strictFileInputs: Bool?
    /// How many jobs of this app version may be active at once, in all and per user.
    public var maxJobs: Int?
    public var maxJobsPerUser: Int?
    public var jobAttributes: JobAttributes?

    public init(id: String, version: String) {
        self.id = id
        self.version = version
    }

    /// The job defaults an app carries.
    public struct JobAttributes: Codable, Sendable, Equatable {
        public var description: String?
        public var execSystemId: String?
        public var execSystemExecDir: String?
        public var execSystemInputDir: String?
        public var execSystemOutputDir: String?
        public var archiveSystemId: String?
        public var archiveSystemDir: String?
        /// Directories on the exec system's DTN; `!tapis_not_set` means unset.
        public var dtnSystemInputDir: String?
        public var dtnSystemOutputDir: String?
        public var archiveOnAppError: Bool?
        public var archiveMode: String?
        public var execSystemLogicalQueue: String?
        public var nodeCount: Int?
        public var coresPerNode: Int?
        public var memoryMB: Int?
        public var maxMinutes: Int?
        public var isMpi: Bool?
        public var mpiCmd: String?
        public var cmdPrefix: String?
        public var fileInputs: [AppFileInput]?
        public var fileInputArrays: [AppFileInputArray]?
        public var parameterSet: AppParameterSet?
        public var tags: [String]?
        /// The job's `notes` when the request has none.
        public var notes: JSONValue?
        /// Subscriptions every job of the app gets, after the request's own.
        public var subscriptions: [AppSubscription]?

        public init() {}
    }

    /// True unless the app or this version is disabled.
    public var isAvailable: Bool { (enabled ?? true) && (versionEnabled ?? true) }

    /// Checks a definition before it is stored.
    /// - Throws: `TapisError.badRequest` naming the field.
    public func validate() throws(TapisError) {
        try Validation.identifier(id, field: "id")
        try Validation.identifier(version, field: "version", maxLength: 64)
        let runtime = (self.runtime ?? "ZIP").uppercased()
        guard let image = containerImage, !image.isEmpty else {
            throw .invalid("containerImage", runtime == "DOCKER"
                ? "required: the image reference, such as docker.io/library/busybox:1.36"
                : "required: the app's .zip, .tar, .tar.gz or .tgz archive (an absolute path on the exec system, or an http, https or tapis URL)")
        }
        switch runtime {
        case "ZIP":
            _ = try AppArchive(image: image)
        case "DOCKER":
            try ContainerImage.checkReference(image)
        case "SINGULARITY":
            throw .invalid("runtime", "SINGULARITY is not supported: tapisd has no Apptainer or Singularity to prove it against; use DOCKER or ZIP")
        default:
            throw .invalid("runtime", "\(runtime) is not a Tapis runtime; use ZIP or DOCKER")
        }
        if let jobType, JobType(rawValue: jobType) == nil {
            throw .invalid("jobType", "must be FORK or BATCH")
        }
        if let logConfig = jobAttributes?.parameterSet?.logConfig, (logConfig.stdoutFilename == nil) != (logConfig.stderrFilename == nil) {
            throw .invalid("jobAttributes.parameterSet.logConfig", "must set both stdoutFilename and stderrFilename, or neither")
        }
    }
}
