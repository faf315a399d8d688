import Foundation
import Synchronization
import Testing
import TapisCore
import TapisEngine
import TapisStore
import TapisTestSupport
import TapisTransport

/// Users' credentials sealed in a real store: never in clear in the database file, bound to their
/// row, refused without their key, and the one rule of which credential a job's transport uses.
@Suite struct CredentialVaultTests {
    static let privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAQUJDRA-secret-material\n-----END OPENSSH PRIVATE KEY-----\n"
    static let credential = UserCredential(loginUser: "alice_hpc", privateKey: privateKey, publicKey: "ssh-ed25519 AAAAC3Nza alice@laptop")

    @Test func aCredentialIsSealedAtRestAndGoneWhenRemoved() async throws {
        let directory = try TemporaryDirectory("tapisd-vault")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        let vault = CredentialVault(store: store, keyPath: directory.file("credential.key"))
        try await vault.save(Self.credential, system: "cluster", user: "alice")
        try await vault.save(UserCredential(password: "bobs-Pa55word"), system: "cluster", user: "bob")
        #expect(try await vault.credential(system: "cluster", user: "alice") == Self.credential)
        #expect(try await vault.loginUser(system: "cluster", user: "alice") == "alice_hpc")
        #expect(try await vault.credential(system: "cluster", user: "carol") == nil)
        // Byte for byte, in the database and its write-ahead log: no secret in clear.
        func stored() -> Data {
            ["jobs.sqlite", "jobs.sqlite-wal"].reduce(into: Data()) { data, name in
                data += FileManager.default.contents(atPath: directory.file(name)) ?? Data()
            }
        }
        for secret in ["secret-material", "bobs-Pa55word", "BEGIN OPENSSH PRIVATE KEY"] {
            #expect(stored().range(of: Data(secret.utf8)) == nil, "\(secret) is not stored in clear")
        }
        #expect(try await vault.remove(system: "cluster", user: "bob"))
        #expect(try await !vault.remove(system: "cluster", user: "bob"))
        #expect(try await vault.credential(system: "cluster", user: "bob") == nil)
    }

    @Test func aMissingOrWrongKeyIsRefusedNeverReplaced() async throws {
        let directory = try TemporaryDirectory("tapisd-vault")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        let keyPath = directory.file("credential.key")
        try await CredentialVault(store: store, keyPath: keyPath).save(Self.credential, system: "cluster", user: "alice")
        let original = try #require(FileManager.default.contents(atPath: keyPath))
        try FileManager.default.removeItem(atPath: keyPath)
        await #expect(throws: TapisError.self) { try await CredentialVault(store: store, keyPath: keyPath).unlock() }
        #expect(!FileManager.default.fileExists(atPath: keyPath), "no new key was made over the stored secrets")
        try PrivateFile.write(Data(repeating: 7, count: 32), to: keyPath)
        let wrong = await #expect(throws: TapisError.self) { try await CredentialVault(store: store, keyPath: keyPath).unlock() }
        #expect(wrong?.message.contains("is not the key that sealed") == true)
        try PrivateFile.write(original, to: keyPath)
        #expect(try await CredentialVault(store: store, keyPath: keyPath).credential(system: "cluster", user: "alice") == Self.credential)
    }

    @Test func aJobUsesItsOwnersCredentialAndNoOneElses() async throws {
        let directory = try TemporaryDirectory("tapisd-vault")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        let vault = CredentialVault(store: store, keyPath: directory.file("credential.key"))
        try await vault.save(Self.credential, system: "cluster", user: "alice")
        try await vault.save(UserCredential(password: "service-pw"), system: "static", user: "svc")
        let made = Made()
        let factory = TransportFactory(credentials: vault) { system, login in
            made.append(login, system.authnCredential)
            return try LocalTransport(login: UserAccount.withUID(geteuid())!.name)
        }
        var cluster = TapisSystem(id: "cluster")
        cluster.host = "hpc.example.org"
        cluster.defaultAuthnMethod = "PKI_KEYS"
        cluster.effectiveUserId = "${apiUserId}"
        _ = try await factory.transport(for: cluster, owner: "alice")
        #expect(made.last?.login == "alice_hpc" && made.last?.credential?.privateKey == Self.privateKey, "alice logs in as her loginUser with her key")
        let refused = await #expect(throws: TapisError.self) { try await factory.transport(for: cluster, owner: "bob") }
        #expect(refused?.message.contains("bob has no credential for system cluster") == true && refused?.message.contains("/v3/systems/credential/cluster/user/bob") == true)
        var fixed = cluster
        fixed.id = "static"
        fixed.effectiveUserId = "svc"
        _ = try await factory.transport(for: fixed, owner: "bob")
        #expect(made.last?.login == "svc" && made.last?.credential?.password == "service-pw", "a static login uses the credential stored for that login")
        // On a user's own system, a static login's credential and the definition's are that user's:
        // someone the system is shared with never logs in with them.
        fixed.owner = "alice"
        fixed.sharedWithUsers = ["bob"]
        await #expect(throws: TapisError.self) { try await factory.transport(for: fixed, owner: "bob") }
        _ = try await factory.transport(for: fixed, owner: "alice")
        #expect(made.last?.login == "svc")
        var keyed = cluster
        keyed.id = "keyed"
        keyed.owner = "alice"
        keyed.authnCredential = .init(privateKey: Self.privateKey)
        await #expect(throws: TapisError.self) { try await factory.transport(for: keyed, owner: "bob") }
        _ = try await factory.transport(for: keyed, owner: "alice")
        #expect(made.last?.login == "alice" && made.last?.credential?.privateKey == Self.privateKey, "the definition's key serves its owner")
    }

    @Test func aGeneratedKeyIsOneOpenSSHReadsAsItsPublicHalf() throws {
        let directory = try TemporaryDirectory("tapisd-vault")
        let pair = SSHKeyPair(comment: "tapisd:cluster:alice")
        try PrivateFile.write(Data(pair.privateKey.utf8), to: directory.file("id"))
        let derived = try ProgramRunner.run(["/usr/bin/ssh-keygen", "-y", "-f", directory.file("id")])
        #expect(derived.status == 0, "\(derived.stderr)")
        #expect(derived.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == pair.publicKey)
        #expect(throws: Never.self) { try UserCredential(privateKey: pair.privateKey, publicKey: pair.publicKey).validate() }
        #expect(SSHKeyPair(comment: "x").privateKey != pair.privateKey)
        let other = SSHKeyPair(comment: "someone else")
        #expect(throws: TapisError.invalid("publicKey", "does not match privateKey (it is another key's public half)")) {
            try UserCredential(privateKey: pair.privateKey, publicKey: other.publicKey).validate()
        }
    }

    /// What the factory was asked to make.
    final class Made: Sendable {
        private let calls = Mutex<[(login: String, credential: TapisSystem.AuthnCredential?)]>([])
        func append(_ login: String, _ credential: TapisSystem.AuthnCredential?) { calls.withLock { $0.append((login, credential)) } }
        var last: (login: String, credential: TapisSystem.AuthnCredential?)? { calls.withLock { $0.last } }
    }
}
