import Foundation
import Testing
import TapisClient
import TapisCore
import TapisScheduling
import TapisTestSupport

/// BATCH jobs on the test bed's real Slurm, reached over its real sshd, through the real daemon.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SlurmJobTests {
    let testbed: SSHTestbed

    init() throws {
        testbed = try SSHTestbed.running()
        let sinfo = try ProgramRunner.run(["/usr/bin/sinfo", "-h", "-o", "%T"])
        guard sinfo.status == 0, !sinfo.stdout.isEmpty else {
            throw TestSetupError("Slurm is not running: start it with scripts/testbed.sh slurm-start (scripts/test.sh does)")
        }
    }

    /// A daemon with a Slurm system (as tapis-alice over SSH) and the example app as a BATCH app.
    func daemonWithCluster(pollIntervalSeconds: Int = 1, system extra: [String: Any] = [:]) async throws -> (DaemonHarness, String) {
        let daemon = try DaemonHarness(pollIntervalSeconds: pollIntervalSeconds, extraConfiguration: "knownHostsFile: \(testbed.knownHosts)\n")
        let work = "/home/tapis-alice/tapisd-slurm-\(UUID().uuidString.prefix(8))"
        let key = try String(contentsOfFile: testbed.key("alice_ed25519"), encoding: .utf8)
        var system: [String: Any] = [
            "id": "cluster", "host": "127.0.0.1", "port": testbed.port, "effectiveUserId": "tapis-alice", "defaultAuthnMethod": "PKI_KEYS",
            "authnCredential": ["privateKey": key], "rootDir": "/", "jobWorkingDir": work, "canExec": true, "canRunBatch": true,
            "batchScheduler": "SLURM", "batchDefaultLogicalQueue": "normal",
            "batchLogicalQueues": [["name": "normal", "hpcQueueName": "debug", "maxNodeCount": 1, "maxMinutes": 60]],
        ]
        system.merge(extra) { _, new in new }
        _ = try await daemon.client.call(.post, "/v3/systems", body: try JSONSerialization.data(withJSONObject: system))
        let definition = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8)
            .replacingOccurrences(of: "\"jobType\": \"FORK\"", with: "\"jobType\": \"BATCH\"")
            .replacingOccurrences(of: "\"execSystemId\": \"local\"", with: "\"execSystemId\": \"cluster\"")
        _ = try await daemon.client.call(.post, "/v3/apps", body: Data(definition.utf8))
        return (daemon, work)
    }

    func submit(_ daemon: DaemonHarness, _ extra: [String: Any] = [:]) async throws -> String {
        var request: [String: Any] = ["name": "slurm-test", "appId": "hello", "appVersion": "1.0"]
        request.merge(extra) { _, new in new }
        return try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request)).uuid.rawValue
    }

    func squeueState(_ id: String) throws -> String {
        try ProgramRunner.run(["/usr/bin/squeue", "-h", "--states=all", "-j", id, "-o", "%T"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aBatchJobRunsUnderSlurmAndItsExitCodeCounts() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let ok = try await submit(daemon, ["parameterSet": ["appArgs": [["arg": "'under slurm'"]]]])
        let failing = try await submit(daemon, ["parameterSet": ["envVariables": [["key": "EXIT_CODE", "value": "3"]]]])
        let finished = try await daemon.waitFor(ok, seconds: 120)
        #expect(finished.status == .finished, "\(finished.lastMessage ?? "")\n\(daemon.log.suffix(2000))")
        #expect(try await daemon.historyStatuses(ok) == successfulHistory)
        #expect(finished.jobType == .batch && finished.remoteQueue == "debug" && finished.execSystemLogicalQueue == "normal")
        let id = try #require(finished.remoteJobId)
        // slurmdbd records a job as "allocation" first and fills in its name moments later.
        var accounted = ""
        for _ in 0..<50 {
            accounted = try ProgramRunner.run(["/usr/bin/sacct", "-X", "-n", "-P", "-j", id, "-o", "JobName,State,User"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if accounted.hasPrefix("tapis-") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(accounted == "tapis-\(ok)|COMPLETED|tapis-alice", "Slurm ran it under its tag, as alice")
        let out = try daemon.cli(["jobs", "download", ok, "tapisjob.out"]).stdout
        #expect(out.hasPrefix("Hello from tapisd job \(ok) (slurm-test) as tapis-alice"))
        #expect(out.contains("[under slurm]"))

        let failed = try await daemon.waitFor(failing, seconds: 120)
        #expect(failed.status == .failed)
        #expect(failed.condition == .remoteOutcomeError)
        #expect(failed.remoteResultInfo == "3")
    }

    @Test func queueLimitsAreCheckedAtSubmit() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let tooBig = await #expect(throws: TapisClientError.self) { _ = try await submit(daemon, ["nodeCount": 2]) }
        #expect(tooBig?.status == 400)
        #expect(tooBig?.message == "nodeCount: 2 is above the maximum 1 of logical queue normal")
        let noQueue = await #expect(throws: TapisClientError.self) { _ = try await submit(daemon, ["execSystemLogicalQueue": "gpu"]) }
        #expect(noQueue?.message.hasPrefix("execSystemLogicalQueue: system cluster has no logical queue \"gpu\"") == true)
        let subsumed = await #expect(throws: TapisClientError.self) {
            _ = try await submit(daemon, ["parameterSet": ["schedulerOptions": [["arg": "--time=5"]]]])
        }
        #expect(subsumed?.status == 400)
        #expect(subsumed?.message == "parameterSet.schedulerOptions: --time is set by tapisd from the job's maxMinutes; set that field instead")
        #expect(try await daemon.client.result([JobSummary].self, .get, "/v3/jobs/list").isEmpty)
    }

    @Test func aSchedulerProfileLoadsItsModulesInTheJob() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let profile = #"{"name": "testbed", "moduleLoads": [{"moduleLoadCommand": "echo loading", "modulesToLoad": ["gcc/12", "$(id)"]}], "hiddenOptions": ["MEM"]}"#
        let refused = try daemon.cli(["profiles", "create", "-"], as: "tapis-bob", input: Data(profile.utf8))
        #expect(refused.status != 0 && refused.stderr.contains("only root or the admin group may create scheduler profiles"), "\(refused.stderr)")
        #expect(try daemon.cli(["profiles", "create", "-"], input: Data(profile.utf8)).status == 0)

        let unknown = await #expect(throws: TapisClientError.self) {
            _ = try await submit(daemon, ["parameterSet": ["schedulerOptions": [["arg": "--tapis-profile=nope"]]]])
        }
        #expect(unknown?.message == "parameterSet.schedulerOptions: there is no scheduler profile \"nope\" (--tapis-profile)")
        let uuid = try await submit(daemon, ["parameterSet": ["schedulerOptions": [["arg": "--tapis-profile=testbed"]]]])
        let job = try await daemon.waitFor(uuid, seconds: 120)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        let out = try daemon.cli(["jobs", "download", uuid, "tapisjob.out"]).stdout
        #expect(out.hasPrefix("loading gcc/12 $(id)\nHello from tapisd job"), "the module line ran first, the module name only as data:\n\(out)")
    }

    @Test func aSystemsOwnPollIntervalPacesItsStatusQueries() async throws {
        let (daemon, work) = try await daemonWithCluster(pollIntervalSeconds: 1, system: ["pollIntervalSeconds": 4])
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let uuid = try await submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "30"]]]])
        _ = try await daemon.waitFor(uuid, status: .running, seconds: 120)
        func metrics() async throws -> (status: Int, cycles: Int) {
            let report = try await daemon.client.result(SchedulerMetricsReport.self, .get, "/v3/tapisd/metrics")
            return (report.schedulerCommands["cluster"]?["status"]?.count ?? 0, report.pollCycles["cluster"] ?? 0)
        }
        let before = try await metrics()
        try await Task.sleep(for: .seconds(12))
        let after = try await metrics()
        let queries = after.status - before.status
        #expect((2...4).contains(queries), "12 s at one query per 4 s (the daemon's own interval is 1 s): \(queries)")
        #expect(after.cycles - before.cycles == queries, "one status command per monitoring cycle")
        _ = try await daemon.client.call(.post, "/v3/jobs/\(uuid)/cancel")
        _ = try await daemon.waitFor(uuid, status: .cancelled, seconds: 60)
    }

    @Test func cancellingARunningBatchJobStopsItInSlurm() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let uuid = try await submit(daemon, ["parameterSet": [
            "envVariables": [["key": "SLEEP_SECONDS", "value": "300"]],
            "schedulerOptions": [["arg": "--comment=${JobName}"], ["arg": "--nice 5"]],
        ]])
        let running = try await daemon.waitFor(uuid, status: .running, seconds: 120)
        let id = try #require(running.remoteJobId)
        #expect(try squeueState(id) == "RUNNING")
        let options = try ProgramRunner.run(["/usr/bin/squeue", "-h", "-j", id, "-o", "%k|%y"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(options == "slurm-test|5", "the user's scheduler options reached Slurm, macros expanded")
        _ = try await daemon.client.call(.post, "/v3/jobs/\(uuid)/cancel")
        let job = try await daemon.waitFor(uuid, status: .cancelled, seconds: 60)
        #expect(job.condition == .cancelledByUser)
        var state = try squeueState(id)
        for _ in 0..<50 where state == "COMPLETING" || state == "RUNNING" {
            try await Task.sleep(for: .milliseconds(200))
            state = try squeueState(id)
        }
        #expect(state == "CANCELLED" || state.isEmpty, "Slurm no longer runs it (\(state))")
    }

    @Test(.timeLimit(.minutes(5))) func aJobPastItsTimeLimitFailsWithSchedulerTimeout() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let uuid = try await submit(daemon, ["maxMinutes": 1, "parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "180"]]]])
        let job = try await daemon.waitFor(uuid, seconds: 200)
        #expect(job.status == .failed)
        #expect(job.condition == .schedulerTimeout, "\(job.lastMessage ?? "")")
        #expect(job.lastMessage?.contains("time limit") == true)
    }

    @Test func aCrashBetweenSbatchAndStoringTheIdNeverSubmitsTwice() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let uuid = try await submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "8"]]]])
        let running = try await daemon.waitFor(uuid, status: .running, seconds: 120)
        daemon.crash()
        // What a crash right after sbatch leaves: the job stored in SUBMITTING_JOB without its id.
        let rewind = """
            import json, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            body = json.loads(db.execute("SELECT body FROM job WHERE uuid = ?", (sys.argv[2],)).fetchone()[0])
            for key in ("remoteJobId", "remoteSubmitted", "remoteStarted"):
                body.pop(key, None)
            body["status"] = "SUBMITTING_JOB"
            db.execute("UPDATE job SET status = 'SUBMITTING_JOB', body = ?, leaseOwner = NULL WHERE uuid = ?", (json.dumps(body), sys.argv[2]))
            db.execute("DELETE FROM jobEvent WHERE jobUuid = ? AND eventDetail IN ('QUEUED', 'RUNNING')", (sys.argv[2],))
            db.commit()
            """
        let edit = try ProgramRunner.run(["/usr/bin/python3", "-c", rewind, daemon.stateDirectory + "/db/tapisd.sqlite", uuid])
        #expect(edit.status == 0, "\(edit.stderr)")
        try daemon.start()
        let job = try await daemon.waitFor(uuid, seconds: 120)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        #expect(job.remoteJobId == running.remoteJobId, "the running Slurm job was found by its tag and adopted")
        let tagged = try ProgramRunner.run(["/usr/bin/sacct", "-X", "-n", "-P", "--starttime=now-1hour", "--name=tapis-\(uuid)", "-o", "JobID"])
        #expect(tagged.stdout.split(separator: "\n").count == 1, "exactly one Slurm job carries the tag: \(tagged.stdout)")
        #expect(try await daemon.historyStatuses(uuid) == successfulHistory)
    }

    @Test(.timeLimit(.minutes(6))) func jobsRideOutSlurmctldBeingDown() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let uuids = try await [
            submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "40"]]]]),
            submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "40"], ["key": "EXIT_CODE", "value": "3"]]]]),
        ]
        for uuid in uuids { _ = try await daemon.waitFor(uuid, status: .running, seconds: 120) }
        let pid = try #require(Int32(try String(contentsOfFile: "/run/slurmctld.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGTERM)
        while kill(pid, 0) == 0 { try await Task.sleep(for: .milliseconds(200)) }
        // Submitted while the controller is down: sbatch cannot reach it, so the job must wait.
        let during = try await submit(daemon, [:])
        for _ in 0..<60 {
            try await Task.sleep(for: .seconds(1))
            for uuid in uuids { #expect(try await daemon.job(uuid).status == .running, "a failed squeue changes no job") }
            #expect(!(try await daemon.job(during).status.isTerminal), "a failed sbatch fails no job")
        }
        let waiting = try await daemon.job(during)
        #expect(waiting.status == .submittingJob && waiting.remoteJobId == nil, "\(waiting.status): \(waiting.lastMessage ?? "")")
        let restart = try ProgramRunner.run([TestEnvironment.repositoryRoot + "/scripts/testbed.sh", "slurm-start"])
        #expect(restart.status == 0, "\(restart.stderr)")
        let first = try await daemon.waitFor(uuids[0], seconds: 120)
        let second = try await daemon.waitFor(uuids[1], seconds: 120)
        let third = try await daemon.waitFor(during, seconds: 240)
        #expect(first.status == .finished)
        #expect(second.status == .failed && second.remoteResultInfo == "3")
        #expect(third.status == .finished, "\(third.lastMessage ?? "")")
        // slurmctld hands its records to slurmdbd a little after it comes back.
        var tagged: [Substring] = []
        for _ in 0..<30 where tagged.isEmpty {
            try await Task.sleep(for: .seconds(1))
            tagged = try ProgramRunner.run(["/usr/bin/sacct", "-X", "-n", "-P", "--starttime=now-1hour", "--name=tapis-\(during)", "-o", "JobID"]).stdout.split(separator: "\n")
        }
        #expect(tagged.count == 1, "the job was submitted once: \(tagged)")
        #expect(daemon.log.contains("scheduler status query failed; no job changes"))
        #expect(daemon.log.contains("Unable to contact slurm controller"), "sbatch's own words are logged")
    }

    @Test func aJobThatLeftTheQueueUnseenGetsItsFinalStateFromAccounting() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let ok = try await submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "15"]]]])
        let failing = try await submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "15"], ["key": "EXIT_CODE", "value": "3"]]]])
        var ids: [String] = []
        for uuid in [ok, failing] { ids.append(try await daemon.remoteJobId(uuid)) }
        // tapisd is away while the jobs end and Slurm forgets them (MinJobAge 10 s, then a purge).
        daemon.stop()
        for _ in 0..<120 where try ids.contains(where: { try !squeueState($0).isEmpty }) { try await Task.sleep(for: .seconds(1)) }
        for id in ids { #expect(try squeueState(id).isEmpty, "Slurm has forgotten job \(id)") }
        try daemon.start()
        let first = try await daemon.waitFor(ok, seconds: 120)
        let second = try await daemon.waitFor(failing, seconds: 120)
        #expect(first.status == .finished, "\(first.lastMessage ?? "")")
        #expect((try await daemon.historyDescriptions(ok)).contains { $0.contains("Slurm: COMPLETED.") }, "judged by accounting")
        #expect(second.status == .failed && second.remoteResultInfo == "3")
        #expect((try await daemon.historyDescriptions(failing)).contains { $0.contains("Slurm: FAILED.") }, "judged by accounting")
    }

    @Test func cancellingAQueuedBatchJobRemovesItFromSlurm() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let filler = try await submit(daemon, ["coresPerNode": cores, "parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "60"]]]])
        _ = try await daemon.waitFor(filler, status: .running, seconds: 120)
        let waiting = try await submit(daemon, ["coresPerNode": cores])
        let queued = try await daemon.waitFor(waiting, status: .queued, seconds: 60)
        let id = try #require(queued.remoteJobId)
        #expect(try squeueState(id) == "PENDING")
        _ = try await daemon.client.call(.post, "/v3/jobs/\(waiting)/cancel")
        let job = try await daemon.waitFor(waiting, status: .cancelled, seconds: 60)
        #expect(job.condition == .cancelledByUser)
        let state = try squeueState(id)
        #expect(state == "CANCELLED" || state.isEmpty, "Slurm will never start it (\(state))")
        _ = try await daemon.client.call(.post, "/v3/jobs/\(filler)/cancel")
        _ = try await daemon.waitFor(filler, status: .cancelled, seconds: 60)
    }
}
