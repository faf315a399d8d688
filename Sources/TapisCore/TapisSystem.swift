/// A Tapis system definition (spec §6.1): a host where jobs run or files live.
public struct TapisSystem: Codable, Sendable, Equatable {
    public var id: String
    public var description: String?
    public var systemType: String?
    public var owner: String?
    /// Whether every user may use it (admin definitions); else only its owner and administrators.
    /// Set by tapisd, never taken from the client.
    public var isPublic: Bool?
    /// The users (and `@group`s) its owner shared it with (Tapis `sharedWithUsers`). Set by
    /// tapisd's share calls, never taken from the client.
    public var sharedWithUsers: [String]?
    /// tapisd: the users its owner gave Tapis's MODIFY (enable, disable, share with others). Set
    /// by the permission calls, never taken from the client.
    public var modifyUsers: [String]?
    public var host: String?
    public var port: Int?
    public var effectiveUserId: String?
    public var defaultAuthnMethod: String?
    public var rootDir: String?
    /// The S3 bucket of an S3 system (`${SysBucketName}`).
    public var bucketName: String?
    /// The data transfer node of this exec system: another system with the same `rootDir`.
    public var dtnSystemId: String?
    public var jobWorkingDir: String?
    public var canExec: Bool?
    public var canRunBatch: Bool?
    public var enabled: Bool?
    public var jobRuntimes: [JobRuntime]?
    public var batchScheduler: String?
    public var batchLogicalQueues: [LogicalQueue]?
    public var batchDefaultLogicalQueue: String?
    /// Environment variables of every job here, below the app's and the request's.
    public var jobEnvVariables: [KeyValuePair]?
    /// The MPI launcher of jobs with `isMpi` that name none (`mpirun`, `ibrun`).
    public var mpiCmd: String?
    /// Whether jobs here may put a `cmdPrefix` before their executable.
    public var enableCmdPrefix: Bool?
    /// How many jobs may be active here at once, in all and per user (Tapis quotas).
    public var jobMaxJobs: Int?
    public var jobMaxJobsPerUser: Int?
    /// The scheduler profile BATCH jobs here use unless they name one (`--tapis-profile`).
    public var batchSchedulerProfile: String?
    /// tapisd: the scheduler plugin that starts jobs here (`local-process` for FORK jobs).
    public var forkScheduler: String?
    /// tapisd: the container engine DOCKER jobs here run with, `docker` (the default) or `podman`.
    public var containerEngine: String?
    /// tapisd: options the site's engine needs on every `run`, one word each (`--network=none`,
    /// `--ulimit=nofile=1024:1024`); a job's container arguments cannot repeat or override them.
    public var containerEngineOptions: [String]?
    /// tapisd: seconds between status queries of this system's jobs, instead of the daemon's
    /// `pollIntervalSeconds` (from 1 to 3600; a busy site may ask for more).
    public var pollIntervalSeconds: Int?
    /// How tapisd logs in (Tapis `authnCredential`). Never returned by the API.
    public var authnCredential: AuthnCredential?
    /// tapisd: the SHA256 fingerprint the host's key must have (`SHA256:…`); without it the key must
    /// be in the daemon's known_hosts file.
    public var hostKeyFingerprint: String?

    /// Tapis's credential object, plus tapisd's `privateKeyFile` (admin-defined systems only).
    public struct AuthnCredential: Codable, Sendable, Equatable {
        public var privateKey: String?
        public var publicKey: String?
        public var password: String?
        public var passphrase: String?
        public var privateKeyFile: String?

        public init(privateKey: String? = nil, password: String? = nil, privateKeyFile: String? = nil) {
            self.privateKey = privateKey
            self.password = password
            self.privateKeyFile = privateKeyFile
        }
    }

    /// One runtime a system supports.
    public struct JobRuntime: Codable, Sendable, Equatable {
        public var runtimeType: String
        public var version: String?

        public init(runtimeType: String, version: String? = nil) {
            self.runtimeType = runtimeType
            self.version = version
        }
    }

    public init(id: String) { self.id = id }

    /// True unless the definition says `enabled: false`.
    public var isEnabled: Bool { enabled ?? true }

    /// Whether each user logs in as themselves (`effectiveUserId` absent or `${apiUserId}`).
    public var isDynamic: Bool { (effectiveUserId ?? "").isEmpty || effectiveUserId == "${apiUserId}" }

    /// The login a job of `owner` uses here: `effectiveUserId`, with `${apiUserId}` meaning the owner.
    public func login(for owner: String) -> String {
        guard !isDynamic, let user = effectiveUserId else { return owner }
        return user
    }

    /// Whether this system is this host itself, reached without SSH: its host is this host, and it
    /// names no port and carries no credential (the kernel vouches for the login, so a Tapis
    /// `defaultAuthnMethod` asks for nothing more). With a credential or a port it is reached over SSH.
    public var isLocal: Bool {
        (host == nil || host == "" || host == "localhost" || host == "127.0.0.1" || host == "::1") && port == nil && authnCredential == nil
    }

