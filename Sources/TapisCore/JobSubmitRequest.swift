/// The body of `POST /v3/jobs/submit` (Tapis `ReqSubmitJob`, spec §2.1). Decoding is strict: a
/// field Tapis does not know is refused by name, and a Tapis field tapisd does not run yet is refused
/// with a message saying so, rather than being silently ignored.
public struct JobSubmitRequest: Codable, Sendable, Equatable {
    public var name: String
    public var appId: String
    public var appVersion: String
    public var owner: String?
    public var tenant: String?
    public var description: String?
    public var jobType: String?
    public var archiveOnAppError: Bool?
    public var archiveMode: String?
    public var execSystemId: String?
    public var execSystemExecDir: String?
    public var execSystemInputDir: String?
    public var execSystemOutputDir: String?
    public var archiveSystemId: String?
    public var archiveSystemDir: String?
    /// Directories on the exec system's DTN (Tapis data transfer node); `!tapis_not_set` means unset.
    public var dtnSystemInputDir: String?
    public var dtnSystemOutputDir: String?
    public var execSystemLogicalQueue: String?
    public var nodeCount: Int?
    public var coresPerNode: Int?
    public var memoryMB: Int?
    public var maxMinutes: Int?
    public var isMpi: Bool?
    public var mpiCmd: String?
    public var cmdPrefix: String?
    public var fileInputs: [JobFileInput]?
    public var fileInputArrays: [JobFileInputArray]?
    public var parameterSet: JobParameterSet?
    public var tags: [String]?
    public var notes: JSONValue?
    public var subscriptions: [JobSubscriptionRequest]?

    public init(name: String, appId: String, appVersion: String) {
        self.name = name
        self.appId = appId
        self.appVersion = appVersion
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, appId, appVersion, owner, tenant, description, jobType, archiveOnAppError, archiveMode
        case execSystemId, execSystemExecDir, execSystemInputDir, execSystemOutputDir
        case archiveSystemId, archiveSystemDir, dtnSystemInputDir, dtnSystemOutputDir, execSystemLogicalQueue
        case nodeCount, coresPerNode, memoryMB, maxMinutes
        case isMpi, mpiCmd, cmdPrefix, fileInputs, fileInputArrays, parameterSet, tags, notes, subscriptions
    }

    /// Tapis submit fields that tapisd recognizes but does not run yet.
    static let notYetSupported: Set<String> = ["dynamicExecSystem", "execSystemConstraints"]

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.container(keyedBy: AnyCodingKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        for key in raw.allKeys where !known.contains(key.stringValue) {
            if Self.notYetSupported.contains(key.stringValue) {
                throw TapisError.invalid(key.stringValue, "is a Tapis field that tapisd does not support yet")
            }
            throw TapisError.invalid(key.stringValue, "is not a field of a Tapis job submit request")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func required(_ key: CodingKeys) throws -> String {
            guard let value = try container.decodeIfPresent(String.self, forKey: key) else {
                throw TapisError.invalid(key.rawValue, "is required")
            }
            return value
        }
        name = try required(.name)
        appId = try required(.appId)
        appVersion = try required(.appVersion)
        owner = try container.decodeIfPresent(String.self, forKey: .owner)
        tenant = try container.decodeIfPresent(String.self, forKey: .tenant)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        jobType = try container.decodeIfPresent(String.self, forKey: .jobType)
        archiveOnAppError = try container.decodeIfPresent(Bool.self, forKey: .archiveOnAppError)
        archiveMode = try container.decodeIfPresent(String.self, forKey: .archiveMode)
        execSystemId = try container.decodeIfPresent(String.self, forKey: .execSystemId)
        execSystemExecDir = try container.decodeIfPresent(String.self, forKey: .execSystemExecDir)
        execSystemInputDir = try container.decodeIfPresent(String.self, forKey: .execSystemInputDir)
        execSystemOutputDir = try container.decodeIfPresent(String.self, forKey: .execSystemOutputDir)
        archiveSystemId = try container.decodeIfPresent(String.self, forKey: .archiveSystemId)
        archiveSystemDir = try container.decodeIfPresent(String.self, forKey: .archiveSystemDir)
        dtnSystemInputDir = try container.decodeIfPresent(String.self, forKey: .dtnSystemInputDir)
        dtnSystemOutputDir = try container.decodeIfPresent(String.self, forKey: .dtnSystemOutputDir)
        execSystemLogicalQueue = try container.decodeIfPresent(String.self, forKey: .execSystemLogicalQueue)
        nodeCount = try container.decodeIfPresent(Int.self, forKey: .nodeCount)
        coresPerNode = try container.decodeIfPresent(Int.self, forKey: .coresPerNode)
        memoryMB = try container.decodeIfPresent(Int.self, forKey: .memoryMB)
        maxMinutes = try container.decodeIfPresent(Int.self, forKey: .maxMinutes)
        isMpi = try container.decodeIfPresent(Bool.self, forKey: .isMpi)
        mpiCmd = try container.decodeIfPresent(String.self, forKey: .mpiCmd)
        cmdPrefix = try container.decodeIfPresent(String.self, forKey: .cmdPrefix)
        fileInputs = try container.decodeIfPresent([JobFileInput].self, forKey: .fileInputs)
        fileInputArrays = try container.decodeIfPresent([JobFileInputArray].self, forKey: .fileInputArrays)
        parameterSet = try container.decodeIfPresent(JobParameterSet.self, forKey: .parameterSet)
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        notes = try container.decodeIfPresent(JSONValue.self, forKey: .notes)
        subscriptions = try container.decodeIfPresent([JobSubscriptionRequest].self, forKey: .subscriptions)
    }
}

/// A coding key for any string, used to see every key of an object.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Refuses the keys of an object that its type does not know, naming the first.
enum StrictKeys {
    static func check(_ decoder: any Decoder, known: [String], in what: String) throws {
        let raw = try decoder.container(keyedBy: AnyCodingKey.self)
        if let key = raw.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw TapisError.invalid(key.stringValue, "is not a field of \(what)")
        }
    }
}
