import Foundation
import Testing
import TapisTestSupport

/// The daemon's start-up checks, on the real binary.
@Suite(.timeLimit(.minutes(1))) struct DaemonConfigurationTests {
    func start(config: String, extra: [String] = []) throws -> ProgramRunner.Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try config.write(toFile: directory.file("tapisd.yaml"), atomically: true, encoding: .utf8)
        return try ProgramRunner.run(
            [try TestEnvironment.binary("tapisd"), "--config", directory.file("tapisd.yaml"), "--socket", directory.file("s"),
             "--state-dir", directory.file("state")] + extra)
    }

    @Test func anUnknownKeyIsNamed() throws {
        let result = try start(config: "pollIntervalSecs: 3\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("tapisd.yaml: unknown key \"pollIntervalSecs\""))
    }

    @Test func aBadValueIsNamedWithWhatIsAllowed() throws {
        let result = try start(config: "pollIntervalSeconds: often\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("pollIntervalSeconds is \"often\"; it must be a whole number from 1 to 3600"))
    }

    @Test func aMissingExplicitConfigIsAnError() throws {
        let result = try ProgramRunner.run([try TestEnvironment.binary("tapisd"), "--config", "/nonexistent/tapisd.yaml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/tapisd.yaml: no such config file"))
    }

    @Test func aSecondDaemonOnTheSameStateDirIsRefused() throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        let second = try ProgramRunner.run(
            [try TestEnvironment.binary("tapisd"), "--socket", daemon.directory.file("other.sock"), "--state-dir", daemon.stateDirectory])
        #expect(second.status != 0)
        #expect(second.stderr.contains("another tapisd is using"))
    }

    @Test func aBadDefinitionFileIsReportedAndSkipped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("apps.d"), withIntermediateDirectories: true)
        try #"{"id": "broken", "version": "1", "runtime": "DOCKER", "containerImage": "x"}"#.write(
            toFile: directory.file("apps.d/broken.json"), atomically: true, encoding: .utf8)
        let daemon = try DaemonHarness(appsDirectory: directory.file("apps.d"))
        defer { daemon.shutdown() }
        #expect(daemon.log.contains("skipping a bad definition file"))
        #expect(daemon.log.contains("broken.json"))
        #expect(daemon.log.contains("runtime: DOCKER is not supported yet"))
        #expect(try daemon.cli(["apps", "list"]).status == 0, "the daemon runs on")
    }
}
