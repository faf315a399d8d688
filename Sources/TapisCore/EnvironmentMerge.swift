/// Merges environment variables (spec §2.4): the exec system's `jobEnvVariables` < the app's <
/// the request's, then the file inputs' `envKey`s (`inputVariables`), then the `_tapis` macros; sorted
/// case-insensitively as Tapis does.
///
/// A system or app entry's `inputMode` decides (default INCLUDE_BY_DEFAULT): REQUIRED and FIXED are
/// always set (FIXED cannot be changed by a higher level), INCLUDE_ON_DEMAND only when the request
/// names the variable, INCLUDE_BY_DEFAULT unless the request sets `include: false`. A value of
/// `!tapis_not_set` must be replaced by the request when the variable is set.
public struct EnvironmentMerge: Sendable {
    /// The literal Tapis uses for "must be supplied by the request".
    public static let notSet = "!tapis_not_set"
    /// Linux's limit on one `KEY=value` string handed to a program (MAX_ARG_STRLEN, with its NUL).
    public static let maximumVariableSize = 131_072
    /// The most all of a job's variables may take, leaving room for its arguments under the
    /// kernel's limit on a program's arguments and environment together (ARG_MAX, 2 MiB here).
    public static let maximumEnvironmentSize = 1_048_576
    static let modes: Set<String> = ["REQUIRED", "FIXED", "INCLUDE_ON_DEMAND", "INCLUDE_BY_DEFAULT"]

    public var system: [KeyValuePair]
    public var app: [KeyValuePair]
    public var request: [KeyValuePair]

    public init(system: [KeyValuePair] = [], app: [KeyValuePair], request: [KeyValuePair]) {
        self.system = system
        self.app = app
        self.request = request
    }

    private struct Definition {
        var value: String
        var mode: String
        var level: String
    }

    /// - Throws: `TapisError.badRequest` naming the variable and the rule.
    public func merged(inputVariables: [KeyValuePair], macros: Macros) throws(TapisError) -> [KeyValuePair] {
        let field = "parameterSet.envVariables"
        var definitions: [String: Definition] = [:]
        var order: [String] = []
        for (level, pairs) in [("system", system), ("app", app)] {
            for pair in pairs {
                try Validation.envKey(pair.key, field: field)
                let mode = (pair.inputMode ?? "INCLUDE_BY_DEFAULT").uppercased()
                guard Self.modes.contains(mode) else {
                    throw .invalid(field, "input mode \(mode) of \(level) variable \(pair.key) is not one of \(Self.modes.sorted().joined(separator: ", "))")
                }
                if let earlier = definitions[pair.key], earlier.mode == "FIXED", earlier.value != pair.value {
                    throw .invalid(field, "variable \(pair.key) is FIXED by the \(earlier.level) and cannot be changed")
                }
                if definitions[pair.key] == nil { order.append(pair.key) }
                definitions[pair.key] = Definition(value: pair.value ?? Self.notSet, mode: mode, level: level)
            }
        }
        var requested: [String: KeyValuePair] = [:]
        for pair in request {
            try Validation.envKey(pair.key, field: field)
            if requested[pair.key] != nil { throw .invalid(field, "variable \(pair.key) appears twice") }
            if let definition = definitions[pair.key], definition.mode == "FIXED", let value = pair.value, value != definition.value {
                throw .invalid(field, "variable \(pair.key) is FIXED by the \(definition.level) and cannot be changed")
            }
            requested[pair.key] = pair
            if definitions[pair.key] == nil { order.append(pair.key) }
        }

        var values: [String: String] = [:]
        for key in order {
            let asked = requested[key]
            let value: String
            if let definition = definitions[key] {
                let include: Bool
                switch definition.mode {
                case "REQUIRED", "FIXED": include = true
                case "INCLUDE_ON_DEMAND": include = asked != nil && asked?.include != false
                default: include = asked?.include != false
                }
                guard include else { continue }
                value = asked?.value ?? definition.value
            } else {
                guard asked?.include != false else { continue }
                value = asked?.value ?? ""
            }
            if value == Self.notSet { throw .invalid(field, "variable \(key) must be given a value by the request") }
            try Validation.rejectControlCharacters(value, field: "\(field).\(key)")
            let size = key.utf8.count + 1 + value.utf8.count
            guard size < Self.maximumVariableSize else {
                throw .invalid("\(field).\(key)", "is \(size) bytes; Linux hands a program at most \(Self.maximumVariableSize - 1) bytes per variable (pass large data as a file input)")
            }
            values[key] = value
        }
        for variable in inputVariables {
            try Validation.envKey(variable.key, field: "fileInputs.envKey")
            if values[variable.key] != nil { throw .invalid("fileInputs.envKey", "\(variable.key) is already an environment variable") }
            values[variable.key] = variable.value
        }
        let result = values.map { KeyValuePair(key: $0.key, value: $0.value) } + macros.environment
        let total = result.reduce(0) { $0 + $1.key.utf8.count + ($1.value ?? "").utf8.count + 2 }
        guard total <= Self.maximumEnvironmentSize else {
            throw .invalid(field, "the job's variables come to \(total) bytes; at most \(Self.maximumEnvironmentSize) fit beside a program's arguments (pass large data as a file input)")
        }
        return result.sorted { $0.key.lowercased() < $1.key.lowercased() }
    }
}
