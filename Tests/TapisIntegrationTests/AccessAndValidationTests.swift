import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Who may see what, and what bad input gets, through the real daemon.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AccessAndValidationTests {
    static let alice = "tapis-alice"
    static let bob = "tapis-bob"

    /// A daemon with the example app, once the test bed's users are there.
    static func daemonForTestUsers() throws -> DaemonHarness {
        guard getpwnam(alice) != nil, getpwnam(bob) != nil else {
            throw TestSetupError("users \(alice) and \(bob) are missing: scripts/test.sh creates them")
        }
        let daemon = try DaemonHarness()
        do { try daemon.registerExampleApp() } catch {
            daemon.shutdown()
            throw error
        }
        return daemon
    }

    /// A daemon that is not running (no socket, or a socket nobody listens on, as a killed daemon
    /// leaves) is reported at once, not after the call's one-minute timeout.
    @Test func aDaemonThatIsNotRunningIsReportedAtOnce() throws {
        let directory = try TemporaryDirectory()
        let stale = directory.file("stale.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: stale.utf8.prefix($0.count - 1)) }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(fd)
        #expect(bound == 0)
        for (path, reason) in [(directory.file("missing.sock"), "No such file"), (stale, "Connection refused")] {
            let clock = ContinuousClock()
            var result: ProgramRunner.Result?
            let elapsed = try clock.measure { result = try ProgramRunner.run([try TestEnvironment.binary("tapis"), "jobs", "list", "--socket", path]) }
            #expect(result?.status == 1 && result?.stderr.contains("cannot reach tapisd at \(path)") == true && result?.stderr.contains(reason) == true, "\(result?.stderr ?? "")")
            #expect(elapsed < .seconds(10), "\(path): \(elapsed)")
        }
    }

    @Test func aJobDirectoryAnotherUserControlsIsRefusedBeforeTheJobRuns() async throws {
        let daemon = try Self.daemonForTestUsers()
        defer { daemon.shutdown() }
        // Bob takes alice's place in the shared work directory before her first job.
        let planted = daemon.stateDirectory + "/work/\(Self.alice)"
        #expect(try ProgramRunner.run(["/bin/mkdir", "-m", "0777", planted], as: Self.bob).status == 0)
        let uuid = try daemon.submitHello(name: "alices-first", as: Self.alice)
        let job = try await daemon.waitFor(uuid, status: .failed)
        #expect(job.lastMessage?.contains("\(planted) belongs to \(Self.bob), not to \(Self.alice)") == true, "\(job.lastMessage ?? "")")
        #expect(job.remoteJobId == nil, "nothing ran")
    }

    @Test func usersSeeAndTouchOnlyTheirOwnJobs() async throws {
        let daemon = try Self.daemonForTestUsers()
        defer { daemon.shutdown() }
        let uuid = try daemon.submitHello(name: "alices-job", env: ["SLEEP_SECONDS": "1"], as: Self.alice)
        let job = try await daemon.waitFor(uuid, status: .finished)
        #expect(job.owner == Self.alice)
        #expect(try daemon.cli(["jobs", "download", uuid, "tapisjob.out"], as: Self.alice).stdout.contains("as \(Self.alice)"),
                "the job ran as its owner, not as the daemon's user")
        var info = stat()
        #expect(stat(daemon.stateDirectory + "/work/\(Self.alice)/jobs/\(uuid)/output/tapisjob.out", &info) == 0)
        #expect(info.st_uid == getpwnam(Self.alice).pointee.pw_uid)
        let jobDir = daemon.stateDirectory + "/work/\(Self.alice)"
        #expect(stat(jobDir, &info) == 0 && info.st_mode & 0o777 == 0o700, "a user's job dirs are private")
        let peek = try ProgramRunner.run(["/bin/cat", jobDir + "/jobs/\(uuid)/output/tapisjob.out"], as: Self.bob)
        #expect(peek.status != 0, "bob cannot read alice's outputs on disk either")
        #expect(stat(daemon.stateDirectory + "/db", &info) == 0 && info.st_mode & 0o777 == 0o700, "the database is the daemon's alone")

        let aliceList = try daemon.cli(["jobs", "list", "--json"], as: Self.alice)
        #expect(aliceList.stdout.contains(uuid))
        let bobList = try daemon.cli(["jobs", "list", "--json"], as: Self.bob)
        #expect(bobList.status == 0)
        #expect(!bobList.stdout.contains(uuid))
        for command in [["jobs", "show", uuid], ["jobs", "status", uuid], ["jobs", "history", uuid], ["jobs", "cancel", uuid],
                        ["jobs", "outputs", uuid], ["jobs", "download", uuid, "tapisjob.out"]] {
            let result = try daemon.cli(command, as: Self.bob)
            #expect(result.status == 1, "bob: \(command.joined(separator: " "))")
            #expect(result.stderr.contains("no job \(uuid) that you can see"), "bob: \(command.joined(separator: " ")): \(result.stderr)")
            #expect(!result.stdout.contains("Hello"))
        }
        #expect(try daemon.cli(["jobs", "show", uuid]).status == 0, "root is an administrator and sees every job")
        #expect(try await daemon.job(uuid).status == .finished, "bob's cancel changed nothing")
    }

    @Test func badInputGetsAClearErrorAndWritesNothing() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let cases: [(String, String)] = [
            ("{not json", "the body is not valid JSON"),
            (#"{"appId":"hello","appVersion":"1.0"}"#, "name: is required"),
            (#"{"name":"x","appId":"nope","appVersion":"1.0"}"#, "appId: no app \"nope\""),
            (#"{"name":"x","appId":"hello","appVersion":"1.0","execSystemId":"mars"}"#, "execSystemId: no system named \"mars\""),
            (#"{"name":"x","appId":"hello","appVersion":"1.0","execSystemOutputDir":"/tmp/../etc"}"#, "execSystemOutputDir: '..' is not allowed"),
            (#"{"name":"bad\u0007name","appId":"hello","appVersion":"1.0"}"#, "name: control character U+0007"),
            (#"{"name":"x","appId":"hello;rm","appVersion":"1.0"}"#, "appId: the character ';' is not allowed"),
            (#"{"name":"x","appId":"hello","appVersion":"1.0","nodeCount":"many"}"#, "nodeCount: expected a number"),
            (#"{"name":"x","appId":"hello","appVersion":"1.0","parameterSet":{"appArgs":[{"arg":"'open"}]}}"#, "parameterSet.appArgs: unterminated quote"),
        ]
        for (body, message) in cases {
            let error = await #expect(throws: TapisClientError.self) {
                _ = try await daemon.client.call(.post, "/v3/jobs/submit", body: Data(body.utf8))
            }
            #expect(error?.status == 400, "\(body)")
            #expect(error?.message.hasPrefix(message) == true, "\(body) → \(error?.message ?? "")")
        }
        #expect(try await daemon.client.result([JobSummary].self, .get, "/v3/jobs/list").isEmpty, "no job row was written")
        #expect(!FileManager.default.fileExists(atPath: daemon.stateDirectory + "/work/root"), "no file was touched")

        let unknown = await #expect(throws: TapisClientError.self) { _ = try await daemon.client.call(.get, "/v3/jobs/no-such-job") }
        #expect(unknown?.status == 404)
        let route = await #expect(throws: TapisClientError.self) { _ = try await daemon.client.call(.get, "/v3/nothing/here") }
        #expect(route?.status == 404)
        let order = await #expect(throws: TapisClientError.self) {
            _ = try await daemon.client.call(.get, "/v3/jobs/list", query: ["orderBy": "password(desc)"])
        }
        #expect(order?.status == 400)
        #expect(order?.message.hasPrefix("orderBy:") == true)

        let uuid = try daemon.submitHello()
        try await daemon.waitFor(uuid, status: .finished)
        let conflict = await #expect(throws: TapisClientError.self) { _ = try await daemon.client.call(.post, "/v3/jobs/\(uuid)/cancel") }
        #expect(conflict?.status == 409)
        let escape = await #expect(throws: TapisClientError.self) {
            _ = try await daemon.client.call(.get, "/v3/jobs/\(uuid)/output/download/../../tapisd.sqlite")
        }
        #expect(escape.map { [400, 404].contains($0.status) } == true, "no path leaves the output dir")
    }

    @Test func envelopesAndDefinitionsSpeakTapis() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let raw = try await daemon.client.call(.get, "/v3/systems/local")
        let envelope = try #require(try JSONSerialization.jsonObject(with: raw) as? [String: Any])
        #expect(envelope["status"] as? String == "success")
        #expect(Set(envelope.keys).isSuperset(of: ["status", "message", "result", "version"]))
        let system = try await daemon.client.result(TapisSystem.self, .get, "/v3/systems/local")
        #expect(system.jobWorkingDir == daemon.stateDirectory + "/work/${apiUserId}")
        let app = try await daemon.client.result(TapisApp.self, .get, "/v3/apps/hello/1.0")
        #expect(app.owner == "root")
        let duplicate = await #expect(throws: TapisClientError.self) {
            _ = try await daemon.client.call(.post, "/v3/apps", body: FileManager.default.contents(atPath: daemon.appDefinition))
        }
        #expect(duplicate?.status == 409)
        var rogue = TapisSystem(id: "as-root")
        rogue.jobWorkingDir = "/tmp"
        rogue.canExec = true
        rogue.effectiveUserId = "root"
        let forbidden = try daemon.cli(["systems", "create", "-"], as: Self.alice, input: try TapisJSON.encoder().encode(rogue))
        #expect(forbidden.status == 1)
        #expect(forbidden.stderr.contains("only an administrator"))
    }
}
