import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Jobs on systems reached over SSH (the test bed's sshd), through the real daemon.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SSHJobTests {
    let testbed: SSHTestbed

    init() throws { testbed = try SSHTestbed.running() }

    /// Creates a system that runs jobs as tapis-alice over SSH on `port`, with her key as text.
    func createAliceSystem(_ daemon: DaemonHarness, id: String, port: Int, workDir: String) async throws {
        let key = try String(contentsOfFile: testbed.key("alice_ed25519"), encoding: .utf8)
        let system: [String: Any] = [
            "id": id, "host": "127.0.0.1", "port": port, "effectiveUserId": "tapis-alice", "defaultAuthnMethod": "PKI_KEYS",
            "authnCredential": ["privateKey": key], "rootDir": "/", "jobWorkingDir": workDir, "canExec": true,
        ]
        _ = try await daemon.client.call(.post, "/v3/systems", body: try JSONSerialization.data(withJSONObject: system))
    }

    func createSystems(_ daemon: DaemonHarness, alicesWorkDir: String) async throws {
        try await createAliceSystem(daemon, id: "ssh-exec", port: testbed.port, workDir: alicesWorkDir)
        let archive: [String: Any] = [
            "id": "ssh-archive", "host": "127.0.0.1", "port": testbed.port, "effectiveUserId": "tapis-bob", "defaultAuthnMethod": "PASSWORD",
            "authnCredential": ["password": testbed.password], "rootDir": "/home/tapis-bob", "canExec": false,
        ]
        _ = try await daemon.client.call(.post, "/v3/systems", body: try JSONSerialization.data(withJSONObject: archive))
        let definition = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8)
            .replacingOccurrences(of: "\"id\": \"hello\"", with: "\"id\": \"hello-ssh\"")
            .replacingOccurrences(of: "\"execSystemId\": \"local\"", with: "\"execSystemId\": \"ssh-exec\"")
        _ = try await daemon.client.call(.post, "/v3/apps", body: Data(definition.utf8))
    }

    @Test func aForkJobRunsOverSSHWithInputsFromOneSystemAndOutputsArchivedToAnother() async throws {
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(testbed.knownHosts)\n")
        defer { daemon.shutdown() }
        let work = "/home/tapis-alice/tapisd-e2e-\(UUID().uuidString.prefix(8))"
        try await createSystems(daemon, alicesWorkDir: work)
        let input = daemon.directory.file("numbers.txt")
        try "1\n2\n3\n4\n".write(toFile: input, atomically: true, encoding: .utf8)
        let request: [String: Any] = [
            "name": "over-ssh", "appId": "hello-ssh", "appVersion": "1.0", "archiveSystemId": "ssh-archive",
            "archiveSystemDir": "/archive/${JobUUID}",
            "fileInputs": [["sourceUrl": "tapis://local\(input)", "envKey": "INPUT_FILE"]],
            "parameterSet": ["appArgs": [["arg": "'over ssh' $(hostname)"]]],
        ]
        let submitted = try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request))
        let uuid = submitted.uuid.rawValue
        let job = try await daemon.waitFor(uuid, seconds: 90)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")\n\(daemon.log.suffix(3000))")
        #expect(try await daemon.historyStatuses(uuid) == successfulHistory)
        #expect(job.execSystemExecDir == "\(work)/jobs/\(uuid)")

        let archive = "/home/tapis-bob/archive/\(uuid)"
        let archived = Set(try FileManager.default.contentsOfDirectory(atPath: archive))
        #expect(archived.isSuperset(of: ["tapisjob.out", "line-count.txt", "arguments.txt", "tapisjob.exitcode", "tapisjob.sh", "tapisjob.env"]))
        var info = stat()
        #expect(stat(archive + "/tapisjob.out", &info) == 0 && info.st_uid == getpwnam("tapis-bob").pointee.pw_uid, "archived as the archive system's login")
        let out = try daemon.cli(["jobs", "download", uuid, "tapisjob.out"])
        #expect(out.stdout.hasPrefix("Hello from tapisd job \(uuid) (over-ssh) as tapis-alice"), "\(out.stderr)")
        #expect(try daemon.cli(["jobs", "download", uuid, "line-count.txt"]).stdout == "4\n", "the input came from the local system")
        #expect(try daemon.cli(["jobs", "download", uuid, "arguments.txt"]).stdout == "hello\nworld\nover ssh\n$(hostname)\n")

        let shown = String(decoding: try await daemon.client.call(.get, "/v3/systems/ssh-exec"), as: UTF8.self)
        #expect(!shown.contains("PRIVATE KEY") && !shown.contains("authnCredential"), "credentials never leave the daemon")
        let listed = String(decoding: try await daemon.client.call(.get, "/v3/systems"), as: UTF8.self)
        #expect(!listed.contains(testbed.password))
        #expect(!daemon.log.contains(testbed.password) && !daemon.log.contains("PRIVATE KEY"), "nor reach its log")
        _ = try ProgramRunner.run(["/bin/rm", "-rf", work, archive])
    }

    @Test func cancellingAJobRunningOverSSHKillsTheRemoteProcess() async throws {
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(testbed.knownHosts)\n")
        defer { daemon.shutdown() }
        let work = "/home/tapis-alice/tapisd-e2e-\(UUID().uuidString.prefix(8))"
        try await createSystems(daemon, alicesWorkDir: work)
        let request: [String: Any] = [
            "name": "long", "appId": "hello-ssh", "appVersion": "1.0",
            "parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "120"]]],
        ]
        let uuid = try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request)).uuid.rawValue
        let running = try await daemon.waitFor(uuid, status: .running, seconds: 60)
        let pid = try #require(Int32(running.remoteJobId ?? ""))
        #expect(ProcessState.isAlive(pid), "the wrapper runs (on this same machine, reached over SSH)")
        _ = try await daemon.client.call(.post, "/v3/jobs/\(uuid)/cancel")
        _ = try await daemon.waitFor(uuid, status: .cancelled, seconds: 30)
        #expect(!ProcessState.isAlive(pid))
        _ = try ProgramRunner.run(["/bin/rm", "-rf", work])
    }

    @Test func anUnreachableSystemIsRefusedAtSubmitWithoutAJob() async throws {
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(testbed.knownHosts)\n")
        defer { daemon.shutdown() }
        let bad: [String: Any] = [
            "id": "no-method", "host": "example.invalid", "canExec": true, "jobWorkingDir": "/x",
        ]
        let error = await #expect(throws: TapisClientError.self) {
            _ = try await daemon.client.call(.post, "/v3/systems", body: try JSONSerialization.data(withJSONObject: bad))
        }
        #expect(error?.message.hasPrefix("defaultAuthnMethod:") == true)
        let keyFile: [String: Any] = [
            "id": "key-file", "host": "127.0.0.1", "defaultAuthnMethod": "PKI_KEYS", "authnCredential": ["privateKeyFile": "/root/.ssh/id_ed25519"],
            "canExec": true, "jobWorkingDir": "/x",
        ]
        let forbidden = try daemon.cli(["systems", "create", "-"], as: "tapis-alice", input: try JSONSerialization.data(withJSONObject: keyFile))
        #expect(forbidden.status == 1)
        #expect(forbidden.stderr.contains("only administrators' definition files may name a key file"))
    }

    @Test func aUsersSystemAndAppServeNobodyElse() async throws {
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(testbed.knownHosts)\n")
        defer { daemon.shutdown() }
        let work = "/home/tapis-alice/tapisd-e2e-\(UUID().uuidString.prefix(8))"
        defer { _ = try? ProgramRunner.run(["/bin/rm", "-rf", work]) }
        let key = try String(contentsOfFile: testbed.key("alice_ed25519"), encoding: .utf8)
        let system: [String: Any] = [
            "id": "alices-cluster", "host": "127.0.0.1", "port": testbed.port, "effectiveUserId": "tapis-alice",
            "defaultAuthnMethod": "PKI_KEYS", "authnCredential": ["privateKey": key], "rootDir": "/", "jobWorkingDir": work, "canExec": true,
        ]
        let created = try daemon.cli(["systems", "create", "-"], as: "tapis-alice", input: try JSONSerialization.data(withJSONObject: system))
        #expect(created.status == 0, "\(created.stderr)")
        try daemon.registerExampleApp()
        let app = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8)
            .replacingOccurrences(of: "\"id\": \"hello\"", with: "\"id\": \"alices-app\"")
        #expect(try daemon.cli(["apps", "create", "-"], as: "tapis-alice", input: Data(app.utf8)).status == 0)

        let secret = "/home/tapis-alice/secret-\(UUID().uuidString.prefix(8)).txt"
        #expect(try ProgramRunner.run(["/bin/sh", "-c", "umask 077; echo alice-only > \(secret)"], as: "tapis-alice").status == 0)
        defer { _ = try? ProgramRunner.run(["/bin/rm", "-f", secret]) }
        let attempts: [([String: Any], String)] = [
            (["execSystemId": "alices-cluster"], "execSystemId: no system named \"alices-cluster\""),
            (["archiveSystemId": "alices-cluster"], "archiveSystemId: no system named \"alices-cluster\""),
            (["fileInputs": [["sourceUrl": "tapis://alices-cluster\(secret)", "targetPath": "stolen.txt"]]], "unknown system \"alices-cluster\""),
        ]
        for (fields, message) in attempts {
            var request: [String: Any] = ["name": "borrow", "appId": "hello", "appVersion": "1.0"]
            request.merge(fields) { _, new in new }
            let refused = try daemon.cli(["jobs", "submit", "-"], as: "tapis-bob", input: try JSONSerialization.data(withJSONObject: request))
            #expect(refused.status == 1 && refused.stderr.contains(message), "bob with \(fields): \(refused.stderr)")
        }
        let bobsApp = try daemon.cli(["jobs", "submit", "-"], as: "tapis-bob", input: Data(#"{"name":"x","appId":"alices-app","appVersion":"1.0"}"#.utf8))
        #expect(bobsApp.status == 1 && bobsApp.stderr.contains("appId: no app \"alices-app\""), "\(bobsApp.stderr)")
        #expect(try daemon.cli(["systems", "show", "alices-cluster"], as: "tapis-bob").status == 1)
        #expect(try daemon.cli(["apps", "show", "alices-app", "1.0"], as: "tapis-bob").status == 1)
        #expect(!(try daemon.cli(["systems", "list", "--json"], as: "tapis-bob").stdout.contains("alices-cluster")))
        #expect(!(try daemon.cli(["apps", "list", "--json"], as: "tapis-bob").stdout.contains("alices-app")))
        let bobsJobs = try daemon.cli(["jobs", "list", "--json"], as: "tapis-bob")
        #expect(bobsJobs.status == 0 && !bobsJobs.stdout.contains("borrow"), "no refused submit left a job")

        let request: [String: Any] = [
            "name": "own", "appId": "alices-app", "appVersion": "1.0", "execSystemId": "alices-cluster",
            "fileInputs": [["sourceUrl": "tapis://alices-cluster\(secret)", "targetPath": "mine.txt"]],
        ]
        let own = try daemon.cli(["jobs", "submit", "-"], as: "tapis-alice", input: try JSONSerialization.data(withJSONObject: request))
        #expect(own.status == 0, "\(own.stderr)")
        let job = try await daemon.waitFor(own.stdout.trimmingCharacters(in: .whitespacesAndNewlines), seconds: 60)
        #expect(job.status == .finished, "alice uses her own system and app: \(job.lastMessage ?? "")")
    }

    @Test func stagingRecoversWhenSSHDDiesMidTransferAndComesBack() async throws {
        let sshd = try PrivateSSHD(testbed: testbed)
        defer { sshd.shutdown() }
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(sshd.knownHosts)\n")
        defer { daemon.shutdown() }
        let work = "/home/tapis-alice/tapisd-e2e-\(UUID().uuidString.prefix(8))"
        defer { _ = try? ProgramRunner.run(["/bin/rm", "-rf", work]) }
        try await createAliceSystem(daemon, id: "flaky", port: sshd.port, workDir: work)
        try daemon.registerExampleApp()
        let big = daemon.directory.file("big.dat")
        #expect(try ProgramRunner.run(["/usr/bin/truncate", "-s", "3G", big]).status == 0)
        let request: [String: Any] = [
            "name": "flaky", "appId": "hello", "appVersion": "1.0", "execSystemId": "flaky",
            "fileInputs": [["sourceUrl": "tapis://local\(big)", "envKey": "INPUT_FILE"]],
        ]
        let uuid = try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request)).uuid.rawValue
        _ = try await daemon.waitFor(uuid, status: .stagingInputs, seconds: 60)
        let target = "\(work)/jobs/\(uuid)/big.dat.tapisd-tmp"
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: target) { try await Task.sleep(for: .milliseconds(25)) }
        try await Task.sleep(for: .milliseconds(300))
        sshd.kill()
        let partial = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        #expect(partial > 0 && partial < 3 << 30, "the transfer was cut midway (\(partial) bytes)")
        try await Task.sleep(for: .seconds(3))
        #expect(try await daemon.job(uuid).status == .stagingInputs, "a dropped connection is not a failure")
        try sshd.start()

        let job = try await daemon.waitFor(uuid, seconds: 150)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        #expect(try await daemon.historyStatuses(uuid) == successfulHistory, "STAGING_INPUTS once, then on")
        let staged = "\(work)/jobs/\(uuid)/big.dat"
        #expect((try FileManager.default.attributesOfItem(atPath: staged)[.size] as? Int) == 3 << 30)
        #expect(!FileManager.default.fileExists(atPath: target), "nothing half-written is left")
        #expect(daemon.log.contains("transient fault, will retry"))
    }

    @Test func fiftyConcurrentJobsOnOneSystemShareOneConnection() async throws {
        let sshd = try PrivateSSHD(testbed: testbed)
        defer { sshd.shutdown() }
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(sshd.knownHosts)\nmaxConcurrentJobs: 16\n")
        defer { daemon.shutdown() }
        let work = "/home/tapis-alice/tapisd-e2e-\(UUID().uuidString.prefix(8))"
        defer { _ = try? ProgramRunner.run(["/bin/rm", "-rf", work]) }
        try await createAliceSystem(daemon, id: "busy", port: sshd.port, workDir: work)
        try daemon.registerExampleApp()
        let body = try JSONSerialization.data(withJSONObject: [
            "name": "many", "appId": "hello", "appVersion": "1.0", "execSystemId": "busy",
            "parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": "3"]]],
        ] as [String: Any])
        var uuids: [String] = []
        for _ in 0..<50 { uuids.append(try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: body).uuid.rawValue) }

        var most = 0
        var running = 0
        for _ in 0..<600 {
            let connections = try ProgramRunner.run(["/usr/bin/ss", "-Htn", "state", "established", "( sport = :\(sshd.port) )"]).stdout
            most = max(most, connections.split(separator: "\n").count)
            let jobs = try await daemon.client.result([JobSummary].self, .get, "/v3/jobs/list")
            running = max(running, jobs.filter { $0.status == .running }.count)
            if jobs.allSatisfy({ $0.status.isTerminal }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        for uuid in uuids { #expect(try await daemon.job(uuid).status == .finished) }
        #expect(most == 1, "all 50 jobs used one TCP connection to the system (saw \(most))")
        #expect(running >= 20, "the jobs really ran side by side (at most \(running) at once)")
    }
}
