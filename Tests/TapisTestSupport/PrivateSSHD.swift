import Foundation

/// A second sshd with the test bed's keys and users but its own port, pid and known_hosts, for
/// tests that stop and restart the server (the shared one must stay up for other suites).
public final class PrivateSSHD: @unchecked Sendable {
    // Mutated only by the test that owns it, one call at a time.
    public let directory: TemporaryDirectory
    public let port: Int
    public let knownHosts: String
    private let config: String

    public init(testbed: SSHTestbed) throws {
        directory = try TemporaryDirectory("tapisd-sshd")
        port = try TestEnvironment.freePort()
        config = directory.file("sshd_config")
        knownHosts = directory.file("known_hosts")
        let shared = try String(contentsOfFile: testbed.directory + "/sshd_config", encoding: .utf8)
        let lines = shared.split(separator: "\n").map { line -> String in
            if line.hasPrefix("Port ") { return "Port \(port)" }
            if line.hasPrefix("PidFile ") { return "PidFile \(directory.file("sshd.pid"))" }
            return String(line)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        let hostKey = try String(contentsOfFile: testbed.directory + "/ssh_host_ed25519_key.pub", encoding: .utf8).split(separator: " ")
        try "[127.0.0.1]:\(port) \(hostKey[0]) \(hostKey[1])\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        try start()
    }

    /// Starts the server (it daemonizes) and waits for its pid file.
    public func start() throws {
        let result = try ProgramRunner.run(["/usr/sbin/sshd", "-f", config, "-E", directory.file("sshd.log")])
        guard result.status == 0 else { throw TestSetupError("sshd did not start: \(result.stderr)") }
        for _ in 0..<100 where masterPid == nil { usleep(20_000) }
        guard masterPid != nil else { throw TestSetupError("sshd wrote no pid file") }
    }

    /// Kills the server and every connection it serves (its children), by pid, as a crash would.
    public func kill() {
        guard let master = masterPid else { return }
        let children = (try? ProgramRunner.run(["/usr/bin/ps", "-o", "pid=", "--ppid", String(master)]).stdout) ?? ""
        for child in children.split(separator: "\n").compactMap({ Int32($0.trimmingCharacters(in: .whitespaces)) }) {
            Foundation.kill(child, SIGKILL)
        }
        Foundation.kill(master, SIGKILL)
        try? FileManager.default.removeItem(atPath: directory.file("sshd.pid"))
    }

    public func shutdown() {
        kill()
        directory.remove()
    }

    private var masterPid: Int32? {
        (try? String(contentsOfFile: directory.file("sshd.pid"), encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
