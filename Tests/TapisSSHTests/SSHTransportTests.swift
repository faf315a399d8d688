import Foundation
import Logging
import Testing
import TapisCore
import TapisSSH
import TapisTestSupport
import TapisTransport

/// `SSHTransport` against the real sshd of the test bed.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SSHTransportTests {
    let testbed: SSHTestbed
    let pool: SSHConnectionPool
    let alice: SSHTransport
    let scratch: String

    init() throws {
        testbed = try SSHTestbed.running()
        pool = SSHConnectionPool(logger: Logger(label: "test"))
        alice = SSHTransport(
            endpoint: SSHEndpoint(host: "127.0.0.1", port: testbed.port, login: "tapis-alice"),
            credential: .keyFile(path: testbed.key("alice_ed25519"), passphrase: nil), hostKeys: .knownHosts(path: testbed.knownHosts), pool: pool)
        scratch = "/home/tapis-alice/ssh-test-\(UUID().uuidString.prefix(8))"
    }

    @Test func commandsRoundTrip() async throws {
        let result = try await alice.run("id -un; echo oops >&2; tr a-z A-Z; exit 3", input: Array("quiet".utf8), timeout: .seconds(30))
        #expect(result.output == "tapis-alice\nQUIET")
        #expect(result.errorText == "oops")
        #expect(result.status == 3)
        let hostile = ["$(id)", "a'b\"c", "new\nline", "ünï ✓", "; rm -rf /"]
        let echoed = try await alice.run("printf '%s\\0' " + hostile.map(Shell.quote).joined(separator: " "), input: nil, timeout: .seconds(30))
        #expect(echoed.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } == hostile)
        let big = try await alice.run("head -c 5000000 /dev/urandom | base64 -w 0", input: nil, timeout: .seconds(60))
        #expect(big.stdout.count == 6_666_668)
        var streamed = 0
        try await alice.stream("head -c 3000000 /dev/zero") { streamed += $0.count }
        #expect(streamed == 3_000_000)
    }

    @Test func aCommandPastItsTimeoutIsStopped() async throws {
        let start = ContinuousClock.now
        let error = await #expect(throws: TapisError.self) { try await alice.run("sleep 20", input: nil, timeout: .seconds(1)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("timed out") == true)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(try await alice.run("echo still usable", input: nil, timeout: .seconds(10)).output == "still usable\n")
    }

    @Test(arguments: [0, 1, 10 << 20])
    func filesRoundTripOverSFTP(size: Int) async throws {
        let local = try TemporaryDirectory("tapisd-sftp")
        defer { local.remove() }
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        try Data(bytes).write(to: URL(fileURLWithPath: local.file("in")))
        try await alice.makeDirectories(scratch + "/deep/er")
        try await alice.upload(from: local.file("in"), to: scratch + "/deep/er/file.bin")
        #expect(try await alice.stat(scratch + "/deep/er/file.bin")?.size == Int64(size))
        #expect(try await alice.list(scratch + "/deep/er", recursive: false).map(\.name) == ["file.bin"], "no temporary file is left behind")
        try await alice.download(scratch + "/deep/er/file.bin", to: local.file("out"))
        #expect(FileManager.default.contents(atPath: local.file("out")) == Data(bytes))
        try await alice.remove(scratch)
        #expect(try await alice.stat(scratch) == nil)
    }

    @Test func treesWithHostileNamesRoundTrip() async throws {
        let local = try TemporaryDirectory("tapisd-tree")
        defer { local.remove() }
        let names = ["with space.txt", "quote's\".txt", "new\nline.txt", "ünïcødé ✓.txt", "$(id).txt"]
        try FileManager.default.createDirectory(atPath: local.file("tree/sub dir"), withIntermediateDirectories: true)
        for index in 0..<1000 { try "file \(index)\n".write(toFile: local.file("tree/sub dir/f\(index)"), atomically: false, encoding: .utf8) }
        for name in names { try name.write(toFile: local.file("tree/" + name), atomically: false, encoding: .utf8) }
        try await alice.upload(from: local.file("tree"), to: scratch + "/tree")
        let listed = try await alice.list(scratch + "/tree", recursive: true)
        #expect(listed.filter { $0.type == "file" }.count == 1005)
        #expect(Set(try await alice.list(scratch + "/tree", recursive: false).map(\.name)) == Set(names + ["sub dir"]))
        try await alice.download(scratch + "/tree", to: local.file("back"))
        for name in names { #expect(try String(contentsOfFile: local.file("back/" + name), encoding: .utf8) == name) }
        #expect(try String(contentsOfFile: local.file("back/sub dir/f999"), encoding: .utf8) == "file 999\n")
        try await alice.rename(scratch + "/tree/with space.txt", to: scratch + "/tree/$(id).txt")
        #expect(try await alice.run("cat " + Shell.quote(scratch + "/tree/$(id).txt"), input: nil, timeout: .seconds(10)).output == "with space.txt")
        try await alice.chmod(scratch + "/tree/$(id).txt", mode: 0o600)
        #expect(try await alice.stat(scratch + "/tree/$(id).txt")?.nativePermissions == "600")
        try await alice.remove(scratch)
    }

    @Test func missingFilesAreNamed() async throws {
        let error = await #expect(throws: TapisError.self) { try await alice.download("/no/such/file", to: "/tmp/never") }
        #expect(error?.message.contains("/no/such/file does not exist on tapis-alice@127.0.0.1") == true)
        let denied = await #expect(throws: TapisError.self) { try await alice.makeDirectories("/root/forbidden/x") }
        #expect(denied?.message.contains("/root/forbidden") == true)
    }

    @Test func aFullRemoteDiskIsAClearErrorAndLeavesNothingBehind() async throws {
        let local = try TemporaryDirectory("tapisd-full")
        defer { local.remove() }
        try Data(count: 2 << 20).write(to: URL(fileURLWithPath: local.file("big.bin")))
        let target = testbed.directory + "/full/big-\(UUID().uuidString.prefix(8)).bin"
        let error = await #expect(throws: TapisError.self) { try await alice.upload(from: local.file("big.bin"), to: target) }
        #expect(error?.code == .remoteFailure)
        #expect(error?.message.contains(target + ".tapisd-tmp") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("full disk") == true)
        #expect(try await alice.stat(target) == nil, "nothing under the final name")
        #expect(try await alice.stat(target + ".tapisd-tmp") == nil, "and no temporary left")
        #expect(try await alice.run("echo fine", input: nil, timeout: .seconds(10)).output == "fine\n", "the connection survives")
    }

    @Test func fiftyConcurrentCommandsShareOneConnection() async throws {
        let before = try testbed.establishedConnections(from: getpid())
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<50 { group.addTask { try await alice.run("sleep 0.2; echo \(index)", input: nil, timeout: .seconds(60)).output } }
            var outputs: Set<String> = []
            for try await output in group { outputs.insert(output) }
            #expect(outputs.count == 50)
            #expect(try testbed.establishedConnections(from: getpid()) - before == 1, "one TCP connection for all 50")
        }
        #expect(await pool.opened.values.reduce(0, +) == 1)
    }
}
