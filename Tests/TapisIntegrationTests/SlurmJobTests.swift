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
        #expect(finished.jobType == "BATCH" && finished.remoteQueue == "debug" && finished.execSystemLogicalQueue == "normal")
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
        struct Metrics: Decodable { var schedulerCommands: [String: [String: SchedulerMetrics.Figures]] }
        func statusQueries() async throws -> Int {
            try await daemon.client.result(Metrics.self, .get, "/v3/tapisd/metrics").schedulerCommands["cluster"]?["status"]?.count ?? 0
        }
        let before = try await statusQueries()
        try await Task.sleep(for: .seconds(12))
        let queries = try await statusQueries() - before
        #expect((2...4).contains(queries), "12 s at one query per 4 s (the daemon's own interval is 1 s): \(queries)")
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

    @Test func jobsRideOutSlurmctldBeingDown() async throws {
        let (daemon, work) = try await daemonWithCluster()
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let uuids = try await [
            submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "20"]]]]),
            submit(daemon, ["parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "20"], ["key": "EXIT_CODE", "value": "3"]]]]),
        ]
        for uuid in uuids { _ = try await daemon.waitFor(uuid, status: .running, seconds: 120) }
        let pid = try #require(Int32(try String(contentsOfFile: "/run/slurmctld.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGTERM)
        for _ in 0..<30 {
            try await Task.sleep(for: .seconds(1))
            for uuid in uuids { #expect(try await daemon.job(uuid).status == .running, "a failed squeue changes no job") }
        }
        let restart = try ProgramRunner.run([TestEnvironment.repositoryRoot + "/scripts/testbed.sh", "slurm-start"])
        #expect(restart.status == 0, "\(restart.stderr)")
        let first = try await daemon.waitFor(uuids[0], seconds: 120)
        let second = try await daemon.waitFor(uuids[1], seconds: 120)
        #expect(first.status == .finished)
        #expect(second.status == .failed && second.remoteResultInfo == "3")
        #expect(daemon.log.contains("scheduler status query failed; no job changes"))
    }

    @Test func aJobThatLeftTheQueueUnseenGetsItsFinalStateFromAccounting() async throws {
        // The test bed keeps ended jobs in squeue for 10 s (MinJobAge); tapisd looks every 30 s.
        let (daemon, work) = try await daemonWithCluster(pollIntervalSeconds: 30)
        defer {
            daemon.shutdown()
            _ = try? ProgramRunner.run(["/bin/rm", "-rf", work])
        }
        let ok = try await submit(daemon, [:])
        let failing = try await submit(daemon, ["parameterSet": ["envVariables": [["key": "EXIT_CODE", "value": "3"]]]])
        let first = try await daemon.waitFor(ok, seconds: 120)
        let second = try await daemon.waitFor(failing, seconds: 120)
        #expect(first.status == .finished, "\(first.lastMessage ?? "")")
        #expect(second.status == .failed && second.remoteResultInfo == "3")
        let id = try #require(first.remoteJobId)
        #expect(try squeueState(id).isEmpty, "Slurm had already forgotten the job")
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
