import Foundation
import Logging
import Testing
import TapisCore
import TapisSSH
import TapisTestSupport
import TapisTransport

/// Logins and host keys against the real sshd of the test bed.
@Suite(.timeLimit(.minutes(2))) struct SSHAuthenticationTests {
    let testbed: SSHTestbed

    init() throws { testbed = try SSHTestbed.running() }

    func transport(_ login: String, _ credential: SSHCredential, hostKeys: HostKeyPolicy? = nil, port: Int? = nil) -> SSHTransport {
        SSHTransport(
            endpoint: SSHEndpoint(host: "127.0.0.1", port: port ?? testbed.port, login: login), credential: credential,
            hostKeys: hostKeys ?? .knownHosts(path: testbed.knownHosts), pool: SSHConnectionPool(logger: Logger(label: "test")))
    }

    func whoami(_ transport: SSHTransport) async throws -> String {
        try await transport.run("id -un", input: nil, timeout: .seconds(20)).output
    }

    @Test func keysAndPasswordsThatShouldWork() async throws {
        #expect(try await whoami(transport("tapis-alice", .keyFile(path: testbed.key("alice_rsa"), passphrase: nil))) == "tapis-alice\n")
        #expect(try await whoami(transport("tapis-alice", .keyFile(path: testbed.key("alice_protected"), passphrase: "open sesame"))) == "tapis-alice\n")
        let text = try String(contentsOfFile: testbed.key("alice_ed25519"), encoding: .utf8)
        #expect(try await whoami(transport("tapis-alice", .key(privateKey: text, passphrase: nil))) == "tapis-alice\n")
        #expect(try await whoami(transport("tapis-bob", .password(testbed.password))) == "tapis-bob\n")
    }

    @Test func wrongCredentialsAreRefusedClearly() async throws {
        for (login, credential) in [
            ("tapis-alice", SSHCredential.keyFile(path: testbed.key("stranger"), passphrase: nil)),
            ("tapis-bob", .password("wrong")),
            ("tapis-alice", .keyFile(path: testbed.key("alice_protected"), passphrase: "wrong")),
        ] {
            let error = await #expect(throws: TapisError.self) { try await whoami(transport(login, credential)) }
            #expect(error?.code == .remoteFailure)
            #expect(error?.message.contains("logging in as \(login)") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("wrong") == false, "the secret never appears in a message")
        }
        let missing = await #expect(throws: TapisError.self) { try await whoami(transport("tapis-alice", .keyFile(path: "/nonexistent/key", passphrase: nil))) }
        #expect(missing?.message.contains("/nonexistent/key does not exist") == true)
    }

    @Test func unknownAndChangedHostKeysAreRefusedWithTheirFingerprint() async throws {
        let fingerprint = try ProgramRunner.run(["/usr/bin/ssh-keygen", "-lf", testbed.directory + "/ssh_host_ed25519_key.pub"])
            .stdout.split(separator: " ")[1]
        let directory = try TemporaryDirectory("tapisd-hostkeys")
        defer { directory.remove() }
        try "".write(toFile: directory.file("empty"), atomically: true, encoding: .utf8)
        let unknown = await #expect(throws: TapisError.self) {
            try await whoami(transport("tapis-alice", .keyFile(path: testbed.key("alice_ed25519"), passphrase: nil), hostKeys: .knownHosts(path: directory.file("empty"))))
        }
        #expect(unknown?.message.contains("is not in \(directory.file("empty"))") == true)
        #expect(unknown?.message.contains(String(fingerprint)) == true)
        #expect(unknown?.message.contains("ssh-keyscan -p \(testbed.port) 127.0.0.1") == true)

        let stranger = try String(contentsOfFile: testbed.key("stranger") + ".pub", encoding: .utf8).split(separator: " ")
        try "[127.0.0.1]:\(testbed.port) \(stranger[0]) \(stranger[1])\n".write(toFile: directory.file("changed"), atomically: true, encoding: .utf8)
        let changed = await #expect(throws: TapisError.self) {
            try await whoami(transport("tapis-alice", .keyFile(path: testbed.key("alice_ed25519"), passphrase: nil), hostKeys: .knownHosts(path: directory.file("changed"))))
        }
        #expect(changed?.message.contains("has CHANGED") == true)
        #expect(changed?.message.contains(String(fingerprint)) == true)

        #expect(try await whoami(transport("tapis-alice", .keyFile(path: testbed.key("alice_ed25519"), passphrase: nil), hostKeys: .fingerprint(String(fingerprint)))) == "tapis-alice\n")
        let wrong = await #expect(throws: TapisError.self) {
            try await whoami(transport("tapis-alice", .keyFile(path: testbed.key("alice_ed25519"), passphrase: nil), hostKeys: .fingerprint("SHA256:AAAA")))
        }
        #expect(wrong?.message.contains("not the SHA256:AAAA") == true)
    }

    @Test func aClosedPortFailsFastAndOpensTheBreaker() async throws {
        let closed = transport("tapis-alice", .password("x"), port: 1)
        for _ in 0..<3 {
            let error = await #expect(throws: TapisError.self) { try await whoami(closed) }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("cannot connect to 127.0.0.1 port 1") == true)
        }
        let start = ContinuousClock.now
        let fast = await #expect(throws: TapisError.self) { try await whoami(closed) }
        #expect(fast?.message.contains("is refusing connections") == true)
        #expect(ContinuousClock.now - start < .milliseconds(100))
    }

    @Test func aConnectionIsNeverSharedWithDifferentCredentials() async throws {
        let pool = SSHConnectionPool(logger: Logger(label: "test"))
        let endpoint = SSHEndpoint(host: "127.0.0.1", port: testbed.port, login: "tapis-alice")
        let good = SSHTransport(endpoint: endpoint, credential: .keyFile(path: testbed.key("alice_ed25519"), passphrase: nil), hostKeys: .knownHosts(path: testbed.knownHosts), pool: pool)
        let bad = SSHTransport(endpoint: endpoint, credential: .keyFile(path: testbed.key("stranger"), passphrase: nil), hostKeys: .knownHosts(path: testbed.knownHosts), pool: pool)
        #expect(try await whoami(good) == "tapis-alice\n")
        let error = await #expect(throws: TapisError.self) { try await whoami(bad) }
        #expect(error?.message.contains("logging in as tapis-alice") == true, "the stranger's key gets its own login attempt, which fails")
        #expect(try await whoami(good) == "tapis-alice\n")
        #expect(await pool.opened[endpoint] == 1, "the good connection is still the one")
    }
}
