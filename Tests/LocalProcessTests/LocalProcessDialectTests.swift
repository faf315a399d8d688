import Testing
import LocalProcess
import TapisCore
import TapisScheduling
import TapisTransport

/// The dialect on output captured from procps `ps` on this kind of machine.
@Suite struct LocalProcessDialectTests {
    let dialect = LocalProcessDialect()

    static func job(_ id: String) -> RemoteJob {
        RemoteJob(uuid: .random(), name: "n", remoteJobId: id, execDir: "/e", outputDir: "/o dir", maxMinutes: 10)
    }

    @Test func statusCommandIsOneQueryForAllJobs() {
        let command = dialect.statusCommand(for: [Self.job("25584"), Self.job("25590")])
        #expect(command.hasPrefix("ps -o pid=,pgid=,stat= -p 25584,25590;"))
    }

    @Test func parsesCapturedPsOutput() throws {
        // `ps -o pid=,pgid=,stat= -p 25584,25590,999999`: a setsid'd wrapper, a stray process that
        // reused a pid but leads no group, and a pid that no longer exists (absent).
        let captured = "25584 25584 Ss\n25590 25581 S\n"
        let states = try dialect.parseStatus(CommandResult(status: 0, stdout: Array(captured.utf8), stderr: []), for: [])
        #expect(states == ["25584": .running(raw: "Ss")])
    }

    @Test func zombiesAndEmptyOutputMeanGone() throws {
        let states = try dialect.parseStatus(CommandResult(status: 0, stdout: Array("  4242  4242 Zs\n".utf8), stderr: []), for: [])
        #expect(states.isEmpty)
        #expect(try dialect.parseStatus(CommandResult(status: 0, stdout: [], stderr: []), for: []).isEmpty)
    }

    @Test func aFailedQueryIsNotAnAnswer() {
        let error = #expect(throws: TapisError.self) {
            try dialect.parseStatus(CommandResult(status: 127, stdout: [], stderr: Array("sh: ps: not found".utf8)), for: [])
        }
        #expect(error?.code == .unavailable)
    }

    @Test func finalOutcomes() throws {
        let output = "101 0\n102 3\n103 missing\n"
        let outcomes = try dialect.parseFinal(CommandResult(status: 0, stdout: Array(output.utf8), stderr: []), for: [], lastSeen: [:])
        #expect(outcomes["101"]?.succeeded == true)
        #expect(outcomes["102"] == RemoteOutcome(succeeded: false, resultInfo: "3", message: outcomes["102"]!.message))
        #expect(outcomes["102"]?.message.contains("status 3") == true)
        #expect(outcomes["103"]?.succeeded == false)
        #expect(outcomes["103"]?.message.contains("killed") == true)
    }

    @Test func submissionParsing() throws {
        let job = Self.job("")
        #expect(try dialect.parseSubmission(CommandResult(status: 0, stdout: Array("31337\n".utf8), stderr: []), for: job) == "31337")
        let error = #expect(throws: TapisError.self) {
            try dialect.parseSubmission(CommandResult(status: 1, stdout: [], stderr: Array("cd: /e: No such file or directory".utf8)), for: job)
        }
        #expect(error?.message.contains("No such file") == true)
    }

    @Test func cancelTargetsTheProcessGroupAndToleratesTheEnd() {
        let command = dialect.cancelCommand(for: Self.job("77"))
        #expect(command.hasPrefix("kill -TERM -77 2>/dev/null && sleep 2; kill -KILL -77"))
        #expect(command.hasSuffix("; true"))
    }
}
