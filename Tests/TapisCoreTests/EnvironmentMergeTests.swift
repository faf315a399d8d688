import Testing
import TapisCore

/// The env-precedence and input-mode table of spec §2.4, row by row.
@Suite struct EnvironmentMergeTests {
    static func pair(_ key: String, _ value: String?, mode: String? = nil, include: Bool? = nil) -> KeyValuePair {
        var pair = KeyValuePair(key: key, value: value)
        pair.inputMode = mode
        pair.include = include
        return pair
    }

    static func merge(system: [KeyValuePair] = [], app: [KeyValuePair] = [], request: [KeyValuePair] = []) throws -> [String: String] {
        let merged = try EnvironmentMerge(system: system, app: app, request: request).merged(inputVariables: [], macros: Macros())
        return Dictionary(uniqueKeysWithValues: merged.map { ($0.key, $0.value ?? "") })
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var system: [KeyValuePair] = []
        var app: [KeyValuePair] = []
        var request: [KeyValuePair] = []
        /// The variable V's value, nil when unset.
        var expected: String?
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "system only", system: [pair("V", "s")], expected: "s"),
        Row(name: "app beats system", system: [pair("V", "s")], app: [pair("V", "a")], expected: "a"),
        Row(name: "request beats app and system", system: [pair("V", "s")], app: [pair("V", "a")], request: [pair("V", "r")], expected: "r"),
        Row(name: "request only", request: [pair("V", "r")], expected: "r"),
        Row(name: "INCLUDE_BY_DEFAULT is set", app: [pair("V", "a", mode: "INCLUDE_BY_DEFAULT")], expected: "a"),
        Row(name: "INCLUDE_BY_DEFAULT turned off", app: [pair("V", "a", mode: "INCLUDE_BY_DEFAULT")], request: [pair("V", nil, include: false)], expected: nil),
        Row(name: "INCLUDE_ON_DEMAND not asked", app: [pair("V", "a", mode: "INCLUDE_ON_DEMAND")], expected: nil),
        Row(name: "INCLUDE_ON_DEMAND asked for", app: [pair("V", "a", mode: "INCLUDE_ON_DEMAND")], request: [pair("V", nil)], expected: "a"),
        Row(name: "INCLUDE_ON_DEMAND with a value", app: [pair("V", "a", mode: "INCLUDE_ON_DEMAND")], request: [pair("V", "r")], expected: "r"),
        Row(name: "REQUIRED with a value", system: [pair("V", "s", mode: "REQUIRED")], expected: "s"),
        Row(name: "REQUIRED given by the request", app: [pair("V", EnvironmentMerge.notSet, mode: "REQUIRED")], request: [pair("V", "r")], expected: "r"),
        Row(name: "REQUIRED cannot be turned off", app: [pair("V", "a", mode: "REQUIRED")], request: [pair("V", nil, include: false)], expected: "a"),
        Row(name: "FIXED stays", system: [pair("V", "s", mode: "FIXED")], expected: "s"),
        Row(name: "FIXED given again with its value", app: [pair("V", "a", mode: "FIXED")], request: [pair("V", "a")], expected: "a"),
        Row(name: "request-only variable turned off", request: [pair("V", "r", include: false)], expected: nil),
    ]

    @Test(arguments: rows) func precedenceAndModes(row: Row) throws {
        #expect(try Self.merge(system: row.system, app: row.app, request: row.request)["V"] == row.expected)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var system: [KeyValuePair] = []
        var app: [KeyValuePair] = []
        var request: [KeyValuePair] = []
        var message: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "request changes a system FIXED", system: [pair("V", "s", mode: "FIXED")], request: [pair("V", "r")],
                message: "parameterSet.envVariables: variable V is FIXED by the system and cannot be changed"),
        Refusal(name: "app changes a system FIXED", system: [pair("V", "s", mode: "FIXED")], app: [pair("V", "a")],
                message: "parameterSet.envVariables: variable V is FIXED by the system and cannot be changed"),
        Refusal(name: "request changes an app FIXED", app: [pair("V", "a", mode: "FIXED")], request: [pair("V", "r")],
                message: "parameterSet.envVariables: variable V is FIXED by the app and cannot be changed"),
        Refusal(name: "REQUIRED left unset", app: [pair("V", EnvironmentMerge.notSet, mode: "REQUIRED")],
                message: "parameterSet.envVariables: variable V must be given a value by the request"),
        Refusal(name: "a default left unset", app: [pair("V", nil)],
                message: "parameterSet.envVariables: variable V must be given a value by the request"),
        Refusal(name: "unknown input mode", app: [pair("V", "a", mode: "SOMETIMES")],
                message: "parameterSet.envVariables: input mode SOMETIMES of app variable V is not one of FIXED, INCLUDE_BY_DEFAULT, INCLUDE_ON_DEMAND, REQUIRED"),
        Refusal(name: "reserved name", request: [pair("_tapisJobUUID", "x")],
                message: "parameterSet.envVariables: names starting with _tapis are reserved"),
        Refusal(name: "bad name", request: [pair("A-B", "x")],
                message: "parameterSet.envVariables: \"A-B\" is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)"),
        Refusal(name: "twice in the request", request: [pair("V", "1"), pair("V", "2")],
                message: "parameterSet.envVariables: variable V appears twice"),
        Refusal(name: "control character", request: [pair("V", "a\nb")],
                message: "parameterSet.envVariables.V: control character U+000A is not allowed"),
        Refusal(name: "one variable over Linux's limit", request: [pair("V", String(repeating: "x", count: 131_070))],
                message: "parameterSet.envVariables.V: is 131072 bytes; Linux hands a program at most 131071 bytes per variable (pass large data as a file input)"),
        Refusal(name: "all variables over the limit", request: (0..<9).map { pair("V\($0)", String(repeating: "x", count: 120_000)) },
                message: "parameterSet.envVariables: the job's variables come to 1080036 bytes; at most 1048576 fit beside a program's arguments (pass large data as a file input)"),
    ]

    @Test(arguments: refusals) func refusalsNameTheVariableAndTheRule(row: Refusal) {
        let error = #expect(throws: TapisError.self) { try Self.merge(system: row.system, app: row.app, request: row.request) }
        #expect(error?.message == row.message)
    }
}
