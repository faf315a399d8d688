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
        let (daemon, work) = try await cluster.daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let ok = try await cluster.submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "15"]]]])
        let failing = try await cluster.submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "15"], ["key": "EXIT_CODE", "value": "3"]]]])
        let killed = try await cluster.submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "300"]]]])
        var ids: [String] = []
        for uuid in [ok, failing, killed] { ids.append(try await daemon.remoteJobId(uuid)) }
        // tapisd is away while the jobs end and Slurm forgets them (MinJobAge 10 s, then a purge);
        // one is cancelled behind its back, so its wrapper never writes an exit code.
        daemon.stop()
        #expect(try ProgramRunner.run(["/usr/bin/scancel", ids[2]]).status == 0)
        for _ in 0..<120 where try ids.contains(where: { try !cluster.squeueState($0).isEmpty }) { try await Task.sleep(for: .seconds(1)) }
        for id in ids { #expect(try cluster.squeueState(id).isEmpty, "Slurm has forgotten job \(id)") }
        try daemon.start()

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
    }
}
