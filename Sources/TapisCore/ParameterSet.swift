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

/// An app's `parameterSet`.
public struct AppParameterSet: Codable, Sendable, Equatable {
    public var appArgs: [AppArgSpec]?
    public var envVariables: [KeyValuePair]?
    public var archiveFilter: ArchiveFilterSpec?

    public init(appArgs: [AppArgSpec]? = nil, envVariables: [KeyValuePair]? = nil, archiveFilter: ArchiveFilterSpec? = nil) {
        self.appArgs = appArgs
        self.envVariables = envVariables
        self.archiveFilter = archiveFilter
    }
}

/// A request's `parameterSet`.
public struct JobParameterSet: Codable, Sendable, Equatable {
    public var appArgs: [JobArgSpec]?
    public var envVariables: [KeyValuePair]?
    public var archiveFilter: ArchiveFilterSpec?

    public init(appArgs: [JobArgSpec]? = nil, envVariables: [KeyValuePair]? = nil, archiveFilter: ArchiveFilterSpec? = nil) {
        self.appArgs = appArgs
        self.envVariables = envVariables
        self.archiveFilter = archiveFilter
    }
}

/// An app's file input (Tapis `AppFileInput`).
public struct AppFileInput: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var inputMode: String?
    public var sourceUrl: String?
    public var targetPath: String?
    public var envKey: String?
}

/// A request's file input (Tapis `JobFileInput`).
public struct JobFileInput: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var sourceUrl: String?
    public var targetPath: String?
    public var envKey: String?

    public init(name: String? = nil, sourceUrl: String?, targetPath: String? = nil) {
        self.name = name
        self.sourceUrl = sourceUrl
        self.targetPath = targetPath
    }
}
