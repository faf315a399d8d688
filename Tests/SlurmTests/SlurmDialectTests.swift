import Foundation
import Slurm
import Testing
import TapisCore
import TapisScheduling
import TapisTransport

/// The Slurm dialect on output captured from the real Slurm 22.05 of the test bed
/// (Tests/SlurmTests/Fixtures, see its README).
@Suite struct SlurmDialectTests {
    let dialect = SlurmDialect()

    static func captured(_ name: String, banner: String = "") throws -> CommandResult {
        func text(_ suffix: String) throws -> String {
            let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name).\(suffix)", withExtension: nil))
            return try String(contentsOf: url, encoding: .utf8)
        }
        return CommandResult(
            status: Int32(try text("status").trimmingCharacters(in: .whitespacesAndNewlines))!,
            stdout: Array((banner + (try text("stdout"))).utf8), stderr: Array(try text("stderr").utf8))
    }

    /// What the finalize command prints: sacct's output (stderr merged), its status line, then the
    /// wrapper's exit codes.
    static func finalizeOutput(_ sacct: CommandResult, exitCodes: String) -> CommandResult {
        CommandResult(status: 0, stdout: sacct.stdout + sacct.stderr + Array("tapisd-status sacct \(sacct.status)\n\(exitCodes)".utf8), stderr: [])
    }

    /// Plain sacct text with a successful status, as the finalize command prints it.
    static func finalizeOutput(_ sacct: String, exitCodes: String = "") -> CommandResult {
        finalizeOutput(CommandResult(status: 0, stdout: Array(sacct.utf8), stderr: []), exitCodes: exitCodes)
    }

    /// The job ids of the final-state capture, by kind (`final-ids.txt`).
    static func finalIds() throws -> [String: String] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/final-ids.txt", withExtension: nil))
        let pairs = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isWhitespace).map { $0.split(separator: "=") }
        return Dictionary(uniqueKeysWithValues: pairs.map { (String($0[0]), String($0[1])) })
    }

    static func job(_ id: String?) -> RemoteJob {
        var job = RemoteJob(uuid: .random(), name: "n", remoteJobId: id, execDir: "/e dir", outputDir: "/o'ut", maxMinutes: 7)
        job.nodeCount = 2
        job.coresPerNode = 3
        job.memoryMB = 512
        job.queue = "debug"
        return job
    }

    /// What a site's login scripts may print before any command's output.
    static let banner = "\nWelcome to the cluster! Scratch is purged after 30 days.\n\n"

    @Test func scriptHeaderCarriesResourcesTagAndQuotedPaths() {
        let job = Self.job(nil)
        let header = dialect.scriptHeader(for: job)
        #expect(header.hasPrefix("#!/bin/bash\n"))
        let directives = header.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }
        #expect(directives == [
            "#SBATCH --job-name=\(job.submissionTag)", "#SBATCH --mem=512", "#SBATCH --nodes=2", "#SBATCH --ntasks=6",
            "#SBATCH --output='/o'\\''ut/tapisjob.out'", "#SBATCH --partition=debug", "#SBATCH --time=7",
        ])
    }

    @Test func userOptionsJoinTheDirectivesAndAUserOutputReplacesTapisds() throws {
        var job = Self.job(nil)
        job.schedulerOptions = ["--qos=normal", "-A research", "--exclusive", "  --output=/scratch/%j.out "]
        try dialect.checkSchedulerOptions(job.schedulerOptions)
        let directives = dialect.scriptHeader(for: job).split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }
        #expect(directives == [
            "#SBATCH --account=research", "#SBATCH --exclusive", "#SBATCH --job-name=\(job.submissionTag)", "#SBATCH --mem=512",
            "#SBATCH --nodes=2", "#SBATCH --ntasks=6", "#SBATCH --output=/scratch/%j.out", "#SBATCH --partition=debug",
            "#SBATCH --qos=normal", "#SBATCH --time=7",
        ])
    }

    @Test func separateLogFilesGetTheirOwnDirectives() {
        var job = Self.job(nil)
        job.stdoutFilename = "run.out"
        job.stderrFilename = "run.err"
        let header = dialect.scriptHeader(for: job)
        #expect(header.contains("#SBATCH --error='/o'\\''ut/run.err'\n#SBATCH --job-name="))
        #expect(header.contains("#SBATCH --output='/o'\\''ut/run.out'\n"))
    }

    @Test func aProfileLoadsModulesAndHidesDirectives() throws {
        var job = Self.job(nil)
        job.schedulerOptions = ["--tapis-profile=site"]
        job.profile = SchedulerProfile(
            name: "site", moduleLoads: [.init(moduleLoadCommand: "module load", modulesToLoad: ["gcc/12", "my mod"])], hiddenOptions: ["MEM"])
        try dialect.checkSchedulerOptions(job.schedulerOptions)
        let header = dialect.scriptHeader(for: job)
        #expect(!header.contains("--mem") && !header.contains("tapis-profile"), "hidden, and not an sbatch option")
        #expect(header.contains("#SBATCH --partition=debug\n"))
        #expect(header.hasSuffix("#SBATCH --time=7\n\nmodule load gcc/12 'my mod'\n"))
    }

    @Test(arguments: [
        ("--time=10", "parameterSet.schedulerOptions: --time is set by tapisd from the job's maxMinutes; set that field instead"),
        ("-t 10", "parameterSet.schedulerOptions: --time is set by tapisd from the job's maxMinutes; set that field instead"),
        ("-N2", "parameterSet.schedulerOptions: --nodes is set by tapisd from the job's nodeCount; set that field instead"),
        ("--partition debug", "parameterSet.schedulerOptions: --partition is set by tapisd from the job's execSystemLogicalQueue; set that field instead"),
        ("--mem=4G", "parameterSet.schedulerOptions: --mem is set by tapisd from the job's memoryMB; set that field instead"),
        ("-n 4", "parameterSet.schedulerOptions: --ntasks is set by tapisd from the job's coresPerNode (times nodeCount); set that field instead"),
        ("--job-name=mine", "parameterSet.schedulerOptions: --job-name is not allowed: tapisd names each Slurm job after its submission tag, which is how it finds the job again after a crash"),
        ("--array=1-4", "parameterSet.schedulerOptions: --array is not allowed: array jobs are not supported by tapisd"),
        ("--wrap=id", "parameterSet.schedulerOptions: --wrap is not among the sbatch options a job may set"),
        ("--uid=0", "parameterSet.schedulerOptions: --uid is not among the sbatch options a job may set"),
        ("-D /tmp", "parameterSet.schedulerOptions: --chdir is not among the sbatch options a job may set"),
        ("-Z", "parameterSet.schedulerOptions: \"-Z\" is not an sbatch option tapisd knows"),
        ("account=x", "parameterSet.schedulerOptions: \"account=x\" is not an sbatch option (it must start with -)"),
        ("--account=a --uid=0", "parameterSet.schedulerOptions: the value of --account may not hold spaces, quotes or backslashes (one option, one value per entry)"),
        ("--comment='$(id)'", "parameterSet.schedulerOptions: the value of --comment may not hold spaces, quotes or backslashes (one option, one value per entry)"),
    ])
    func refusedOptionsNameTheRule(option: String, message: String) {
        let error = #expect(throws: TapisError.self) { try dialect.checkSchedulerOptions([option]) }
        #expect(error?.message == message)
    }

    @Test func anOptionGivenTwiceIsRefused() {
        let error = #expect(throws: TapisError.self) { try dialect.checkSchedulerOptions(["--qos=a", "-q b"]) }
        #expect(error?.message == "parameterSet.schedulerOptions: --qos is given twice")
    }

    @Test func submissionParsesTheIdOrSbatchsOwnMessage() throws {
        let job = Self.job(nil)
        #expect(try dialect.parseSubmission(Self.captured("sbatch-ok", banner: Self.banner), for: job) == "1")
        let partition = #expect(throws: TapisError.self) { try dialect.parseSubmission(Self.captured("sbatch-bad-partition"), for: job) }
        #expect(partition?.code == .remoteFailure)
        #expect(partition?.message.contains("invalid partition specified: nope") == true)
        let account = #expect(throws: TapisError.self) { try dialect.parseSubmission(Self.captured("sbatch-bad-account"), for: job) }
        #expect(account?.message.contains("Invalid account or account/partition combination specified") == true)
        #expect(try dialect.parseSubmission(CommandResult(status: 0, stdout: Array("42;cluster\n".utf8), stderr: []), for: job) == "42")
    }

    @Test func lookupFindsTheTaggedJob() throws {
        #expect(try dialect.parseLookup(try Self.captured("squeue-by-name", banner: Self.banner)) == "4")
        #expect(try dialect.parseLookup(try Self.captured("sacct-by-name")) == "1")
        let nothing = Self.banner + "tapisd-status squeue 0\ntapisd-status sacct 0\n"
        #expect(try dialect.parseLookup(CommandResult(status: 0, stdout: Array(nothing.utf8), stderr: [])) == nil)
        #expect(dialect.lookupCommand(for: Self.job(nil)).contains("--starttime=now-30days"), "sacct finds nothing by name without a window")
    }

    @Test func aFailedLookupIsNeverNotFound() throws {
        let down = try Self.captured("squeue-by-name-controller-down")
        #expect(down.status != 0)
        let output = down.stdout + Array("tapisd-status squeue \(down.status)\ntapisd-status sacct 0\n".utf8)
        let error = #expect(throws: TapisError.self) { try dialect.parseLookup(CommandResult(status: 0, stdout: output, stderr: down.stderr)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("Unable to contact slurm controller") == true, "\(error?.message ?? "")")
        let sacct = "sacct: error: Problem talking to the database: Connection refused\ntapisd-status squeue 0\ntapisd-status sacct 1\n"
        #expect(throws: TapisError.self) { try dialect.parseLookup(CommandResult(status: 0, stdout: Array(sacct.utf8), stderr: [])) }
        let off = try Self.captured("sacct-accounting-off")
        let withoutAccounting = Array("tapisd-status squeue 0\n".utf8) + off.stderr + Array("\ntapisd-status sacct 1\n".utf8)
        #expect(try dialect.parseLookup(CommandResult(status: 0, stdout: withoutAccounting, stderr: [])) == nil, "no accounting is an answer, not a failure")
    }

    @Test func sbatchThatCannotReachSlurmIsRetriedNotFailed() throws {
        let down = try Self.captured("sbatch-controller-down")
        #expect(down.status != 0)
        let error = #expect(throws: TapisError.self) { try dialect.parseSubmission(down, for: Self.job(nil)) }
        #expect(error?.code == .unavailable, "the job may or may not exist: look it up, never fail it")
        #expect(error?.message.contains("Unable to contact slurm controller") == true, "\(error?.message ?? "")")
    }

    @Test func statusMapsEveryCapturedState() throws {
        let states = try dialect.parseStatus(try Self.captured("squeue-mixed", banner: Self.banner), for: [])
        #expect(states["1"] == .finishing(raw: "COMPLETED"))
        #expect(states["5"] == .queued(raw: "PD"))
        #expect(states["3"] == .running(raw: "R"))
        let after = try dialect.parseStatus(try Self.captured("squeue-after-timeout"), for: [])
        #expect(after["4"] == .finishing(raw: "TIMEOUT"))
        #expect(after["3"] == .finishing(raw: "FAILED"))
        #expect(after["6"] == .finishing(raw: "CANCELLED"))
        #expect(after.count == 6, "every job of the login, in one query")
    }

    @Test func aFailedQueryIsNeverAnAnswer() throws {
        let error = #expect(throws: TapisError.self) {
            try dialect.parseStatus(CommandResult(status: 1, stdout: [], stderr: Array("slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n".utf8)), for: [])
        }
        #expect(error?.code == .unavailable)
        let unknown = try dialect.parseStatus(CommandResult(status: 0, stdout: Array("7|XX|SOMETHING_NEW|None\n".utf8), stderr: []), for: [])
        #expect(unknown["7"] == .unknown(raw: "XX"), "an unknown code is never final")
    }

    @Test func finalStatesFromAccountingWithTheirConditions() throws {
        let ids = try Self.finalIds()
        let (ok, exit3, timeout, pending, running) = (ids["ok"]!, ids["exit3"]!, ids["timeout"]!, ids["cancelledPending"]!, ids["cancelledRunning"]!)
        let jobs = [ok, exit3, timeout, pending, running].map { Self.job($0) }
        let files = "tapisd-exitcode \(ok) 0\ntapisd-exitcode \(exit3) 3\ntapisd-exitcode \(timeout) missing\ntapisd-exitcode \(pending) missing\ntapisd-exitcode \(running) missing\n"
        let sacct = try Self.captured("sacct-by-ids", banner: Self.banner)
        let outcomes = try dialect.parseFinal(Self.finalizeOutput(sacct, exitCodes: files), for: jobs, lastSeen: [:])
        #expect(outcomes[ok]?.succeeded == true)
        #expect(outcomes[ok]?.message.hasPrefix("Slurm: COMPLETED.") == true, "the scheduler's own word is in the history")
        #expect(outcomes[exit3] == RemoteOutcome(succeeded: false, resultInfo: "3", message: outcomes[exit3]!.message))
        #expect(outcomes[timeout]?.condition == .schedulerTimeout)
        #expect(outcomes[pending]?.condition == .schedulerCancelled)
        #expect(outcomes[running]?.condition == .schedulerCancelled)
        #expect(outcomes.count == 5)
    }

    @Test func aFailedAccountingQueryJudgesNoJob() throws {
        let failed = CommandResult(status: 1, stdout: [], stderr: Array("sacct: error: Problem talking to the database: Connection refused\n".utf8))
        let error = #expect(throws: TapisError.self) {
            try dialect.parseFinal(Self.finalizeOutput(failed, exitCodes: "tapisd-exitcode 7 missing\n"), for: [Self.job("7")], lastSeen: ["7": "TIMEOUT"])
        }
        #expect(error?.code == .unavailable)
        let truncated = CommandResult(status: 0, stdout: Array("7|COMPLETED|0:0|2026-11-25T10:00:00\n".utf8), stderr: [])
        #expect(throws: TapisError.self, "no status line: the command did not run to its end") {
            try dialect.parseFinal(truncated, for: [Self.job("7")], lastSeen: [:])
        }
    }

    @Test func theNewestAccountingRecordWins() throws {
        let requeued = "12|NODE_FAIL|0:0|2026-11-25T10:00:00\n12|COMPLETED|0:0|2026-11-25T11:00:00\n13|COMPLETED|0:0|2026-11-25T09:00:00\n13|PREEMPTED|0:0|2026-11-25T09:30:00\n"
        let outcomes = try dialect.parseFinal(Self.finalizeOutput(requeued), for: [Self.job("12"), Self.job("13")], lastSeen: [:])
        #expect(outcomes["12"]?.succeeded == true)
        #expect(outcomes["13"]?.condition == .schedulerTerminated)
        #expect(outcomes["13"]?.mayBeRequeued == true, "a preempted job may come back")
        #expect(outcomes["12"]?.mayBeRequeued == false)
    }

    @Test func anEndThatMayBeRequeuedIsFinalOnlyAfterTheGrace() throws {
        let grace = RequeueGrace(grace: .seconds(120))
        let uuid = JobUUID.random()
        let start = Date()
        let nodeFail = RemoteOutcome(succeeded: false, resultInfo: "0:0", condition: .schedulerTerminated, message: "", mayBeRequeued: true)
        #expect(!grace.isFinal(nodeFail, of: uuid, now: start))
        #expect(!grace.isFinal(nodeFail, of: uuid, now: start.addingTimeInterval(119)))
        #expect(grace.isFinal(nodeFail, of: uuid, now: start.addingTimeInterval(120)))
        #expect(!grace.isFinal(nodeFail, of: uuid, now: start.addingTimeInterval(121)), "a final answer starts the wait afresh for the next sighting")

        let requeued = JobUUID.random()
        #expect(!grace.isFinal(nodeFail, of: requeued, now: start))
        grace.forget(requeued)
        #expect(!grace.isFinal(nodeFail, of: requeued, now: start.addingTimeInterval(200)), "seen queued again: the wait restarts")
        #expect(grace.isFinal(RemoteOutcome(succeeded: true, resultInfo: "0", message: ""), of: uuid, now: start), "other ends are final at once")
    }

    @Test func withoutAccountingTheExitCodeFileDecides() throws {
        let off = try Self.captured("sacct-accounting-off")
        #expect(off.status == 1 && off.errorText == "Slurm accounting storage is disabled", "captured: sacct says so on stderr")
        let files = "tapisd-exitcode 21 0\ntapisd-exitcode 22 3\ntapisd-exitcode 23 missing\n"
        let outcomes = try dialect.parseFinal(Self.finalizeOutput(off, exitCodes: files), for: ["21", "22", "23", "24"].map { Self.job($0) }, lastSeen: ["24": "TIMEOUT"])
        #expect(outcomes["21"]?.succeeded == true)
        #expect(outcomes["22"]?.resultInfo == "3")
        #expect(outcomes["23"]?.succeeded == false, "gone, no record, no exit code: it did not finish")
        #expect(outcomes["24"]?.condition == .schedulerTimeout, "the state squeue last showed")
    }

    @Test func aRunningRecordIsNotFinal() throws {
        let running = "30|RUNNING|0:0|Unknown\n"
        let outcomes = try dialect.parseFinal(Self.finalizeOutput(running), for: [Self.job("30")], lastSeen: [:])
        #expect(outcomes["30"] == nil)
    }

    @Test func cancelToleratesJobsThatAlreadyEnded() {
        let command = dialect.cancelCommand(for: Self.job("77"))
        #expect(command.hasPrefix("out=$(scancel 77 2>&1)"))
        #expect(command.contains("*\"Invalid job id\"*"))
    }
}
