/// A Tapis system definition (spec §6.1): a host where jobs run or files live.
public struct TapisSystem: Codable, Sendable, Equatable {
    public var id: String
    public var description: String?
    public var systemType: String?
    public var owner: String?
    public var host: String?
    public var port: Int?
    public var effectiveUserId: String?
    public var defaultAuthnMethod: String?
    public var rootDir: String?
    public var jobWorkingDir: String?
    public var canExec: Bool?
    public var canRunBatch: Bool?
    public var enabled: Bool?
    public var jobRuntimes: [JobRuntime]?
    public var batchScheduler: String?
    /// tapisd: the scheduler plugin that starts jobs here (`local-process` for FORK jobs).
    public var forkScheduler: String?

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

    /// The login a job of `owner` uses here: `effectiveUserId`, with `${apiUserId}` meaning the owner.
    public func login(for owner: String) -> String {
        guard let user = effectiveUserId, !user.isEmpty, user != "${apiUserId}" else { return owner }
        return user
    }

    /// Whether this system is this host itself, reached without SSH.
    public var isLocal: Bool {
        defaultAuthnMethod == nil && (host == nil || host == "localhost" || host == "127.0.0.1" || host == "")
    }

    /// Checks a definition before it is stored.
    /// - Throws: `TapisError.badRequest` naming the field.
    public func validate() throws(TapisError) {
        try Validation.identifier(id, field: "id")
        if let host { try Validation.rejectDangerous(host, field: "host") }
        if let user = effectiveUserId, user != "${apiUserId}" { try Validation.identifier(user, field: "effectiveUserId") }
        if let rootDir { _ = try TapisPath.normalize(rootDir, field: "rootDir") }
        if let jobWorkingDir { try Validation.rejectControlCharacters(jobWorkingDir, field: "jobWorkingDir") }
        if canExec == true, (jobWorkingDir ?? "").isEmpty {
            throw .invalid("jobWorkingDir", "required when canExec is true")
        }
        if !isLocal {
            throw .invalid("host", "only this host (localhost, no defaultAuthnMethod) is supported until SSH systems land")
        }
    }
}
