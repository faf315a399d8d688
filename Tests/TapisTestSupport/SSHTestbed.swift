import Foundation

/// The private sshd that `scripts/testbed.sh start` runs, as the tests reach it.
public struct SSHTestbed: Sendable {
    public let directory: String
    public let port: Int
    public let knownHosts: String
    public let password: String

    /// The running test bed.
    /// - Throws: `TestSetupError` with the command that starts it (tests never skip for lack of it).
    public static func running() throws -> SSHTestbed {
        let directory = TestEnvironment.testbedDirectory
        guard let values = TestEnvironment.testbedValues("env") else {
            throw TestSetupError("the SSH test bed is not running: start it with scripts/testbed.sh start (scripts/test.sh does)")
        }
        guard let port = values["TAPISD_TESTBED_SSH_PORT"].flatMap(Int.init), let knownHosts = values["TAPISD_TESTBED_KNOWN_HOSTS"],
            let pid = try? String(contentsOfFile: directory + "/sshd.pid", encoding: .utf8), kill(Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 0) == 0
        else { throw TestSetupError("the SSH test bed in \(directory) is stopped: scripts/testbed.sh start") }
        return SSHTestbed(directory: directory, port: port, knownHosts: knownHosts, password: values["TAPISD_TESTBED_PASSWORD"] ?? "")
    }

    /// A private key of the test bed's (alice_ed25519, alice_rsa, alice_protected, stranger).
    public func key(_ name: String) -> String { directory + "/keys/" + name }

    /// How many TCP connections process `pid` has open to the sshd right now (other tests, run in
    /// parallel, open their own).
    public func establishedConnections(from pid: Int32) throws -> Int {
        let result = try ProgramRunner.run(["/usr/bin/ss", "-Htnp", "state", "established", "( dport = :\(port) )"])
        return result.stdout.split(separator: "\n").filter { $0.contains("pid=\(pid),") }.count
    }
}
