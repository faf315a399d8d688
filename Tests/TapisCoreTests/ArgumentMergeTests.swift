import Testing
import TapisCore

/// The argument table of spec §2.4: each app input mode against each way a request can treat the argument.
@Suite struct ArgumentMergeTests {
    static func request(include: Bool?, arg: String = "--req") -> [JobArgSpec] {
        var spec = JobArgSpec(name: "a", arg: arg)
        spec.include = include
        return [spec]
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var mode: String
        var column: String
        /// The request's arguments; empty when it does not reference the app's.
        var request: [JobArgSpec]
        /// The merged arguments, or the error message.
        var expected: Result<[String], TapisError>
        var testDescription: String { "\(mode) × \(column)" }
    }

    static let fixed = TapisError.invalid("parameterSet.appArgs", "argument \"a\" is FIXED by the app and cannot be changed")

    static let rows: [Row] = [
        Row(mode: "REQUIRED", column: "include true", request: request(include: true), expected: .success(["--req"])),
        Row(mode: "REQUIRED", column: "include unset", request: request(include: nil), expected: .success(["--req"])),
        Row(mode: "REQUIRED", column: "include false", request: request(include: false), expected: .success(["--req"])),
        Row(mode: "REQUIRED", column: "not referenced", request: [], expected: .success(["--app"])),
        Row(mode: "FIXED", column: "include true, same arg", request: request(include: true, arg: "--app"), expected: .success(["--app"])),
        Row(mode: "FIXED", column: "include unset, blank arg", request: request(include: nil, arg: ""), expected: .success(["--app"])),
        Row(mode: "FIXED", column: "include false", request: request(include: false, arg: "--app"), expected: .success(["--app"])),
        Row(mode: "FIXED", column: "not referenced", request: [], expected: .success(["--app"])),
        Row(mode: "FIXED", column: "include true, overriding arg", request: request(include: true), expected: .failure(fixed)),
        Row(mode: "FIXED", column: "include unset, overriding arg", request: request(include: nil), expected: .failure(fixed)),
        Row(mode: "INCLUDE_ON_DEMAND", column: "include true", request: request(include: true), expected: .success(["--req"])),
        Row(mode: "INCLUDE_ON_DEMAND", column: "include unset", request: request(include: nil), expected: .success(["--req"])),
        Row(mode: "INCLUDE_ON_DEMAND", column: "include false", request: request(include: false), expected: .success([])),
        Row(mode: "INCLUDE_ON_DEMAND", column: "not referenced", request: [], expected: .success([])),
        Row(mode: "INCLUDE_BY_DEFAULT", column: "include true", request: request(include: true), expected: .success(["--req"])),
        Row(mode: "INCLUDE_BY_DEFAULT", column: "include unset", request: request(include: nil), expected: .success(["--req"])),
        Row(mode: "INCLUDE_BY_DEFAULT", column: "include false", request: request(include: false), expected: .success([])),
        Row(mode: "INCLUDE_BY_DEFAULT", column: "not referenced", request: [], expected: .success(["--app"])),
    ]

    @Test(arguments: rows)
    func inputModeTable(row: Row) {
        let merge = ArgumentMerge(app: [AppArgSpec(name: "a", inputMode: row.mode, arg: "--app")], request: row.request)
        #expect(Result { () throws(TapisError) in try merge.merged().map(\.arg) } == row.expected)
    }

    @Test func theModeDefaultsToIncludeOnDemand() throws {
        #expect(try ArgumentMerge(app: [AppArgSpec(name: "a", arg: "--app")], request: []).merged().isEmpty)
        #expect(try ArgumentMerge(app: [AppArgSpec(name: "a", arg: "--app")], request: Self.request(include: nil, arg: " ")).merged().map(\.arg) == ["--app"])
    }

    @Test func requestArgumentsTheAppDoesNotNameAreAppendedInOrder() throws {
        let app = [AppArgSpec(name: "first", inputMode: "REQUIRED", arg: "1"), AppArgSpec(name: "second", inputMode: "INCLUDE_BY_DEFAULT", arg: "2")]
        var off = JobArgSpec(arg: "skipped")
        off.include = false
        let request = [JobArgSpec(arg: "unnamed"), JobArgSpec(name: "second", arg: "2b"), JobArgSpec(name: "mine", arg: "named"), off]
        #expect(try ArgumentMerge(app: app, request: request).merged().map(\.arg) == ["1", "2b", "unnamed", "named"])
    }

    @Test func badDefinitionsAreRefusedNamingTheField() {
        let required = #expect(throws: TapisError.self) { try ArgumentMerge(app: [AppArgSpec(name: "a", inputMode: "REQUIRED", arg: nil)], request: []).merged() }
        #expect(required?.message == "parameterSet.appArgs: argument \"a\" is REQUIRED and has no value")
        let mode = #expect(throws: TapisError.self) {
            try ArgumentMerge(app: [AppArgSpec(name: "a", inputMode: "OFTEN", arg: "x")], request: [], field: "parameterSet.schedulerOptions").merged()
        }
        #expect(mode?.message == "parameterSet.schedulerOptions: input mode OFTEN of argument \"a\" is not one of REQUIRED, FIXED, INCLUDE_ON_DEMAND, INCLUDE_BY_DEFAULT")
        let twice = #expect(throws: TapisError.self) { try ArgumentMerge(app: [], request: Self.request(include: nil) + Self.request(include: nil)).merged() }
        #expect(twice?.message == "parameterSet.appArgs: argument name \"a\" appears twice")
    }
}
