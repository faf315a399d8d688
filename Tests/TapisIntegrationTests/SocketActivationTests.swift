import Foundation
import Testing
import TapisCore
import TapisTestSupport

/// The API socket passed by systemd (`tapisd.socket`), here by `systemd-socket-activate`, which
/// binds it and passes it as systemd does; restarts with clients waiting are proven under a real
/// systemd in `SystemdServiceTests`.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SocketActivationTests {
    /// The socket a `/proc/<pid>/fd/<n>` link names (`socket:[inode]`), or nil.
    static func link(_ pid: String, _ descriptor: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)")
    }

    @Test func theDaemonServesThePassedSocketAndNoJobInheritsIt() async throws {
        let daemon = try DaemonHarness(socketActivated: true)
        defer { daemon.shutdown() }
        #expect(daemon.log.contains("socket.activated=true"), "\(daemon.log.suffix(2000))")
        let pid = String(daemon.pid)
        let passed = try #require(Self.link(pid, "3"))
        #expect(passed.hasPrefix("socket:"))
        let flags = try String(contentsOfFile: "/proc/\(pid)/fdinfo/3", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("flags:") }.flatMap { Int($0.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8) }
        #expect(flags.map { $0 & 0o2000000 != 0 } == true, "the passed socket is close-on-exec")

        try daemon.registerExampleApp()
        let uuid = try daemon.submitHello(env: ["SLEEP_SECONDS": "20"])
        let jobPid = try await daemon.remoteJobId(uuid)
        try await daemon.waitFor(uuid, status: .running)
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(jobPid)/fd")
        #expect(!descriptors.isEmpty && !descriptors.contains { Self.link(jobPid, $0) == passed }, "the job's process does not hold the API socket")
        #expect(try daemon.cli(["jobs", "cancel", uuid]).status == 0)
        try await daemon.waitFor(uuid, status: .cancelled)
    }

    @Test func aSocketForAnotherPathIsRefusedNamingBoth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let passed = directory.file("passed.sock")
        let process = Process()
        // In a child of a shell: see DaemonHarness.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "/usr/bin/systemd-socket-activate --listen=\"$0\" \"$@\"; exit $?", passed, try TestEnvironment.binary("tapisd"), "--socket", directory.file("configured.sock"),
            "--state-dir", directory.file("state"), "--systems", directory.file("systems.d"), "--apps", directory.file("apps.d"),
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: passed) { usleep(50_000) }
        _ = try? ProgramRunner.run(["/usr/bin/curl", "-s", "--max-time", "10", "--unix-socket", passed, "http://localhost/v3/jobs/healthcheck"])
        process.waitUntilExit()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(log.contains("systemd passed a socket bound to \"\(passed)\"") && log.contains("configured.sock"), "\(log)")
    }
}
