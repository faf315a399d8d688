import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Tapis quotas through the real daemon: a job over a limit waits BLOCKED and runs when a slot frees.
@Suite(.serialized, .timeLimit(.minutes(3))) struct QuotaTests {
    @Test func aJobOverItsAppsPerUserLimitWaitsBlockedThenRuns() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        let definition = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8)
            .replacingOccurrences(of: "\"jobType\": \"FORK\",", with: "\"jobType\": \"FORK\", \"maxJobsPerUser\": 1,")
        #expect(try daemon.cli(["apps", "create", "-"], input: Data(definition.utf8)).status == 0)

        // Long enough that, however loaded the machine, the second is seen BLOCKED before it ends.
        let first = try daemon.submitHello(name: "first", env: ["SLEEP_SECONDS": "15"])
        _ = try await daemon.waitFor(first, status: .running, seconds: 30)
        let second = try daemon.submitHello(name: "second")
        let blocked = try await daemon.waitFor(second, status: .blocked, seconds: 30)
        #expect(blocked.lastMessage == "Waiting for a free slot: 1 job(s) are active under the maxJobsPerUser of app hello version 1.0 (1).")

        let done = try await daemon.waitFor(second, seconds: 60)
        #expect(done.status == .finished && done.blockedCount == 1, "\(done.lastMessage ?? "")")
        #expect(try await daemon.historyStatuses(second) == ["PENDING", "BLOCKED"] + successfulHistory.dropFirst())
        let firstJob = try await daemon.job(first)
        let events = try await daemon.client.result([JobEvent].self, .get, "/v3/jobs/\(second)/history")
        let unblocked = try #require(events.first { $0.eventDetail == "PROCESSING_INPUTS" })
        // The first job keeps its slot: however loaded the machine (the first may end soon after the
        // second is seen BLOCKED), the second leaves BLOCKED only once the first has ended.
        #expect(try #require(firstJob.ended) <= unblocked.created, "the second job left BLOCKED only once the first had ended")
    }
}

/// Resubmission replays the stored request.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ResubmitTests {
    @Test func aResubmittedJobIsANewRunOfTheSameRequest() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let first = try daemon.submitHello(name: "again", args: ["'two words'"], env: ["EXIT_CODE": "3"], as: "tapis-alice")
        _ = try await daemon.waitFor(first, seconds: 60)

        let original = try await daemon.client.result(JSONValue.self, .get, "/v3/jobs/\(first)/resubmit_request")
        guard case .object(let fields) = original else { throw TestSetupError("the stored request is not an object: \(original)") }
        #expect(fields["name"] == .string("again") && fields["appId"] == .string("hello"))

        let bob = try daemon.cli(["jobs", "resubmit", first], as: "tapis-bob")
        #expect(bob.status != 0 && bob.stderr.contains("no job \(first) that you can see"), "\(bob.stderr)")
        let again = try daemon.cli(["jobs", "resubmit", first], as: "tapis-alice")
        #expect(again.status == 0, "\(again.stderr)")
        let second = again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(second != first)
        let job = try await daemon.waitFor(second, seconds: 60)
        #expect(job.status == .failed && job.remoteResultInfo == "3" && job.owner == "tapis-alice" && job.name == "again")
        let out = try daemon.cli(["jobs", "download", second, "arguments.txt"], as: "tapis-alice").stdout
        #expect(out == "hello\nworld\ntwo words\n")
    }
}
