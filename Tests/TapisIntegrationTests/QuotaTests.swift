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

        let first = try daemon.submitHello(name: "first", env: ["SLEEP_SECONDS": "4"])
        _ = try await daemon.waitFor(first, status: .running, seconds: 30)
        let second = try daemon.submitHello(name: "second")
        let blocked = try await daemon.waitFor(second, status: .blocked, seconds: 30)
        #expect(blocked.lastMessage == "Waiting for a free slot: 1 job(s) are active under the maxJobsPerUser of app hello version 1.0 (1).")
        #expect(try await daemon.job(first).status == .running, "the first job keeps its slot")

        let done = try await daemon.waitFor(second, seconds: 60)
        #expect(done.status == .finished && done.blockedCount == 1, "\(done.lastMessage ?? "")")
        #expect(try await daemon.historyStatuses(second) == ["PENDING", "BLOCKED"] + successfulHistory.dropFirst())
        let firstJob = try await daemon.job(first)
        let events = try await daemon.client.result([JobEvent].self, .get, "/v3/jobs/\(second)/history")
        let unblocked = try #require(events.first { $0.eventDetail == "PROCESSING_INPUTS" })
        #expect(try #require(firstJob.ended) <= unblocked.created, "the second job left BLOCKED only once the first had ended")
    }
}
