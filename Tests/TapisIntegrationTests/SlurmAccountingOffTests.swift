import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// A real site state: Slurm without accounting, so a job that left the queue can only be judged by
/// the exit-code file its wrapper wrote. scripts/test.sh runs this suite on its own, after
/// restarting the test bed's Slurm with `slurm-start --no-accounting`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SlurmAccountingOffTests {
    let cluster: SlurmJobTests

    init() throws {
        cluster = try SlurmJobTests()
        let sacct = try ProgramRunner.run(["/usr/bin/sacct", "-n", "-X"])
        guard sacct.stderr.contains("accounting storage is disabled") else {
            throw TestSetupError("Slurm accounting is on: this suite needs scripts/testbed.sh slurm-start --no-accounting (scripts/test.sh runs it that way)")
        }
    }

    @Test func jobsThatLeftTheQueueUnseenAreJudgedByTheirExitCodeFile() async throws {
        // The test bed keeps ended jobs in squeue for 10 s (MinJobAge); tapisd looks every 30 s.
        let (daemon, work) = try await cluster.daemonWithCluster(pollIntervalSeconds: 30)
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let ok = try await cluster.submit(daemon, [:])
        let failing = try await cluster.submit(daemon, ["parameterSet": ["envVariables": [["key": "EXIT_CODE", "value": "3"]]]])
        let killed = try await cluster.submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "300"]]]])
        var remoteId: String?
        for _ in 0..<100 where remoteId == nil {
            remoteId = try await daemon.client.result(Job.self, .get, "/v3/jobs/\(killed)").remoteJobId
            if remoteId == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let id = try #require(remoteId)
        // Cancelled behind tapisd's back: the wrapper never writes its exit code.
        #expect(try ProgramRunner.run(["/usr/bin/scancel", id]).status == 0)

        let first = try await daemon.waitFor(ok, seconds: 120)
        #expect(first.status == .finished, "\(first.lastMessage ?? "")\n\(daemon.log.suffix(2000))")
        #expect(first.remoteResultInfo == "0")
        let second = try await daemon.waitFor(failing, seconds: 120)
        #expect(second.status == .failed && second.remoteResultInfo == "3" && second.condition == .remoteOutcomeError)
        let third = try await daemon.waitFor(killed, seconds: 120)
        #expect(third.status == .failed)
        #expect(third.remoteResultInfo == "unknown")
        let events = try await daemon.client.result([JobEvent].self, .get, "/v3/jobs/\(killed)/history")
        #expect(events.contains { $0.description.contains("without writing tapisjob.exitcode") }, "\(events.map(\.description))")
        #expect(try cluster.squeueState(id).isEmpty, "Slurm had already forgotten the job")
    }
}
