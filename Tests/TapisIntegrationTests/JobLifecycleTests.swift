import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Jobs on the built-in `local` system, through the real tapisd and tapis binaries.
@Suite(.serialized, .timeLimit(.minutes(3))) struct JobLifecycleTests {
    @Test func anMpiJobRunsUnderItsLauncherWithArgumentsAsData() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let request = #"{"name": "mpi", "appId": "hello", "appVersion": "1.0", "isMpi": true, "mpiCmd": "echo launched-by", "parameterSet": {"appArgs": [{"arg": "'$(id)'"}]}}"#
        let submit = try daemon.cli(["jobs", "submit", "-"], input: Data(request.utf8))
        #expect(submit.status == 0, "\(submit.stderr)")
        let uuid = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let job = try await daemon.waitFor(uuid, seconds: 60)
        #expect(job.status == .finished && job.mpi == true && job.mpiCmd == "echo launched-by")
        let out = try daemon.cli(["jobs", "download", uuid, "tapisjob.out"]).stdout
        #expect(out == "launched-by ./tapisjob_app.sh hello world $(id)\n", "the launcher ran the app's command line, nothing expanded")
    }

    @Test func hostEvalReadsTheUsersVariableOnTheHostAtSubmit() async throws {
        let daemon = try DaemonHarness()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", "/home/tapis-alice/tapisd-host-eval"])
        }
        try daemon.registerExampleApp()
        func submit(_ outputDir: String) throws -> ProgramRunner.Result {
            let request: [String: Any] = ["name": "eval", "appId": "hello", "appVersion": "1.0", "execSystemOutputDir": outputDir]
            return try daemon.cli(["jobs", "submit", "-"], as: "tapis-alice", input: try JSONSerialization.data(withJSONObject: request))
        }
        let submitted = try submit("HOST_EVAL($HOME)/tapisd-host-eval/${JobUUID}")
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let uuid = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let job = try await daemon.waitFor(uuid, seconds: 60)
        #expect(job.status == .finished && job.execSystemOutputDir == "/home/tapis-alice/tapisd-host-eval/\(uuid)", "\(job.execSystemOutputDir)")
        #expect(FileManager.default.fileExists(atPath: "/home/tapis-alice/tapisd-host-eval/\(uuid)/tapisjob.out"))

        let unset = try submit("HOST_EVAL($TAPISD_NO_SUCH_VARIABLE)/x")
        #expect(unset.status != 0 && unset.stderr.contains("HOST_EVAL($TAPISD_NO_SUCH_VARIABLE) is empty on system local for the job's user"), "\(unset.stderr)")
    }

    @Test func watchFollowsTheEventStreamUntilTheJobEnds() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        func submit(exitCode: Int) throws -> String {
            let request = #"{"name": "watched", "appId": "hello", "appVersion": "1.0", "parameterSet": {"envVariables": [{"key": "EXIT_CODE", "value": "\#(exitCode)"}, {"key": "SLEEP_SECONDS", "value": "1"}]}}"#
            let submitted = try daemon.cli(["jobs", "submit", "-"], input: Data(request.utf8))
            #expect(submitted.status == 0, "\(submitted.stderr)")
            return submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let finished = try await daemon.following(["jobs", "watch", try submit(exitCode: 0)])
        #expect(finished.status == 0, "\(finished.stderr)")
        let lines = finished.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.map { String($0[2]) } == successfulHistory, "\(finished.stdout)")
        #expect(finished.stdout.contains("The job has transitioned to a new status: RUNNING. The previous job status was QUEUED."))

        let failed = try await daemon.following(["jobs", "watch", try submit(exitCode: 3), "--json"])
        #expect(failed.status == 1, "\(failed.stderr)")
        let types = try failed.stdout.split(separator: "\n").map { try TapisJSON.decoder().decode(TapisEvent.self, from: Data($0.utf8)).type }
        #expect(types.last == "jobs.JOB_ERROR_MESSAGE.FINAL_MESSAGE" && types.contains("jobs.JOB_NEW_STATUS.FAILED"))
    }

    @Test func aJobRunsToFinishedWithItsOutputArchived() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let uuid = try daemon.submitHello(args: ["'two words' $(id)", "`uname`;x"])

        let wait = try await daemon.following(["jobs", "wait", uuid])
        #expect(wait.status == 0, "\(wait.stderr)")
        #expect(wait.stdout.split(separator: "\n").last == "FINISHED NORMAL_COMPLETION")
        let job = try await daemon.job(uuid)
        #expect(job.condition == .normalCompletion)
        #expect(job.remoteResultInfo == "0")
        #expect(job.remoteOutcome == .finished)
        #expect(Int(job.remoteJobId ?? "") != nil)
        #expect(job.remoteStarted != nil && job.ended != nil)
        #expect(try await daemon.historyStatuses(uuid) == successfulHistory)

        let arguments = daemon.directory.file("arguments.txt")
        let download = try daemon.cli(["jobs", "download", uuid, "arguments.txt", "-o", arguments])
        #expect(download.status == 0, "\(download.stderr)")
        #expect(try String(contentsOfFile: arguments, encoding: .utf8) == "hello\nworld\ntwo words\n$(id)\n`uname`;x\n",
                "the app's default arguments, then the request's, each word exactly as written")
        let out = try daemon.cli(["jobs", "download", uuid, "tapisjob.out"])
        #expect(out.stdout.hasPrefix("Hello from tapisd job \(uuid) (hello-test) as root"))

        let listing = try daemon.cli(["jobs", "outputs", uuid, "--json"])
        let names = try TapisJSON.decoder().decode([RemoteFile].self, from: Data(listing.stdout.utf8)).map(\.name)
        #expect(Set(names) == ["arguments.txt", "tapisjob.out", "tapisjob.exitcode", "tapisjob.sh", "tapisjob.env"])
        let zip = daemon.directory.file("all.zip")
        #expect(try daemon.cli(["jobs", "download", uuid, "/", "-o", zip]).status == 0)
        let unzip = try ProgramRunner.run(["/usr/bin/unzip", "-l", zip])
        #expect(unzip.stdout.contains("arguments.txt"))
    }

    @Test func anAppThatExitsThreeFails() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let uuid = try daemon.submitHello(env: ["EXIT_CODE": "3"])
        let wait = try await daemon.following(["jobs", "wait", uuid])
        #expect(wait.status == 1)
        let job = try await daemon.job(uuid)
        #expect(job.status == .failed)
        #expect(job.condition == .remoteOutcomeError)
        #expect(job.remoteResultInfo == "3")
        #expect(job.lastMessage?.contains("exit status 3") == true)
        #expect(try await daemon.historyStatuses(uuid) == Array(successfulHistory.dropLast()) + ["FAILED"])
        #expect(try daemon.cli(["jobs", "download", uuid, "tapisjob.exitcode"]).stdout == "3\n", "a failed job's outputs are archived too")
    }

    @Test func cancellingARunningJobKillsItsProcess() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let uuid = try daemon.submitHello(env: ["SLEEP_SECONDS": "120"])
        let running = try await daemon.waitFor(uuid, status: .running)
        let pid = try #require(Int32(running.remoteJobId ?? ""))
        #expect(ProcessState.isAlive(pid))

        let cancel = try daemon.cli(["jobs", "cancel", uuid])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        let job = try await daemon.waitFor(uuid, status: .cancelled, seconds: 20)
        #expect(job.condition == .cancelledByUser)
        #expect(!ProcessState.isAlive(pid), "the job's process is gone")
        let again = try daemon.cli(["jobs", "cancel", uuid])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already ended"))
    }

    @Test func aCancelRightAfterSubmitEndsCancelledWithNothingLeftRunning() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let uuid = try daemon.submitHello(env: ["SLEEP_SECONDS": "120"])
        #expect(try daemon.cli(["jobs", "cancel", uuid]).status == 0)
        let job = try await daemon.waitFor(uuid, status: .cancelled, seconds: 20)
        #expect(job.condition == .cancelledByUser)
        if let pid = job.remoteJobId.flatMap(Int32.init) { #expect(!ProcessState.isAlive(pid)) }
        let statuses = try await daemon.historyStatuses(uuid)
        #expect(statuses.first == "PENDING" && statuses.last == "CANCELLED")
    }

    @Test func aKilledDaemonResumesEveryJobAfterRestart() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let uuids = try (0..<3).map { try daemon.submitHello(name: "crash-\($0)", env: ["SLEEP_SECONDS": "3"]) }
        let running = try await daemon.waitFor(uuids[0], status: .running)
        daemon.crash()
        try await Task.sleep(for: .seconds(1))
        try daemon.start()

        for uuid in uuids {
            let job = try await daemon.waitFor(uuid, status: .finished, seconds: 60)
            #expect(job.status == .finished)
            let statuses = try await daemon.historyStatuses(uuid)
            #expect(statuses == successfulHistory, "each status once, in order, for \(uuid)")
        }
        #expect(try await daemon.job(uuids[0]).remoteJobId == running.remoteJobId, "the running job was adopted, not started again")
        let out = try daemon.cli(["jobs", "download", uuids[0], "tapisjob.out"]).stdout
        #expect(out.components(separatedBy: "Hello from tapisd").count == 2, "the app ran exactly once")
        let listed = try await daemon.client.result([JobSummary].self, .get, "/v3/jobs/list")
        #expect(Set(listed.map(\.uuid.rawValue)) == Set(uuids), "no job lost, none added")
    }
}