    /// The definition as the API shows it: without credentials.
    public var redacted: TapisSystem {
        var copy = self
        copy.authnCredential = nil
        return copy
    }

    /// Checks a definition before it is stored.
    /// - Parameter byAdministrator: whether an administrator defines it (only they may name a key file).
    /// - Throws: `TapisError.badRequest` naming the field.
    public func validate(byAdministrator: Bool = true) throws(TapisError) {
        try Validation.identifier(id, field: "id")
        if let host { try Validation.rejectDangerous(host, field: "host") }
        if let user = effectiveUserId, user != "${apiUserId}" { try Validation.identifier(user, field: "effectiveUserId") }
        if let rootDir {
            if rootDir.contains("HOST_EVAL(") { throw .invalid("rootDir", "HOST_EVAL is not supported in rootDir; give the directory itself") }
            _ = try TapisPath.normalize(rootDir, field: "rootDir")
        }
        if let bucketName { try Validation.identifier(bucketName, field: "bucketName", maxLength: 63) }
        if let dtnSystemId {
            try Validation.identifier(dtnSystemId, field: "dtnSystemId")
            if dtnSystemId == id { throw .invalid("dtnSystemId", "must name another system, not \(id) itself") }
        }
        if let jobWorkingDir { try Validation.rejectControlCharacters(jobWorkingDir, field: "jobWorkingDir") }
        if canExec == true, (jobWorkingDir ?? "").isEmpty {
            throw .invalid("jobWorkingDir", "required when canExec is true")
        }
        if let port, !(1...65535).contains(port) { throw .invalid("port", "must be from 1 to 65535") }
        if let pollIntervalSeconds, !(1...3600).contains(pollIntervalSeconds) {
            throw .invalid("pollIntervalSeconds", "must be from 1 to 3600 seconds")
        }
        if forkScheduler == "systemd", !isLocal {
            throw .invalid("forkScheduler", "systemd starts jobs on this host only; a system reached over SSH uses local-process")
        }
        _ = try ContainerEngine(system: self)
        if !byAdministrator { try ContainerArguments.checkUserSiteOptions(containerEngineOptions ?? []) }
        if isLocal { return try validateBatch() }
        guard let method = defaultAuthnMethod else { throw .invalid("defaultAuthnMethod", "required for a remote host: PKI_KEYS or PASSWORD") }
        guard let host, !host.isEmpty else { throw .invalid("host", "required when defaultAuthnMethod is set") }
        // Without `authnCredential` each user logs in with their own (POST /v3/systems/credential/…).
        let credential = authnCredential
        switch method {
        case "PKI_KEYS":
            if credential?.privateKeyFile != nil {
                if !byAdministrator { throw .invalid("authnCredential.privateKeyFile", "only administrators' definition files may name a key file") }
                _ = try TapisPath.normalize(credential!.privateKeyFile!, field: "authnCredential.privateKeyFile")
            } else if let credential, (credential.privateKey ?? "").isEmpty {
                throw .invalid("authnCredential.privateKey", "required for PKI_KEYS (the private key as OpenSSH or PEM text)")
            }
        case "PASSWORD":
            if let credential, (credential.password ?? "").isEmpty { throw .invalid("authnCredential.password", "required for PASSWORD") }
        default:
            throw .invalid("defaultAuthnMethod", "\(method) is not supported; use PKI_KEYS or PASSWORD")
        }
        try validateBatch()
        if let fingerprint = hostKeyFingerprint, !fingerprint.hasPrefix("SHA256:") {
            throw .invalid("hostKeyFingerprint", "must be a SHA256 fingerprint as ssh-keygen -lf prints it (SHA256:…)")
        }
    }

    /// The batch scheduler plugin's name (`slurm`), if the system runs batch jobs.
    public var batchSchedulerName: String? { batchScheduler.map { $0.lowercased() } }

    /// The scheduler plugin that starts a job of `jobType` here.
    /// DOCKER FORK jobs run under the `container` scheduler (the engine is their scheduler).
    public func schedulerName(forJobType jobType: JobType, runtime: String = "ZIP") -> String {
        if jobType == .batch { return batchSchedulerName ?? "slurm" }
        return runtime == "DOCKER" ? "container" : (forkScheduler ?? "local-process")
    }

    private func validateBatch() throws(TapisError) {
        if let scheduler = batchScheduler, scheduler.uppercased() != "SLURM" {
            throw .invalid("batchScheduler", "\(scheduler) is not supported; tapisd runs SLURM")
        }
        for queue in batchLogicalQueues ?? [] {
            try Validation.identifier(queue.name, field: "batchLogicalQueues.name")
            try Validation.identifier(queue.hpcQueueName, field: "batchLogicalQueues.hpcQueueName")
        }
        if let name = batchDefaultLogicalQueue, !(batchLogicalQueues ?? []).contains(where: { $0.name == name }) {
            throw .invalid("batchDefaultLogicalQueue", "\(name) is not one of batchLogicalQueues")
        }
    }
}
