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
        guard runtime == "ZIP" else {
            throw .invalid("runtime", "\(runtime) is not supported yet; tapisd runs ZIP apps")
        }
        guard let image = containerImage, !image.isEmpty else {
            throw .invalid("containerImage", "required: the absolute path of the app's .zip/.tar.gz/.tgz archive")
        }
        let path = try TapisPath.normalize(image, field: "containerImage")
        guard image.hasPrefix("/") else { throw .invalid("containerImage", "must be an absolute path") }
        guard AppArchive(path: path) != nil else {
            throw .invalid("containerImage", "must end in .zip, .tar.gz or .tgz")
        }
        if let jobType, JobType(rawValue: jobType) == nil {
            throw .invalid("jobType", "must be FORK or BATCH")
        }
        if let logConfig = jobAttributes?.parameterSet?.logConfig, (logConfig.stdoutFilename == nil) != (logConfig.stderrFilename == nil) {
            throw .invalid("jobAttributes.parameterSet.logConfig", "must set both stdoutFilename and stderrFilename, or neither")
        }
    }
}

/// The archive kind of a ZIP-runtime app image, chosen by its file name.
public enum AppArchive: Sendable, Equatable {
    case zip(path: String)
    case tarGzip(path: String)

    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".zip") {
            self = .zip(path: path)
        } else if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
            self = .tarGzip(path: path)
        } else {
            return nil
        }
    }

    /// The shell command that unpacks the archive into the current directory, overwriting.
    public var unpackCommand: String {
        switch self {
        case .zip(let path): return "unzip -o -q " + Shell.quote(path)
        case .tarGzip(let path): return "tar -xzf " + Shell.quote(path)
        }
    }
}
