import Foundation
import Testing
import TapisCore

/// The request fields' own rules and inherit chains (spec §2.1), the owner, and the DTN (spec §2.2).
@Suite struct SubmitFieldTests {
    static func request() -> JobSubmitRequest { JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0") }

    static func message(_ request: JobSubmitRequest, app: TapisApp = JobResolverTests.app(), systems: [TapisSystem] = [JobResolverTests.system()]) -> String? {
        (#expect(throws: TapisError.self) { try JobResolverTests.resolve(request, app: app, systems: systems) })?.message
    }

    @Test func limitsBelowOneAreRefusedOrUnset() throws {
        var request = Self.request()
        request.memoryMB = 0
        #expect(Self.message(request) == "memoryMB: must be at least 1 (it is 0)")
        request.memoryMB = nil
        request.maxMinutes = -5
        #expect(Self.message(request) == "maxMinutes: must be at least 1 (it is -5)")
        request.maxMinutes = 1
        request.nodeCount = 0
        request.coresPerNode = -1
        let job = try JobResolverTests.resolve(request)
        #expect(job.nodeCount == 2 && job.coresPerNode == 1 && job.maxMinutes == 1, "nodeCount and coresPerNode ≤ 0 count as unset")
    }

    @Test func sizesBeyondAnyMachineAreRefusedSoNoProductOfThemOverflows() throws {
        var request = Self.request()
        request.coresPerNode = 1 << 62
        request.nodeCount = 4
        #expect(Self.message(request) == "coresPerNode: must be at most 100000 (it is \(1 << 62))")
        request.coresPerNode = 100_000
        request.maxMinutes = Int.max
        #expect(Self.message(request) == "maxMinutes: must be at most 5256000 (it is \(Int.max))")
        request.maxMinutes = 60
        var app = JobResolverTests.app()
        app.jobAttributes?.memoryMB = 1_000_000_001
        #expect(Self.message(request, app: app) == "memoryMB: must be at most 1000000000 (it is 1000000001)", "an app's defaults are bounded too")
        #expect(try JobResolverTests.resolve(request).coresPerNode == 100_000)
    }

    @Test func tagsAreUniqueSortedAndBounded() throws {
        var app = JobResolverTests.app()
        app.jobAttributes?.tags = ["c", "a"]
        var request = Self.request()
        request.tags = ["b", "a", "b", String(repeating: "t", count: 126)]
        #expect(try JobResolverTests.resolve(request, app: app).tags == ["a", "b", "c", String(repeating: "t", count: 126)])
        request.tags = [String(repeating: "t", count: 127)]
        #expect(Self.message(request, app: app) == "tags: each tag must be 1 to 126 characters (one has 127)")
        request.tags = [""]
        #expect(Self.message(request, app: app) == "tags: each tag must be 1 to 126 characters (one has 0)")
    }

    @Test func notesComeFromTheRequestElseTheAppAndAreBounded() throws {
        var app = JobResolverTests.app()
        app.jobAttributes?.notes = .object(["from": .string("app")])
        var request = Self.request()
        #expect(try JobResolverTests.resolve(request, app: app).notes == .object(["from": .string("app")]))
        request.notes = .object(["from": .string("request")])
        #expect(try JobResolverTests.resolve(request, app: app).notes == .object(["from": .string("request")]))
        request.notes = .string(String(repeating: "n", count: JobResolver.maxNotesBytes - 2))
        _ = try JobResolverTests.resolve(request, app: app)
        request.notes = .string(String(repeating: "n", count: JobResolver.maxNotesBytes - 1))
        #expect(Self.message(request, app: app) == "notes: longer than 65536 bytes as JSON (65537)")
    }

    @Test func archiveSettingsInheritFromTheApp() throws {
        var app = JobResolverTests.app()
        app.jobAttributes?.archiveMode = "SKIP_ON_FAIL"
        var request = Self.request()
        let skip = try JobResolverTests.resolve(request, app: app)
        #expect(skip.archiveMode == .skipOnFail && !skip.archiveOnAppError)
        request.archiveMode = "ALWAYS"
        app.jobAttributes?.archiveOnAppError = false
        #expect(try JobResolverTests.resolve(request, app: app).archiveOnAppError == false)
        request.archiveOnAppError = true
        #expect(try JobResolverTests.resolve(request, app: app).archiveOnAppError == true)
        app.jobAttributes?.archiveMode = "SOMETIMES"
        request.archiveMode = nil
        #expect(Self.message(request, app: app) == "archiveMode: must be ALWAYS, SKIP_ON_FAIL or NEVER")
    }

    @Test func theAppsDescriptionTakesMacros() throws {
        var app = JobResolverTests.app()
        app.jobAttributes?.description = "${AppId} run by ${JobOwner}"
        #expect(try JobResolverTests.resolve(Self.request(), app: app).description == "hello run by alice")
    }

    @Test func anAppLogConfigNamesBothFilesOrNeither() throws {
        var app = JobResolverTests.app()
        try app.validate()
        app.jobAttributes?.parameterSet?.logConfig = LogConfig(stdoutFilename: "out.txt")
        let error = #expect(throws: TapisError.self) { try app.validate() }
        #expect(error?.message == "jobAttributes.parameterSet.logConfig: must set both stdoutFilename and stderrFilename, or neither")
        app.jobAttributes?.parameterSet?.logConfig = LogConfig(stdoutFilename: "out.txt", stderrFilename: "err.txt")
        try app.validate()
    }

    @Test func onlyAnAdministratorSubmitsForAnotherUser() throws {
        var request = Self.request()
        request.owner = "bob"
        var resolver = JobResolver(
            request: request, app: JobResolverTests.app(), systems: ["exec": JobResolverTests.system()], owner: "alice", tenant: "t1",
            uuid: JobResolverTests.uuid, now: Date(timeIntervalSince1970: 1_700_000_000))
        let refused = #expect(throws: TapisError.self) { try resolver.resolve() }
        #expect(refused?.code == .forbidden)
        #expect(refused?.message == "owner: submitting a job for another user (bob) is not allowed")

        resolver.callerIsAdmin = true
        let job = try resolver.resolve()
        let env = Dictionary(uniqueKeysWithValues: job.parameterSet.envVariables.map { ($0.key, $0.value ?? "") })
        #expect(job.owner == "bob" && resolver.jobOwner == "bob")
        #expect(env["_tapisJobOwner"] == "bob" && env["_tapisEffectiveUserId"] == "bob" && env["_tapisJobWorkingDir"] == "/work/bob")
        resolver.request.owner = "b;ob"
        #expect((#expect(throws: TapisError.self) { try resolver.resolve() })?.message == "owner: the character ';' is not allowed")
        resolver.callerIsAdmin = false
        resolver.request.owner = "x\n<5>forged"
        #expect((#expect(throws: TapisError.self) { try resolver.resolve() })?.code == .badRequest, "checked before it is quoted in any refusal")
    }

    @Test func theDtnMustBeAnotherSystemWithTheSameRoot() throws {
        var exec = JobResolverTests.system()
        exec.dtnSystemId = "dtn"
        var dtn = JobResolverTests.system("dtn")
        #expect(Self.message(Self.request(), systems: [exec]) == "dtnSystemId: no system named \"dtn\"")
        dtn.rootDir = "/data"
        #expect(Self.message(Self.request(), systems: [exec, dtn]) == "dtnSystemId: DTN system dtn has rootDir /data, not the exec system exec's /")
        dtn.rootDir = "/"
        dtn.enabled = false
        #expect(Self.message(Self.request(), systems: [exec, dtn]) == "dtnSystemId: system dtn is disabled")
        exec.dtnSystemId = "exec"
        #expect(Self.message(Self.request(), systems: [exec]) == "dtnSystemId: system exec names itself as its DTN")
        let itself = #expect(throws: TapisError.self) { try exec.validate() }
        #expect(itself?.message == "dtnSystemId: must name another system, not exec itself")
    }

    @Test func dtnDirectoriesInheritAndNotSetCancels() throws {
        var exec = JobResolverTests.system()
        exec.dtnSystemId = "dtn"
        var app = JobResolverTests.app()
        app.jobAttributes?.dtnSystemInputDir = "/dtn/${JobOwner}/in"
        app.jobAttributes?.dtnSystemOutputDir = "/dtn/${JobOwner}/out"
        var request = Self.request()
        request.dtnSystemOutputDir = "!tapis_not_set"
        let job = try JobResolverTests.resolve(request, app: app, systems: [exec, JobResolverTests.system("dtn")])
        #expect(job.dtnSystemId == "dtn" && job.dtnSystemInputDir == "/dtn/alice/in" && job.dtnSystemOutputDir == nil)
        #expect(job.parameterSet.envVariables.contains(KeyValuePair(key: "_tapisDtnSystemOutputDir", value: "")))
        request.dtnSystemInputDir = "/dtn/../etc"
        #expect(Self.message(request, app: app, systems: [exec, JobResolverTests.system("dtn")])?.hasPrefix("dtnSystemInputDir: ") == true)

        let decoded = try TapisJSON.decode(
            JobSubmitRequest.self, from: Data(#"{"name":"n","appId":"a","appVersion":"1","dtnSystemInputDir":"/i","dtnSystemOutputDir":"/o"}"#.utf8))
        #expect(decoded.dtnSystemInputDir == "/i" && decoded.dtnSystemOutputDir == "/o")
    }
}
