import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// DOCKER apps through the real daemon, run by the real Podman: as root on this host (rootful) and
/// as tapis-alice over the test bed's sshd (rootless), as FORK jobs and as Slurm BATCH jobs.
@Suite(.serialized, .timeLimit(.minutes(6))) struct ContainerJobTests {
    static let image = "localhost/tapisd-test:1"
    /// What this machine's kernel needs of every container (see the test bed's README).
    static let siteOptions = ["--network=none", "--ulimit=nofile=1024:1024", "--ulimit=nproc=1024:1024"]
    let testbed: SSHTestbed

    init() throws {
        testbed = try SSHTestbed.running()
        for user in ["root", "tapis-alice"] {
            guard try Self.podman(["image", "exists", Self.image], as: user).status == 0 else {
                throw TestSetupError("the test image \(Self.image) is missing for \(user): run scripts/testbed.sh start")
            }
        }
    }

    /// Runs podman as `user` (root runs it rootful), from a directory every user may enter.
    static func podman(_ arguments: [String], as user: String = "root") throws -> ProgramRunner.Result {
        let home = user == "root" ? "/root" : "/home/\(user)"
        return try ProgramRunner.run(
            ["/usr/bin/env", "-C", "/", "-i", "HOME=\(home)", "PATH=/usr/bin:/bin", "/usr/bin/podman"] + arguments,
            as: user == "root" ? nil : user)
    }

    /// Every container of `user` named after the job, running or not.
    static func containers(of uuid: String, as user: String = "root") throws -> [String] {
        let listed = try podman(["ps", "-a", "--filter", "name=tapis-\(uuid)", "--format", "{{.Names}}"], as: user)
        #expect(listed.status == 0, "\(listed.stderr)")
        return listed.stdout.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Waits until no container of the job is left.
    static func waitForNoContainer(_ uuid: String, as user: String = "root", seconds: Int = 40) async throws -> [String] {
        var left: [String] = []
        for _ in 0..<(seconds * 5) {
            left = try containers(of: uuid, as: user)
            if left.isEmpty { return [] }
            try await Task.sleep(for: .milliseconds(200))
        }
        return left
    }

    /// A daemon whose built-in `local` system (this host, jobs as their owner) runs containers
    /// with Podman, with `podman-ssh` (tapis-alice over SSH, Podman too) and the `box` DOCKER app
    /// on `system`.
    func daemon(appOn system: String = "local", jobType: String = "FORK", pollIntervalSeconds: Int = 1) async throws -> (DaemonHarness, String) {
        let configuration = """
            knownHostsFile: \(testbed.knownHosts)
            localContainerEngine: podman
            localContainerEngineOptions: [\(Self.siteOptions.joined(separator: ", "))]

            """
        let daemon = try DaemonHarness(pollIntervalSeconds: pollIntervalSeconds, extraConfiguration: configuration)
        let work = "/home/tapis-alice/tapisd-containers-\(UUID().uuidString.prefix(8))"
        let key = try String(contentsOfFile: testbed.key("alice_ed25519"), encoding: .utf8)
        let ssh: [String: Any] = [
            "id": "podman-ssh", "host": "127.0.0.1", "port": testbed.port, "effectiveUserId": "tapis-alice", "defaultAuthnMethod": "PKI_KEYS",
            "authnCredential": ["privateKey": key], "rootDir": "/", "jobWorkingDir": work, "canExec": true, "canRunBatch": true,
            "batchScheduler": "SLURM", "batchDefaultLogicalQueue": "normal",
            "batchLogicalQueues": [["name": "normal", "hpcQueueName": "debug", "maxNodeCount": 1, "maxMinutes": 60]],
            "containerEngine": "podman", "containerEngineOptions": ["--network=none"],
        ]
        _ = try await daemon.client.call(.post, "/v3/systems", body: try JSONSerialization.data(withJSONObject: ssh))
        let app: [String: Any] = [
            "id": "box", "version": "1", "runtime": "DOCKER", "containerImage": Self.image, "jobType": jobType,
            "jobAttributes": [
                "execSystemId": system, "maxMinutes": 10,
                "parameterSet": ["appArgs": [["name": "script", "inputMode": "INCLUDE_BY_DEFAULT", "arg": "sh -c 'cat /TapisInput/in.txt > /TapisOutput/out.txt && echo out-line && echo err-line >&2'"]]],
            ],
        ]
        _ = try await daemon.client.call(.post, "/v3/apps", body: try JSONSerialization.data(withJSONObject: app))
        return (daemon, work)
    }

    /// Submits the `box` app with `script` as its shell command (the app's default when nil).
    func submit(_ daemon: DaemonHarness, script: String? = nil, extra: [String: Any] = [:]) async throws -> String {
        var request: [String: Any] = ["name": "container", "appId": "box", "appVersion": "1"]
        if let script { request["parameterSet"] = ["appArgs": [["name": "script", "arg": "sh -c \(Shell.quote(script))"]]] }
        request.merge(extra) { _, new in new }
        return try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request)).uuid.rawValue
    }

    func input(_ daemon: DaemonHarness, _ text: String) throws -> [[String: Any]] {
        let path = daemon.directory.file("in-\(UUID().uuidString.prefix(6)).txt")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        chmod(daemon.directory.path, 0o755)
        return [["sourceUrl": "tapis://local\(path)", "targetPath": "in.txt"]]
    }

    @Test func aContainerJobOnThisHostReadsItsInputWritesItsOutputAndLeavesNoContainer() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        let reference = daemon.directory.file("reference.txt")
        try "used in place\n".write(toFile: reference, atomically: true, encoding: .utf8)
        let inputs = try input(daemon, "from the input\n") + [["sourceUrl": "tapislocal://exec.tapis\(reference)"]]
        let uuid = try await submit(
            daemon, script: "cat /TapisInput/in.txt > /TapisOutput/out.txt && cat \(reference) > /TapisOutput/local.txt && echo out-line && echo err-line >&2",
            extra: ["fileInputs": inputs])
        let job = try await daemon.waitFor(uuid, seconds: 90)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")\n\(daemon.log.suffix(3000))")
        #expect(job.remoteJobId == "tapis-\(uuid)", "the container is named after the job")
        let local = String(decoding: try await daemon.client.call(.get, "/v3/systems/local"), as: UTF8.self)
        #expect(local.contains("\"containerEngine\":\"podman\"") && local.contains("--ulimit=nproc=1024:1024"), "\(local)")
        #expect(job.remoteResultInfo == "0")
        #expect(try await daemon.historyStatuses(uuid) == successfulHistory)
        #expect(try daemon.cli(["jobs", "download", uuid, "out.txt"]).stdout == "from the input\n", "archived from /TapisOutput")
        #expect(try daemon.cli(["jobs", "download", uuid, "local.txt"]).stdout == "used in place\n", "the tapislocal input is mounted at its path")
        let log = try daemon.cli(["jobs", "download", uuid, "tapisjob.out"]).stdout
        #expect(log.contains("out-line") && log.contains("err-line"), "the container's stdout and stderr reach tapisjob.out: \(log)")
        #expect(try daemon.cli(["jobs", "download", uuid, "tapisjob.exitcode"]).stdout == "0\n", "the engine's exit code, kept by tapisd")
        #expect(try Self.containers(of: uuid).isEmpty, "the container is removed once its exit code is read")
    }

    @Test func aFailingContainerGivesTheRemoteOutcomeErrorWithItsExitCode() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        let uuid = try await submit(daemon, script: "echo about to fail >&2; exit 7")
        let job = try await daemon.waitFor(uuid, seconds: 90)
        #expect(job.status == .failed)
        #expect(job.condition == .remoteOutcomeError, "\(job.condition?.rawValue ?? "nil"): \(job.lastMessage ?? "")")
        #expect(job.remoteResultInfo == "7")
        #expect(job.lastMessage?.contains("status 7") == true, "\(job.lastMessage ?? "")")
        #expect(try daemon.cli(["jobs", "download", uuid, "tapisjob.out"]).stdout.contains("about to fail"))
        #expect(try Self.containers(of: uuid).isEmpty)
    }

    @Test func cancellingARunningContainerRemovesIt() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        let uuid = try await submit(daemon, script: "sleep 300")
        try await daemon.waitFor(uuid, status: .running, seconds: 90)
        #expect(try Self.containers(of: uuid) == ["tapis-\(uuid)"])
        _ = try await daemon.client.call(.post, "/v3/jobs/\(uuid)/cancel")
        let job = try await daemon.waitFor(uuid, seconds: 60)
        #expect(job.status == .cancelled)
        #expect(try await Self.waitForNoContainer(uuid).isEmpty, "the engine's own listing shows no container after cancel")
    }

    @Test func aDaemonKilledWhileItsContainerRunsFindsItByNameAfterRestart() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        let uuid = try await submit(daemon, script: "cat /etc/hostname >> /TapisOutput/starts.txt; sleep 6; echo done")
        try await daemon.waitFor(uuid, status: .running, seconds: 90)
        let before = try Self.podman(["container", "inspect", "--format", "{{.Id}}", "tapis-\(uuid)"]).stdout
        daemon.crash()
        #expect(try Self.containers(of: uuid) == ["tapis-\(uuid)"], "the container outlives the daemon")
        try daemon.start()
        let job = try await daemon.waitFor(uuid, seconds: 90)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")\n\(daemon.log.suffix(3000))")
        let starts = try daemon.cli(["jobs", "download", uuid, "starts.txt"]).stdout
        #expect(starts.trimmingCharacters(in: .whitespacesAndNewlines) == String(before.prefix(12)), "the container started once, the one that ran before the kill")
        #expect(try daemon.cli(["jobs", "download", uuid, "tapisjob.out"]).stdout.contains("done"))
        #expect(try Self.containers(of: uuid).isEmpty)
    }

    @Test func aContainerJobOverSSHRunsRootlessAsTheLoginAndItsOutputsAreArchived() async throws {
        let (daemon, work) = try await daemon(appOn: "podman-ssh")
        defer { daemon.shutdown() }
        let uuid = try await submit(daemon, script: "id -u > /TapisOutput/uid.txt; cat /TapisInput/in.txt > /TapisOutput/out.txt", extra: [
            "fileInputs": try input(daemon, "over ssh\n"),
        ])
        let job = try await daemon.waitFor(uuid, seconds: 90)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")\n\(daemon.log.suffix(3000))")
        #expect(try daemon.cli(["jobs", "download", uuid, "out.txt"]).stdout == "over ssh\n")
        let alice = getpwnam("tapis-alice").pointee.pw_uid
        #expect(try daemon.cli(["jobs", "download", uuid, "uid.txt"]).stdout == "\(alice)\n", "inside the container the app is tapis-alice's uid")
        var info = stat()
        #expect(stat("\(job.execSystemOutputDir)/out.txt", &info) == 0 && info.st_uid == alice, "and what it writes belongs to tapis-alice on the host")
        #expect(try Self.containers(of: uuid, as: "tapis-alice").isEmpty)
        _ = try ProgramRunner.run(["/bin/rm", "-rf", work])
    }

    @Test func aContainerAppUnderSlurmRunsInTheBatchJobAndScancelStopsIt() async throws {
        let sinfo = try ProgramRunner.run(["/usr/bin/sinfo", "-h", "-o", "%T"])
        guard sinfo.status == 0, !sinfo.stdout.isEmpty else {
            throw TestSetupError("Slurm is not running: start it with scripts/testbed.sh slurm-start (scripts/test.sh does)")
        }
        let (daemon, work) = try await daemon(appOn: "podman-ssh", jobType: "BATCH")
        defer { daemon.shutdown() }
        let uuid = try await submit(daemon, script: "cat /TapisInput/in.txt > /TapisOutput/out.txt; echo batch-line; exit 3", extra: [
            "fileInputs": try input(daemon, "under slurm\n"), "archiveOnAppError": true,
        ])
        let job = try await daemon.waitFor(uuid, seconds: 120)
        #expect(job.status == .failed && job.remoteResultInfo?.hasPrefix("3") == true, "\(job.remoteResultInfo ?? "nil"): \(job.lastMessage ?? "")\n\(daemon.log.suffix(2000))")
        let slurmId = try #require(job.remoteJobId)
        #expect(Int(slurmId) != nil, "a Slurm job id: \(slurmId)")
        let accounting = try ProgramRunner.run(["/usr/bin/sacct", "-n", "-P", "-X", "-j", slurmId, "-o", "User,ExitCode"])
        #expect(accounting.stdout.hasPrefix("tapis-alice|3:0"), "Slurm accounted the container's run: \(accounting.stdout)")
        #expect(try daemon.cli(["jobs", "download", uuid, "out.txt"]).stdout == "under slurm\n")
        #expect(try daemon.cli(["jobs", "download", uuid, "tapisjob.out"]).stdout.contains("batch-line"))
        #expect(try Self.containers(of: uuid, as: "tapis-alice").isEmpty)

        let long = try await submit(daemon, script: "sleep 300")
        try await daemon.waitFor(long, status: .running, seconds: 120)
        for _ in 0..<150 where try Self.containers(of: long, as: "tapis-alice").isEmpty { try await Task.sleep(for: .milliseconds(200)) }
        #expect(try Self.containers(of: long, as: "tapis-alice") == ["tapis-\(long)"], "the container runs inside the batch job")
        _ = try await daemon.client.call(.post, "/v3/jobs/\(long)/cancel")
        #expect(try await daemon.waitFor(long, seconds: 60).status == .cancelled)
        #expect(try await Self.waitForNoContainer(long, as: "tapis-alice", seconds: 60).isEmpty, "scancel's TERM removed the container")
        _ = try ProgramRunner.run(["/bin/rm", "-rf", work])
    }

    @Test func anImageThatDoesNotExistFailsTheJobWithTheEnginesWordsAndLeavesNothing() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        var app: [String: Any] = ["id": "nowhere", "version": "1", "runtime": "DOCKER", "containerImage": "localhost/tapisd-no-such-image:1"]
        app["jobAttributes"] = ["execSystemId": "local", "parameterSet": ["containerArgs": [["arg": "--pull=never"]]]]
        _ = try await daemon.client.call(.post, "/v3/apps", body: try JSONSerialization.data(withJSONObject: app))
        let request: [String: Any] = ["name": "nowhere", "appId": "nowhere", "appVersion": "1"]
        let uuid = try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request)).uuid.rawValue
        let job = try await daemon.waitFor(uuid, seconds: 90)
        #expect(job.status == .failed)
        #expect(job.lastMessage?.contains("did not start the container") == true && job.lastMessage?.contains("tapisd-no-such-image") == true, "\(job.lastMessage ?? "")")
        #expect(try Self.containers(of: uuid).isEmpty)
    }

    @Test func anEngineThatCannotStartContainersFailsTheJobWithItsMessage() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        // This machine has Docker's client and no Docker engine behind it.
        let system: [String: Any] = [
            "id": "docker-here", "host": "localhost", "jobWorkingDir": daemon.directory.file("work") + "/${apiUserId}", "canExec": true,
            "containerEngine": "docker",
        ]
        _ = try await daemon.client.call(.post, "/v3/systems", body: try JSONSerialization.data(withJSONObject: system))
        let uuid = try await submit(daemon, extra: ["execSystemId": "docker-here"])
        let job = try await daemon.waitFor(uuid, seconds: 90)
        #expect(job.status == .failed)
        #expect(job.lastMessage?.contains("the container engine docker did not start the container") == true, "\(job.lastMessage ?? "")")
    }

    @Test func badImagesAndContainerArgumentsAreRefusedAtTheirFieldsAndCreateNothing() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        for (image, phrase) in [("busybox;id", "not an image reference"), ("-v /:/host busybox", "must start with a letter or digit")] {
            let app: [String: Any] = ["id": "bad", "version": "1", "runtime": "DOCKER", "containerImage": image]
            let error = await #expect(throws: TapisClientError.self) {
                _ = try await daemon.client.call(.post, "/v3/apps", body: try JSONSerialization.data(withJSONObject: app))
            }
            #expect(error?.description.contains(phrase) == true, "\(error?.description ?? "")")
        }
        let singularity: [String: Any] = ["id": "bad", "version": "1", "runtime": "SINGULARITY", "containerImage": "docker://busybox"]
        let refused = await #expect(throws: TapisClientError.self) {
            _ = try await daemon.client.call(.post, "/v3/apps", body: try JSONSerialization.data(withJSONObject: singularity))
        }
        #expect(refused?.description.contains("SINGULARITY is not supported") == true)
        for (arg, phrase) in [
            ("--name other", "reserved"), ("--user=0", "reserved"), ("-d", "reserved"), ("--env-file /etc/shadow", "reserved"),
            ("--privileged", "more than the job's user has"), ("--network=host", "containerEngineOptions"), ("--label x=$(id)", "shell syntax"),
        ] {
            let request: [String: Any] = ["name": "bad", "appId": "box", "appVersion": "1", "parameterSet": ["containerArgs": [["arg": arg]]]]
            let error = await #expect(throws: TapisClientError.self) {
                _ = try await daemon.client.call(.post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request))
            }
            #expect(error?.description.contains("parameterSet.containerArgs") == true && error?.description.contains(phrase) == true, "\(arg): \(error?.description ?? "")")
        }
        let listed = String(decoding: try await daemon.client.call(.get, "/v3/jobs/list"), as: UTF8.self)
        #expect(!listed.contains("\"uuid\""), "no job was stored: \(listed)")
    }

    @Test func aContainerOutlivingMaxMinutesIsStoppedAndRemoved() async throws {
        let (daemon, _) = try await daemon()
        defer { daemon.shutdown() }
        let uuid = try await submit(daemon, script: "sleep 600", extra: ["maxMinutes": 1])
        let job = try await daemon.waitFor(uuid, seconds: 120)
        #expect(job.status == .failed && job.condition == .executionMonitoringTimeout, "\(job.condition?.rawValue ?? "nil"): \(job.lastMessage ?? "")")
        #expect(try await Self.waitForNoContainer(uuid).isEmpty)
    }
}
