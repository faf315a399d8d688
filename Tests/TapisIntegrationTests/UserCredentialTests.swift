import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// One administrator-defined Slurm system with `${apiUserId}` on the test bed's sshd: each user runs
/// there with the credential they stored themselves (alice her own key pair, bob one tapisd made), through
/// the real daemon and CLI; nobody's job uses another's credential, and no secret is in the
/// database file.
@Suite(.serialized, .timeLimit(.minutes(3))) struct UserCredentialTests {
    let testbed: SSHTestbed

    init() throws { testbed = try SSHTestbed.running() }

    /// The shared cluster (no credential of its own) and an app that runs on it.
    func defineCluster(_ daemon: DaemonHarness, work: String) async throws {
        let system: [String: Any] = [
            "id": "cluster", "host": "127.0.0.1", "port": testbed.port, "effectiveUserId": "${apiUserId}", "defaultAuthnMethod": "PKI_KEYS",
            "rootDir": "/", "jobWorkingDir": "/home/${apiUserId}/\(work)", "canExec": true, "canRunBatch": true,
            "batchScheduler": "SLURM", "batchDefaultLogicalQueue": "normal",
            "batchLogicalQueues": [["name": "normal", "hpcQueueName": "debug", "maxNodeCount": 1, "maxMinutes": 60]],
        ]
        _ = try await daemon.client.call(.post, "/v3/systems", body: try JSONSerialization.data(withJSONObject: system))
        let app = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8)
            .replacingOccurrences(of: "\"id\": \"hello\"", with: "\"id\": \"hello-cluster\"")
            .replacingOccurrences(of: "\"execSystemId\": \"local\"", with: "\"execSystemId\": \"cluster\"")
            .replacingOccurrences(of: "\"jobType\": \"FORK\"", with: "\"jobType\": \"BATCH\"")
        _ = try await daemon.client.call(.post, "/v3/apps", body: Data(app.utf8))
    }

    /// A copy of the test bed's key `name` (and its .pub) that `user` can read.
    func keyCopy(_ name: String, for user: String, in daemon: DaemonHarness) throws -> String {
        let path = daemon.directory.file("\(user)-\(name)")
        for suffix in ["", ".pub"] {
            try FileManager.default.copyItem(atPath: testbed.key(name) + suffix, toPath: path + suffix)
            #expect(try ProgramRunner.run(["/bin/chown", user, path + suffix]).status == 0)
        }
        return path
    }

    /// The User column sacct records for Slurm job `id` (slurmdbd fills a job in moments after it ends).
    func slurmUser(of id: String) async throws -> String {
        var user = ""
        for _ in 0..<50 {
            user = try ProgramRunner.run(["/usr/bin/sacct", "-X", "-n", "-P", "-j", id, "-o", "User"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if !user.isEmpty { return user }
            try await Task.sleep(for: .milliseconds(200))
        }
        return user
    }

    @Test func eachUserRunsWithTheirOwnCredentialAndNoOneElses() async throws {
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(testbed.knownHosts)\n")
        defer { daemon.shutdown() }
        let work = "tapisd-cred-\(UUID().uuidString.prefix(8))"
        defer { for user in ["tapis-alice", "tapis-bob"] { _ = try? ProgramRunner.run(["/bin/rm", "-rf", "/home/\(user)/\(work)"]) } }
        try await defineCluster(daemon, work: work)
        let submit = Data(#"{"name": "mine", "appId": "hello-cluster", "appVersion": "1.0"}"#.utf8)

        // Nobody has a credential yet: a submit says how to add one, and leaves no job.
        let refused = try daemon.cli(["jobs", "submit", "-"], as: "tapis-alice", input: submit)
        #expect(refused.status == 1 && refused.stderr.contains("tapis-alice has no credential for system cluster; add one with `tapis systems credential add cluster`"), "\(refused.stderr)")

        // A key that sshd does not accept for alice is refused, and not stored.
        let stranger = try keyCopy("stranger", for: "tapis-alice", in: daemon)
        let wrong = try daemon.cli(["systems", "credential", "add", "cluster", "--key", stranger], as: "tapis-alice")
        #expect(wrong.status == 1 && wrong.stderr.contains("the credential could not log in to 127.0.0.1 as tapis-alice"), "\(wrong.stderr)")
        #expect(try daemon.cli(["systems", "credential", "check", "cluster"], as: "tapis-alice").stderr.contains("tapis-alice has no credential for system cluster"))

        // An encrypted key without its passphrase, and a public half of another key, are refused.
        let locked = try keyCopy("alice_protected", for: "tapis-alice", in: daemon)
        let encrypted = try daemon.cli(["systems", "credential", "add", "cluster", "--key", locked], as: "tapis-alice")
        #expect(encrypted.status == 1 && encrypted.stderr.contains("the credential could not log in to 127.0.0.1 as tapis-alice"), "\(encrypted.stderr)")
        let key = try keyCopy("alice_ed25519", for: "tapis-alice", in: daemon)
        let mismatched = try daemon.cli(["systems", "credential", "add", "cluster", "--key", key, "--public-key", stranger + ".pub"], as: "tapis-alice")
        #expect(mismatched.status == 1 && mismatched.stderr.contains("publicKey: does not match privateKey"), "\(mismatched.stderr)")
        let added = try daemon.cli(["systems", "credential", "add", "cluster", "--key", key], as: "tapis-alice")
        #expect(added.status == 0 && added.stdout.contains("credential stored"), "\(added.stderr)")
        // Bob has tapisd make his key pair and adds its public half to his authorized_keys.
        let generated = try daemon.cli(["systems", "keygen", "cluster"], as: "tapis-bob")
        #expect(generated.status == 0 && generated.stdout.contains("On 127.0.0.1, as tapis-bob, add this line to ~/.ssh/authorized_keys"), "\(generated.stderr)")
        let line = try #require(generated.stdout.split(separator: "\n").first { $0.hasPrefix("ssh-ed25519 ") })
        #expect(try daemon.cli(["systems", "credential", "check", "cluster"], as: "tapis-bob").stderr.contains("could not log in"), "not yet authorized")
        let authorized = testbed.directory + "/authorized_keys/tapis-bob"
        let before = FileManager.default.contents(atPath: authorized) ?? Data()
        defer { try? before.write(to: URL(fileURLWithPath: authorized)) }
        try (before + Data((line + "\n").utf8)).write(to: URL(fileURLWithPath: authorized))
        let checked = try daemon.cli(["systems", "credential", "check", "cluster"], as: "tapis-bob")
        #expect(checked.status == 0 && checked.stdout.contains("credential works"), "\(checked.stderr)")
        let passwordFile = daemon.directory.file("bob-password")
        try testbed.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        #expect(try ProgramRunner.run(["/bin/chown", "tapis-bob", passwordFile]).status == 0)

        // Bob may not set, check or remove alice's, nor read any.
        for action in [["add", "cluster", "--user", "tapis-alice", "--password-file", passwordFile], ["check", "cluster", "--user", "tapis-alice"], ["remove", "cluster", "--user", "tapis-alice"]] {
            let attempt = try daemon.cli(["systems", "credential"] + action, as: "tapis-bob")
            #expect(attempt.status == 1 && attempt.stderr.contains("only tapis-alice") && attempt.stderr.contains("or an administrator may"), "\(action): \(attempt.stderr)")
        }
        let read = try await #require(throws: TapisClientError.self) { try await daemon.client.call(.get, "/v3/systems/credential/cluster/user/tapis-alice") }
        #expect("\(read)".contains("credentials are never returned"))

        // Each user's job runs, and writes, as that user.
        var owners: [String: String] = [:], accounts: [String: String] = [:]
        for user in ["tapis-alice", "tapis-bob"] {
            let submitted = try daemon.cli(["jobs", "submit", "-"], as: user, input: submit)
            #expect(submitted.status == 0, "\(user): \(submitted.stderr)")
            let job = try await daemon.waitFor(submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines), seconds: 90)
            #expect(job.status == .finished, "\(user): \(job.lastMessage ?? "")\n\(daemon.log.suffix(2000))")
            var info = stat()
            #expect(stat(job.execSystemExecDir + "/tapisjob.sh", &info) == 0, "the job's launch file was written on the cluster")
            owners[user] = String(cString: getpwuid(info.st_uid).pointee.pw_name)
            accounts[user] = try await slurmUser(of: try #require(job.remoteJobId))
        }
        #expect(owners == ["tapis-alice": "tapis-alice", "tapis-bob": "tapis-bob"], "their files on the cluster are theirs")
        let third = try daemon.cli(["jobs", "submit", "-"], as: "tapis-locked", input: submit)
        #expect(third.status == 1 && third.stderr.contains("tapis-locked has no credential for system cluster; add one with"), "\(third.stderr)")
        #expect(accounts == ["tapis-alice": "tapis-alice", "tapis-bob": "tapis-bob"], "Slurm ran each job under its owner's account (sacct)")

        // sshd's log: bob's key logged in as bob only, and alice's never as bob.
        let bobsKey = daemon.directory.file("bob.pub")
        try (line + "\n").write(toFile: bobsKey, atomically: true, encoding: .utf8)
        func fingerprint(_ file: String) throws -> String {
            try ProgramRunner.run(["/usr/bin/ssh-keygen", "-lf", file]).stdout.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
        }
        let accepted = try String(contentsOfFile: testbed.directory + "/sshd.log", encoding: .utf8)
            .split(whereSeparator: \.isNewline).filter { $0.hasPrefix("Accepted publickey for ") }  // sshd -E writes CRLF
        let logins = { (print: String) in Set(accepted.filter { $0.hasSuffix(" " + print) }.compactMap { $0.split(separator: " ").dropFirst(3).first.map(String.init) }) }
        #expect(logins(try fingerprint(bobsKey)) == ["tapis-bob"])
        #expect(!logins(try fingerprint(key + ".pub")).contains("tapis-bob"))

        // No secret in clear in the store, its log, or the daemon's log.
        let privateKey = try String(contentsOfFile: key, encoding: .utf8)
        let body = privateKey.split(separator: "\n").dropFirst().first.map(String.init) ?? privateKey
        let files = try FileManager.default.subpathsOfDirectory(atPath: daemon.stateDirectory).map { daemon.stateDirectory + "/" + $0 } + [daemon.logPath]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for secret in [body, testbed.password] {
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) holds a secret in clear")
            }
        }

        // Removed, it is gone: the next submit is refused again.
        #expect(try daemon.cli(["systems", "credential", "remove", "cluster"], as: "tapis-bob").status == 0)
        let again = try daemon.cli(["jobs", "submit", "-"], as: "tapis-bob", input: submit)
        #expect(again.status == 1 && again.stderr.contains("tapis-bob has no credential for system cluster"))
    }

    @Test func aDaemonWithoutTheKeyThatSealedItsCredentialsDoesNotStart() async throws {
        let daemon = try DaemonHarness(extraConfiguration: "knownHostsFile: \(testbed.knownHosts)\n")
        defer { daemon.shutdown() }
        try await defineCluster(daemon, work: "unused")
        let passwordFile = daemon.directory.file("bob-password")
        try testbed.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        #expect(try ProgramRunner.run(["/bin/chown", "tapis-bob", passwordFile]).status == 0)
        let added = try daemon.cli(["systems", "credential", "add", "cluster", "--password-file", passwordFile, "--skip-check"], as: "tapis-bob")
        #expect(added.status == 0, "\(added.stderr)")
        daemon.stop()
        let keys = try FileManager.default.subpathsOfDirectory(atPath: daemon.stateDirectory).filter { $0.hasSuffix("credential.key") }
        let keyPath = daemon.stateDirectory + "/" + (try #require(keys.first))
        let original = try #require(FileManager.default.contents(atPath: keyPath))
        try FileManager.default.removeItem(atPath: keyPath)
        #expect(throws: TestSetupError.self) { try daemon.start() }
        #expect(daemon.log.contains("is missing but users' credentials are stored"), "\(daemon.log.suffix(1000))")
        #expect(!FileManager.default.fileExists(atPath: keyPath), "no new key was made")
        try original.write(to: URL(fileURLWithPath: keyPath))
        try daemon.start()
        #expect(try daemon.cli(["systems", "credential", "check", "cluster"], as: "tapis-bob").status == 0, "the restored key opens bob's credential")
    }
}
