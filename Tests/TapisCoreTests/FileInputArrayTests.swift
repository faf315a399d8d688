import Foundation
import Testing
import TapisCore

/// File input arrays (spec §2.3): merged by name, expanded into single inputs.
@Suite struct FileInputArrayTests {
    static let systems = ["exec": JobResolverTests.system()]

    static func merge(app: [AppFileInputArray], request: [JobFileInputArray], strict: Bool = false) throws -> (inputs: [ResolvedFileInput], variables: [KeyValuePair]) {
        try FileInputArrayMerge(app: app, request: request, strict: strict, inputDir: "/in", systems: systems).merged()
    }

    static func appArray(_ name: String, mode: String, sources: [String]?, targetDir: String? = nil, envKey: String? = nil) throws -> AppFileInputArray {
        var object: [String: Any] = ["name": name, "inputMode": mode]
        object["sourceUrls"] = sources
        object["targetDir"] = targetDir
        object["envKey"] = envKey
        return try JSONDecoder().decode(AppFileInputArray.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test func anArrayBecomesOneInputPerSourceInItsDirectory() throws {
        let app = [try Self.appArray("data", mode: "OPTIONAL", sources: ["tapis://exec/a/one.txt", "https://example.org/two.csv"], targetDir: "data", envKey: "DATA_DIR")]
        let merged = try Self.merge(app: app, request: [])
        #expect(merged.inputs.map(\.targetPath) == ["/in/data/one.txt", "/in/data/two.csv"])
        #expect(merged.inputs.map { $0.name ?? "" } == ["data[0]", "data[1]"])
        #expect(merged.variables == [KeyValuePair(key: "DATA_DIR", value: "/in/data")])
    }

    @Test func theRequestsSourcesReplaceTheApps() throws {
        let app = [try Self.appArray("data", mode: "REQUIRED", sources: ["tapis://exec/a/one.txt"])]
        let merged = try Self.merge(app: app, request: [JobFileInputArray(name: "data", sourceUrls: ["tapis://exec/b/three.txt"], targetDir: "*")])
        #expect(merged.inputs.map(\.targetPath) == ["/in/three.txt"])
    }

    @Test func rulesAreEnforced() throws {
        let fixed = [try Self.appArray("data", mode: "FIXED", sources: ["tapis://exec/a/one.txt"])]
        let changed = #expect(throws: TapisError.self) { try Self.merge(app: fixed, request: [JobFileInputArray(name: "data", sourceUrls: ["tapis://exec/x"])]) }
        #expect(changed?.message == "fileInputArrays: array \"data\" is FIXED by the app and cannot be changed")
        let required = [try Self.appArray("data", mode: "REQUIRED", sources: nil)]
        let missing = #expect(throws: TapisError.self) { try Self.merge(app: required, request: []) }
        #expect(missing?.message == "fileInputArrays: array \"data\" is REQUIRED and has no sourceUrls")
        let local = #expect(throws: TapisError.self) { try Self.merge(app: [], request: [JobFileInputArray(name: "l", sourceUrls: ["tapislocal://exec.tapis/x/y"])]) }
        #expect(local?.message == "fileInputArrays: array \"l\": tapislocal sources are not allowed in arrays")
        let escape = #expect(throws: TapisError.self) { try Self.merge(app: [], request: [JobFileInputArray(name: "e", sourceUrls: ["tapis://exec/x"], targetDir: "../up")]) }
        #expect(escape?.message.hasPrefix("fileInputArrays.targetDir") == true, "\(escape?.message ?? "")")
        let strict = #expect(throws: TapisError.self) { try Self.merge(app: [], request: [JobFileInputArray(name: "other", sourceUrls: ["tapis://exec/x"])], strict: true) }
        #expect(strict?.message == "fileInputArrays: the app has no input array named \"other\" (strictFileInputs)")
    }
}
