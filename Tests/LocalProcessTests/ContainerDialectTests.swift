import Foundation
import Testing
import Container
import TapisCore
import TapisScheduling
import TapisTestSupport
import TapisTransport

/// The container scheduler on output captured from Podman 4.3 on this kind of machine, and its
/// commands run by a real shell against the real rootful Podman.
@Suite struct ContainerDialectTests {
    let dialect = ContainerDialect()

    static func job(_ uuid: JobUUID = .random(), execDir: String = "/e", outputDir: String = "/o") -> RemoteJob {
        var job = RemoteJob(uuid: uuid, name: "n", remoteJobId: "tapis-" + uuid.rawValue, execDir: execDir, outputDir: outputDir, maxMinutes: 10)
        job.containerEngine = ContainerEngine(kind: .podman)
        return job
    }

    static func result(_ text: String, status: Int32 = 0, stderr: String = "") -> CommandResult {
        CommandResult(status: status, stdout: Array(text.utf8), stderr: Array(stderr.utf8))
    }

    @Test func oneListingWatchesEveryContainerOfTheLogin() {
        let command = dialect.statusCommand(for: [Self.job(), Self.job()])
        #expect(command == "podman ps -a --no-trunc --filter name=tapis- --format '{{.Names}}|{{.Status}}'")
    }

    @Test func parsesCapturedPodmanStatus() throws {
        let running = Self.job()
        let ended = Self.job()
        let waiting = Self.job()
        // `podman ps -a --no-trunc --filter name=tapis- --format '{{.Names}}|{{.Status}}'`, with another
        // user's job-like name that is not asked about and rootless Podman's warning on stderr.
        let captured = """
            \(running.remoteJobId!)|Up 3 seconds ago
            \(ended.remoteJobId!)|Exited (5) 1 second ago
            \(waiting.remoteJobId!)|Created
            tapis-00000000-0000-0000-0000-000000000000-007|Up 2 hours ago

            """
        let states = try dialect.parseStatus(
            Self.result(captured, stderr: "level=warning msg=\"\\\"/\\\" is not a shared mount\""), for: [running, ended, waiting])
        #expect(states == [
            running.remoteJobId!: .running(raw: "Up 3 seconds ago"), ended.remoteJobId!: .finishing(raw: "Exited (5) 1 second ago"),
            waiting.remoteJobId!: .queued(raw: "Created"),
        ])
        #expect(throws: TapisError.self) { try dialect.parseStatus(Self.result("", status: 125, stderr: "Error: boom"), for: [running]) }
    }

    @Test func finalOutcomesComeFromTheKeptExitCode() throws {
        let ok = Self.job(), failed = Self.job(), removed = Self.job(), pending = Self.job()
        let captured = "\(ok.remoteJobId!) 0\n\(failed.remoteJobId!) 7\n\(removed.remoteJobId!) missing\n\(pending.remoteJobId!) missing\n"
        let outcomes = try dialect.parseFinal(Self.result(captured), for: [ok, failed, removed, pending], lastSeen: [pending.remoteJobId!: "Exited (0)"])
        #expect(outcomes[ok.remoteJobId!]?.succeeded == true)
        #expect(outcomes[failed.remoteJobId!]?.resultInfo == "7" && outcomes[failed.remoteJobId!]?.succeeded == false)
        #expect(outcomes[removed.remoteJobId!]?.message.contains("removed outside tapisd") == true)
        #expect(outcomes[pending.remoteJobId!] == nil, "an exited container whose code is not kept yet is asked again")
    }

    @Test func submitFindsTheRunningContainerAndCancelRemovesItInTheRealEngine() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/podman") else {
            throw TestSetupError("podman is missing: run scripts/setup.sh")
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var job = Self.job(execDir: directory.path, outputDir: directory.path)
        job.containerEngine = ContainerEngine(kind: .podman, runOptions: ["--network=none", "--ulimit=nofile=1024:1024", "--ulimit=nproc=1024:1024"])
        let name = job.remoteJobId!
        let script = """
            #!/bin/sh
            podman run -d --name \(name) --network=none --ulimit=nofile=1024:1024 --ulimit=nproc=1024:1024 localhost/tapisd-test:1 sleep 300 > /dev/null || exit 1
            echo \(name)
            """
        try script.write(toFile: directory.file(LaunchFiles.script), atomically: true, encoding: .utf8)
        chmod(directory.file(LaunchFiles.script), 0o755)
        let transport = try LocalTransport(login: "root")
        var remote = job
        remote.remoteJobId = nil
        #expect(try dialect.parseLookup(try await transport.run(dialect.lookupCommand(for: remote), input: nil, timeout: .seconds(60))) == nil)
        let first = try dialect.parseSubmission(try await transport.run(dialect.submitCommand(for: remote), input: nil, timeout: .seconds(60)), for: remote)
        let again = try dialect.parseSubmission(try await transport.run(dialect.submitCommand(for: remote), input: nil, timeout: .seconds(60)), for: remote)
        #expect(first == name && again == name, "a second submit finds the running container (running the script again would fail: the name is taken)")
        #expect(try dialect.parseLookup(try await transport.run(dialect.lookupCommand(for: remote), input: nil, timeout: .seconds(60))) == name)
        let states = try dialect.parseStatus(try await transport.run(dialect.statusCommand(for: [job]), input: nil, timeout: .seconds(60)), for: [job])
        guard case .running = states[name] else { Issue.record("not running: \(states)"); return }
        try await transport.check(dialect.cancelCommand(for: job), timeout: .seconds(60), what: "cancel")
        let after = try await transport.run("podman ps -a --filter name=\(name) --format '{{.Names}}'", input: nil, timeout: .seconds(60))
        #expect(after.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no container after cancel: \(after.output)")
    }
}
