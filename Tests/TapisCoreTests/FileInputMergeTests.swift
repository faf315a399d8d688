import Testing
import TapisCore

/// The file input table of spec §2.3: each app input mode against each way a request can treat the input.
@Suite struct FileInputMergeTests {
    static let appSource = "tapis://exec/app/a.txt"
    static let requestSource = "tapis://exec/req/r.txt"

    static func merge(app: [AppFileInput], request: [JobFileInput], strict: Bool = false) throws -> [ResolvedFileInput] {
        try FileInputMerge(app: app, request: request, strict: strict, inputDir: "/in", systems: ["exec": JobResolverTests.system()]).merged()
    }

    enum Outcome: Sendable, Equatable {
        /// Staged from this source to this target, with this `optional` flag.
        case staged(String, String, optional: Bool)
        /// Not staged at all.
        case dropped
        /// Refused with this message.
        case refused(String)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var mode: String
        var column: String
        /// Whether the app's definition has a sourceUrl.
        var appComplete: Bool
        /// How the request names the input; nil when it omits it.
        var request: JobFileInput?
        var expected: Outcome
        var testDescription: String { "\(mode) × \(column)" }
    }

    static let complete = JobFileInput(name: "in", sourceUrl: requestSource)
    static let incomplete = JobFileInput(name: "in", sourceUrl: nil, targetPath: "t.txt")
    static let nameOnly = JobFileInput(name: "in", sourceUrl: nil)
    static let unchanged = JobFileInput(name: "in", sourceUrl: appSource)
    static let fixedSource = Outcome.refused("fileInputs.sourceUrl: input \"in\" is FIXED by the app and cannot be changed")
    static let fixedTarget = Outcome.refused("fileInputs.targetPath: input \"in\" is FIXED by the app and cannot be changed")

    static let rows: [Row] = [
        Row(mode: "REQUIRED", column: "names it complete", appComplete: true, request: complete, expected: .staged(requestSource, "/in/r.txt", optional: false)),
        Row(mode: "OPTIONAL", column: "names it complete", appComplete: true, request: complete, expected: .staged(requestSource, "/in/r.txt", optional: true)),
        Row(mode: "FIXED", column: "names it complete", appComplete: true, request: complete, expected: fixedSource),
        Row(mode: "REQUIRED", column: "names it complete, app has no source", appComplete: false, request: complete, expected: .staged(requestSource, "/in/r.txt", optional: false)),
        Row(mode: "OPTIONAL", column: "names it complete, app has no source", appComplete: false, request: complete, expected: .staged(requestSource, "/in/r.txt", optional: true)),
        Row(mode: "FIXED", column: "names it complete, app has no source", appComplete: false, request: complete, expected: fixedSource),
        Row(mode: "FIXED", column: "names it unchanged", appComplete: true, request: unchanged, expected: .staged(appSource, "/in/a.txt", optional: false)),
        Row(mode: "REQUIRED", column: "names it incomplete, the app fills the blank", appComplete: true, request: incomplete, expected: .staged(appSource, "/in/t.txt", optional: false)),
        Row(mode: "OPTIONAL", column: "names it incomplete, the app fills the blank", appComplete: true, request: incomplete, expected: .staged(appSource, "/in/t.txt", optional: true)),
        Row(mode: "FIXED", column: "names it incomplete, the app fills the blank", appComplete: true, request: incomplete, expected: fixedTarget),
        Row(mode: "REQUIRED", column: "names it incomplete", appComplete: false, request: nameOnly, expected: .refused("fileInputs: input \"in\" is REQUIRED and has no sourceUrl")),
        Row(mode: "OPTIONAL", column: "names it incomplete", appComplete: false, request: nameOnly, expected: .dropped),
        Row(mode: "FIXED", column: "names it incomplete", appComplete: false, request: nameOnly, expected: .refused("fileInputs: input \"in\" is FIXED and has no sourceUrl")),
        Row(mode: "REQUIRED", column: "omits it", appComplete: true, expected: .staged(appSource, "/in/a.txt", optional: false)),
        Row(mode: "OPTIONAL", column: "omits it", appComplete: true, expected: .staged(appSource, "/in/a.txt", optional: true)),
        Row(mode: "FIXED", column: "omits it", appComplete: true, expected: .staged(appSource, "/in/a.txt", optional: false)),
        Row(mode: "REQUIRED", column: "omits it, app has no source", appComplete: false, expected: .refused("fileInputs: input \"in\" is REQUIRED and has no sourceUrl")),
        Row(mode: "OPTIONAL", column: "omits it, app has no source", appComplete: false, expected: .dropped),
        Row(mode: "FIXED", column: "omits it, app has no source", appComplete: false, expected: .refused("fileInputs: input \"in\" is FIXED and has no sourceUrl")),
    ]

