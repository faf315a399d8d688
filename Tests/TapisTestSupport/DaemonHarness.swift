import Foundation
import TapisClient

/// A real `tapisd` process on a temporary socket and state dir, with the example app built and
/// registered. Stopped by its pid; its log is kept for failure messages.
public final class DaemonHarness: @unchecked Sendable {
    // Mutated only by the test that owns the harness, one call at a time.
    public let directory: TemporaryDirectory
    public let socketPath: String
    public let stateDirectory: String
    /// The example app's definition (archive path filled in).
    public let appDefinition: String
    private var process: Process?
    private let pollInterval: Int
    private let appsDirectory: String?
    private let systemsDirectory: String?
    private let extraConfiguration: String
    /// Whether the socket is bound by `systemd-socket-activate` and passed to the daemon, as
    /// `tapisd.socket` does.
    private let socketActivated: Bool

    /// Builds the example app and starts the daemon (with admin app definitions from
    /// `systemsDirectory`, `appsDirectory`, its state in `stateDirectory`, and more config file
    /// lines, when given).
    public init(
        pollIntervalSeconds: Int = 1, systemsDirectory: String? = nil, appsDirectory: String? = nil, stateDirectory: String? = nil,
        extraConfiguration: String = "", socketActivated: Bool = false
    ) throws {
        directory = try TemporaryDirectory()
        socketPath = directory.file("tapisd.sock")
        self.stateDirectory = stateDirectory ?? directory.file("state")
        pollInterval = pollIntervalSeconds
        self.appsDirectory = appsDirectory
        self.systemsDirectory = systemsDirectory
        self.extraConfiguration = extraConfiguration
        self.socketActivated = socketActivated
        let build = try ProgramRunner.run([TestEnvironment.repositoryRoot + "/etc/apps/hello/build.sh", directory.file("apps")])
        guard build.status == 0 else { throw TestSetupError("building the example app failed: \(build.stderr)") }
        appDefinition = build.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try start()
    }

    /// The client, as the user running the tests.
    public var client: TapisClient { TapisClient(socketPath: socketPath) }

    /// The daemon's pid (with `socketActivated`, the child of its shell).
    public var pid: Int32 {
        guard let process else { return 0 }
        let shell = process.processIdentifier
        guard socketActivated else { return shell }
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { Int32($0) } ?? 0
    }

    /// Starts the daemon and waits until it answers.
    public func start() throws {
        let config = directory.file("tapisd.yaml")
        try "pollIntervalSeconds: \(pollInterval)\nleaseSeconds: 30\nlogLevel: debug\n\(extraConfiguration)".write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        let daemon = [
            try TestEnvironment.binary("tapisd"), "--config", config, "--socket", socketPath, "--state-dir", stateDirectory,
            "--systems", systemsDirectory ?? directory.file("systems.d"), "--apps", appsDirectory ?? directory.file("apps.d"),
        ]
        // systemd-socket-activate binds the socket and execs the daemon at the first connection, on
        // fd 3: in a child of a shell, since Foundation watches each process it starts through a
        // descriptor that the socket would replace.
        let activated = ["/bin/sh", "-c", "/usr/bin/systemd-socket-activate --listen=\"$0\" \"$@\"; exit $?", socketPath]
        let command = socketActivated ? activated + daemon : daemon
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: socketPath), (try? cli(["apps", "list"]).status) == 0 { return }
            guard process.isRunning else { throw TestSetupError("tapisd exited at start:\n\(self.log)") }
            usleep(50_000)
        }
        throw TestSetupError("tapisd did not answer within 10 s:\n\(self.log)")
    }

    /// Stops the daemon gracefully (SIGTERM) and waits for it.
    public func stop() {
        guard let process, process.isRunning else { return }
        kill(pid, SIGTERM)
        process.waitUntilExit()
    }

    /// Kills the daemon with SIGKILL, as a crash would.
    public func crash() {
        guard let process, process.isRunning else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the daemon and removes its files.
    public func shutdown() {
        stop()
        directory.remove()
    }

    public var logPath: String { directory.file("tapisd.log") }

    /// What the daemon logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs the `tapis` CLI against this daemon, as `user` when given.
    public func cli(_ arguments: [String], as user: String? = nil, input: Data? = nil) throws -> ProgramRunner.Result {
        try ProgramRunner.run([try TestEnvironment.binary("tapis")] + arguments + ["--socket", socketPath], as: user, input: input)
    }

    /// `cli`, for a command that runs until a job ends (`jobs wait`, `jobs watch`): on a thread of its own.
    public func following(_ arguments: [String], as user: String? = nil) async throws -> ProgramRunner.Result {
        try await ProgramRunner.running([try TestEnvironment.binary("tapis")] + arguments + ["--socket", socketPath], as: user)
    }
}
