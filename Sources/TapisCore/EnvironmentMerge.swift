/// Merges environment variables (spec §2.4): app < request, then the file inputs' `envKey`s, then
/// the `_tapis` macros; sorted case-insensitively as Tapis does.
public struct EnvironmentMerge: Sendable {
    /// The literal Tapis uses for "must be supplied by the request".
    public static let notSet = "!tapis_not_set"

    public var app: [KeyValuePair]
    public var request: [KeyValuePair]

    public init(app: [KeyValuePair], request: [KeyValuePair]) {
        self.app = app
        self.request = request
    }

    /// - Throws: `TapisError.badRequest` naming the variable.
    public func merged(inputs: [ResolvedFileInput], macros: Macros) throws(TapisError) -> [KeyValuePair] {
        let field = "parameterSet.envVariables"
        var values: [String: String] = [:]
        var order: [String] = []
        func put(_ key: String, _ value: String) {
            if values[key] == nil { order.append(key) }
            values[key] = value
        }
        for pair in app {
            try Validation.envKey(pair.key, field: field)
            put(pair.key, pair.value ?? Self.notSet)
        }
        var seen: Set<String> = []
        for pair in request {
            try Validation.envKey(pair.key, field: field)
            if !seen.insert(pair.key).inserted { throw .invalid(field, "variable \(pair.key) appears twice") }
            if (pair.inputMode ?? "").uppercased() == "FIXED" { continue }
            put(pair.key, pair.value ?? "")
        }
        for input in inputs {
            guard let key = input.envKey, !key.isEmpty else { continue }
            try Validation.envKey(key, field: "fileInputs.envKey")
            if values[key] != nil { throw .invalid("fileInputs.envKey", "\(key) is already an environment variable") }
            put(key, input.targetPath)
        }
        var result: [KeyValuePair] = []
        for key in order {
            let value = values[key] ?? ""
            if value == Self.notSet { throw .invalid(field, "variable \(key) must be given a value by the request") }
            try Validation.rejectControlCharacters(value, field: "\(field).\(key)")
            result.append(KeyValuePair(key: key, value: value))
        }
        result += macros.environment
        return result.sorted { $0.key.lowercased() < $1.key.lowercased() }
    }
}