    @Test(arguments: rows)
    func inputModeTable(row: Row) throws {
        let app = AppFileInput(name: "in", inputMode: row.mode, sourceUrl: row.appComplete ? Self.appSource : nil)
        let outcome: Outcome
        do {
            let merged = try Self.merge(app: [app], request: row.request.map { [$0] } ?? [])
            outcome = merged.first.map { .staged($0.sourceUrl, $0.targetPath, optional: $0.optional ?? false) } ?? .dropped
            #expect(merged.count <= 1)
        } catch let error as TapisError {
            #expect(error.code == .badRequest)
            outcome = .refused(error.message)
        }
        #expect(outcome == row.expected)
    }

    @Test(arguments: ["sourceUrl", "targetPath", "description", "autoMountLocal", "notes"])
    func aFixedInputRefusesEveryChange(field: String) throws {
        var app = AppFileInput(name: "in", inputMode: "FIXED", sourceUrl: Self.appSource, targetPath: "a.txt")
        app.description = "the data"
        app.notes = .object(["kind": .string("csv")])
        var same = JobFileInput(name: "in", sourceUrl: Self.appSource, targetPath: "a.txt")
        same.description = "the data"
        same.autoMountLocal = true
        same.notes = app.notes
        #expect(try Self.merge(app: [app], request: [same]).map(\.description) == ["the data"])

        var changed = same
        switch field {
        case "sourceUrl": changed.sourceUrl = "tapis://exec/other.txt"
        case "targetPath": changed.targetPath = "b.txt"
        case "description": changed.description = "mine"
        case "autoMountLocal": changed.autoMountLocal = false
        default: changed.notes = .object([:])
        }
        let error = #expect(throws: TapisError.self) { try Self.merge(app: [app], request: [changed]) }
        #expect(error?.message == "fileInputs.\(field): input \"in\" is FIXED by the app and cannot be changed")
    }

    @Test func descriptionsAreConcatenatedAppFirst() throws {
        var app = AppFileInput(name: "in", inputMode: "REQUIRED", sourceUrl: Self.appSource)
        app.description = "From the app."
        var request = JobFileInput(name: "in", sourceUrl: nil)
        request.description = "From the request."
        #expect(try Self.merge(app: [app], request: [request]).first?.description == "From the app.\n\nFrom the request.")
        #expect(try Self.merge(app: [app], request: []).first?.description == "From the app.")
        app.description = nil
        #expect(try Self.merge(app: [app], request: [request]).first?.description == "From the request.")
    }

    @Test func theModeDefaultsToOptionalAndAnUnknownOneIsRefused() throws {
        #expect(try Self.merge(app: [AppFileInput(name: "in", sourceUrl: Self.appSource)], request: []).first?.optional == true)
        #expect(try Self.merge(app: [AppFileInput(name: "in")], request: []).isEmpty)
        let error = #expect(throws: TapisError.self) { try Self.merge(app: [AppFileInput(name: "in", inputMode: "SOMETIMES")], request: []) }
        #expect(error?.message == "fileInputs: input mode SOMETIMES of input \"in\" is not one of REQUIRED, OPTIONAL, FIXED")
    }

    @Test func strictFileInputsAndDuplicateNames() throws {
        let app = [AppFileInput(name: "in", inputMode: "OPTIONAL", sourceUrl: Self.appSource)]
        let extra = JobFileInput(name: "extra", sourceUrl: Self.requestSource)
        let unnamed = JobFileInput(sourceUrl: Self.requestSource)
        let loose = try Self.merge(app: app, request: [extra, unnamed])
        #expect(loose.map(\.targetPath) == ["/in/a.txt", "/in/r.txt", "/in/r.txt"])
        #expect(loose.map { $0.optional ?? true } == [true, false, false], "only the app's OPTIONAL input is optional")

        let unknown = #expect(throws: TapisError.self) { try Self.merge(app: app, request: [extra], strict: true) }
        #expect(unknown?.message == "fileInputs: the app has no input named \"extra\" (strictFileInputs)")
        let anonymous = #expect(throws: TapisError.self) { try Self.merge(app: app, request: [unnamed], strict: true) }
        #expect(anonymous?.message == "fileInputs: the app has strictFileInputs: every input must name one of the app's inputs")
        #expect(try Self.merge(app: app, request: [JobFileInput(name: "in", sourceUrl: Self.requestSource)], strict: true).count == 1)

        let twice = #expect(throws: TapisError.self) { try Self.merge(app: app, request: [extra, extra]) }
        #expect(twice?.message == "fileInputs: input name \"extra\" appears twice")
        let empty = #expect(throws: TapisError.self) { try Self.merge(app: [], request: [JobFileInput(name: "x", sourceUrl: " ")]) }
        #expect(empty?.message == "fileInputs: input \"x\" has no sourceUrl")
    }
}
