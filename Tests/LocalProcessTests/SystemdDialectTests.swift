import Foundation
import Testing
import Systemd
import TapisCore
import TapisScheduling
import TapisTransport

/// The systemd scheduler on output captured from the real systemd 252 (Tests/LocalProcessTests/
/// Fixtures, see its README); the end-to-end proof is `SystemdServiceTests`, under a booted systemd.
@Suite struct SystemdDialectTests {
    let dialect = SystemdDialect()

    static func fixture(_ name: String) throws -> CommandResult {
        func text(_ suffix: String) throws -> String {
            let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name).\(suffix)", withExtension: nil))
            return try String(contentsOf: url, encoding: .utf8)
        }
        return CommandResult(
            status: Int32(try text("status").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1,
            stdout: Array(try text("stdout").utf8), stderr: Array(try text("stderr").utf8))
    }

    static func job(_ unit: String? = nil, execDir: String = "/var/lib/tapisd/work/alice/j", maxMinutes: Int = 10) -> RemoteJob {
        var job = RemoteJob(uuid: .random(), name: "n", remoteJobId: unit, execDir: execDir, outputDir: execDir + "/output", maxMinutes: maxMinutes)
        job.login = "tapis-alice"
        return job
    }

    @Test func parsesCapturedUnitStates() throws {
        let cases = ["oom", "ok", "exit3", "timeout", "killed", "running", "never"]
        let jobs = cases.map { Self.job("tapis-capture-\($0).service") }
        let states = try dialect.parseStatus(try Self.fixture("systemctl-show"), for: jobs)
        #expect(states == [
            "tapis-capture-oom.service": .finishing(raw: "exit-code"),
            "tapis-capture-ok.service": .finishing(raw: "success"),
            "tapis-capture-exit3.service": .finishing(raw: "exit-code"),
            "tapis-capture-timeout.service": .finishing(raw: "timeout"),
            "tapis-capture-killed.service": .finishing(raw: "signal"),
            "tapis-capture-running.service": .running(raw: "active/running"),
        ], "a unit never started is not loaded: gone")
        let unasked = try dialect.parseStatus(try Self.fixture("systemctl-show"), for: [Self.job("tapis-capture-ok.service")])
        #expect(unasked.keys.sorted() == ["tapis-capture-ok.service"], "units not asked about are ignored")
        #expect(throws: TapisError.self) {
            try dialect.parseStatus(CommandResult(status: 1, stdout: [], stderr: Array("Failed to connect to bus".utf8)), for: jobs)
        }
    }

    @Test func aSecondStartOfALoadedUnitIsRefusedWithSystemdsMessage() throws {
        let job = Self.job()
        #expect {
            try dialect.parseSubmission(try Self.fixture("systemd-run-again"), for: job)
        } throws: { error in
            (error as? TapisError)?.message.contains("was already loaded") == true
        }
        let started = CommandResult(status: 0, stdout: Array("\(SystemdDialect.unit(for: job))\n".utf8), stderr: [])
        #expect(try dialect.parseSubmission(started, for: job) == "tapis-\(job.uuid.rawValue).service")
    }

    @Test func theExitCodeDecidesUnlessSystemdEndedTheJob() throws {
        let ok = Self.job("a.service"), failed = Self.job("b.service"), late = Self.job("c.service"), killed = Self.job("d.service")
        let output = "a.service 0\nb.service 3\nc.service missing\nd.service missing\n"
        let outcomes = try dialect.parseFinal(
            CommandResult(status: 0, stdout: Array(output.utf8), stderr: []), for: [ok, failed, late, killed],
            lastSeen: ["a.service": "success", "b.service": "exit-code", "c.service": "timeout", "d.service": "signal"])
        #expect(outcomes["a.service"]?.succeeded == true)
        #expect(outcomes["b.service"]?.resultInfo == "3" && outcomes["b.service"]?.condition == nil)
        #expect(outcomes["c.service"]?.condition == .schedulerTimeout && outcomes["c.service"]?.message.contains("RuntimeMaxSec") == true)
        #expect(outcomes["d.service"]?.succeeded == false && outcomes["d.service"]?.message.contains("signal") == true)
    }

    @Test func theJobsLimitsBecomeUnitPropertiesAndNoJobWordReachesItsCommandLine() {
        var job = Self.job(execDir: "/var/lib/tapisd/work/alice/it's $(id) %n", maxMinutes: 3)
        job.memoryMB = 250
        job.coresPerNode = 2
        let command = dialect.submitCommand(for: job)
        for property in ["MemoryMax=250M", "CPUQuota=200%", "RuntimeMaxSec=180", "RemainAfterExit=yes", "UMask=0077"] {
            #expect(command.contains("--property=\(property)"), "\(property)")
        }
        #expect(command.contains("--uid=tapis-alice") && command.contains("--slice=tapisd-jobs.slice"))
        #expect(command.contains(Shell.quote("--working-directory=" + job.execDir)), "the exec dir is one quoted word, outside ExecStart")
        let execStart = command.components(separatedBy: " -- /bin/sh -c ").last ?? ""
        #expect(!execStart.contains("$(id)") && !execStart.contains("%n"), "systemd expands $ and % in ExecStart: it holds no word of the job's")
        #expect(!dialect.submitCommand(for: Self.job(maxMinutes: 0)).contains("RuntimeMaxSec"), "no limit when maxMinutes is 0")
    }

    @Test func theJobsFilesAreReadAsItsLoginNotAsRoot() {
        let job = Self.job("tapis-x.service")
        for command in [dialect.finalizeCommand(for: [job]), dialect.lookupCommand(for: job)] {
            #expect(command.contains("setpriv --reuid=tapis-alice --regid=\"$(id -g -- tapis-alice)\" --init-groups -- /bin/sh -c"), "\(command)")
        }
        #expect(!dialect.finalizeCommand(for: [job]).hasPrefix("printf"), "the exit code is never read as root: a link the login planted would be followed")
    }

    @Test func cancellingAUnitThatIsGoneSucceeds() throws {
        let stop = try Self.fixture("systemctl-stop-not-loaded")
        #expect(stop.status == 5, "systemctl's status for a unit not loaded, which cancel accepts")
        #expect(dialect.cancelCommand(for: Self.job("x.service")).contains("[ \"$rc\" -eq 5 ]"))
    }

    @Test func itsCommandsRunAsTheDaemonAndItRunsOnThisHostOnly() throws {
        #expect(dialect.runsAsDaemon)
        var system = TapisSystem(id: "cluster")
        system.host = "cluster.example.org"
        system.forkScheduler = "systemd"
        system.canExec = true
        system.jobWorkingDir = "/scratch"
        #expect(throws: TapisError.self) { try system.validate() }
        system.host = "localhost"
        try system.validate()
    }
}
