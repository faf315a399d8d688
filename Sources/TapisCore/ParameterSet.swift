/// An argument as an app defines it (Tapis `AppArgSpec`).
public struct AppArgSpec: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var inputMode: String?
    public var arg: String?
    public var notes: JSONValue?

    public init(name: String?, inputMode: String? = nil, arg: String?, description: String? = nil) {
        self.name = name
        self.inputMode = inputMode
        self.arg = arg
        self.description = description
    }
}

/// An argument as a request gives it (Tapis `JobArgSpec`).
public struct JobArgSpec: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var include: Bool?
    public var arg: String
    public var notes: JSONValue?

    public init(name: String? = nil, arg: String) {
        self.name = name
        self.arg = arg
    }
}

/// A key/value pair with Tapis's optional fields (`envVariables`).
public struct KeyValuePair: Codable, Sendable, Equatable {
    public var key: String
    public var value: String?
    public var description: String?
    public var inputMode: String?
    /// In a request: whether to set a variable the system or app defines (default true).
    public var include: Bool?
    public var notes: JSONValue?

    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

/// Which outputs are archived: globs or `REGEX:` patterns on paths relative to the output dir.
public struct ArchiveFilterSpec: Codable, Sendable, Equatable {
    public var includes: [String]?
    public var excludes: [String]?
    public var includeLaunchFiles: Bool?

    public init(includes: [String]? = nil, excludes: [String]? = nil, includeLaunchFiles: Bool? = nil) {
        self.includes = includes
        self.excludes = excludes
        self.includeLaunchFiles = includeLaunchFiles
    }
}

/// Where the app's standard output and error go, in the output dir (Tapis `logConfig`; both
/// `tapisjob.out` by default).
public struct LogConfig: Codable, Sendable, Equatable {
    public var stdoutFilename: String?
    public var stderrFilename: String?

    public init(stdoutFilename: String? = nil, stderrFilename: String? = nil) {
        self.stdoutFilename = stdoutFilename
        self.stderrFilename = stderrFilename
    }
}

/// An app's `parameterSet`.
public struct AppParameterSet: Codable, Sendable, Equatable {
    public var appArgs: [AppArgSpec]?
    public var containerArgs: [AppArgSpec]?
    public var schedulerOptions: [AppArgSpec]?
    public var envVariables: [KeyValuePair]?
    public var archiveFilter: ArchiveFilterSpec?
    public var logConfig: LogConfig?

    public init(
        appArgs: [AppArgSpec]? = nil, schedulerOptions: [AppArgSpec]? = nil, envVariables: [KeyValuePair]? = nil,
        archiveFilter: ArchiveFilterSpec? = nil
    ) {
        self.appArgs = appArgs
        self.schedulerOptions = schedulerOptions
        self.envVariables = envVariables
        self.archiveFilter = archiveFilter
    }
}

/// A request's `parameterSet`. Decoding is strict, as for the request itself: an unknown field is
/// refused by name.
public struct JobParameterSet: Codable, Sendable, Equatable {
    public var appArgs: [JobArgSpec]?
    public var containerArgs: [JobArgSpec]?
    public var schedulerOptions: [JobArgSpec]?
    public var envVariables: [KeyValuePair]?
    public var archiveFilter: ArchiveFilterSpec?
    public var logConfig: LogConfig?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case appArgs, containerArgs, schedulerOptions, envVariables, archiveFilter, logConfig
    }

    public init(
        appArgs: [JobArgSpec]? = nil, containerArgs: [JobArgSpec]? = nil, schedulerOptions: [JobArgSpec]? = nil,
        envVariables: [KeyValuePair]? = nil, archiveFilter: ArchiveFilterSpec? = nil, logConfig: LogConfig? = nil
    ) {
        self.appArgs = appArgs
        self.containerArgs = containerArgs
        self.schedulerOptions = schedulerOptions
        self.envVariables = envVariables
        self.archiveFilter = archiveFilter
        self.logConfig = logConfig
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.container(keyedBy: AnyCodingKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        for key in raw.allKeys where !known.contains(key.stringValue) {
            let field = "parameterSet." + key.stringValue
            throw TapisError.invalid(field, "is not a field of a Tapis parameterSet")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        appArgs = try container.decodeIfPresent([JobArgSpec].self, forKey: .appArgs)
        containerArgs = try container.decodeIfPresent([JobArgSpec].self, forKey: .containerArgs)
        schedulerOptions = try container.decodeIfPresent([JobArgSpec].self, forKey: .schedulerOptions)
        envVariables = try container.decodeIfPresent([KeyValuePair].self, forKey: .envVariables)
        archiveFilter = try container.decodeIfPresent(ArchiveFilterSpec.self, forKey: .archiveFilter)
        logConfig = try container.decodeIfPresent(LogConfig.self, forKey: .logConfig)
    }
}

/// An app's file input (Tapis `AppFileInput`).
public struct AppFileInput: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    /// `REQUIRED`, `OPTIONAL` (the default) or `FIXED`.
    public var inputMode: String?
    public var sourceUrl: String?
    public var targetPath: String?
    public var envKey: String?
    /// Whether a `tapislocal` input is bind-mounted into a container (default true); no effect on ZIP apps.
    public var autoMountLocal: Bool?
    public var notes: JSONValue?

    public init(name: String?, inputMode: String? = nil, sourceUrl: String? = nil, targetPath: String? = nil) {
        self.name = name
        self.inputMode = inputMode
        self.sourceUrl = sourceUrl
        self.targetPath = targetPath
    }
}

/// A list of files staged into one directory, as an app defines it (Tapis `AppFileInputArray`).
public struct AppFileInputArray: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var inputMode: String?
    public var sourceUrls: [String]?
    public var targetDir: String?
    public var envKey: String?
}

/// A list of files staged into one directory, as a request gives it (Tapis `JobFileInputArray`).
public struct JobFileInputArray: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var sourceUrls: [String]?
    public var targetDir: String?
    public var envKey: String?

    public init(name: String? = nil, sourceUrls: [String]?, targetDir: String? = nil) {
        self.name = name
        self.sourceUrls = sourceUrls
        self.targetDir = targetDir
    }
}

/// A request's file input (Tapis `JobFileInput`).
public struct JobFileInput: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var sourceUrl: String?
    public var targetPath: String?
    public var envKey: String?
    /// As in `AppFileInput`: no effect on ZIP apps, but a FIXED input may not change it.
    public var autoMountLocal: Bool?
    public var notes: JSONValue?

    public init(name: String? = nil, sourceUrl: String?, targetPath: String? = nil) {
        self.name = name
        self.sourceUrl = sourceUrl
        self.targetPath = targetPath
    }
}
