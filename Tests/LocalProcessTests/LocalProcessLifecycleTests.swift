import Foundation
import Testing
import LocalProcess
import TapisCore
import TapisScheduling
import TapisTestSupport
import TapisTransport

/// The local-process scheduler driving real processes through `LocalTransport`.
@Suite(.timeLimit(.minutes(1))) struct LocalProcessLifecycleTests {
    let directory: TemporaryDirectory
    let transport: LocalTransport
    let adapter = CommandLineScheduler(dialect: LocalProcessDialect(cancelGraceSeconds: 1), system: "local", metrics: SchedulerMetrics())

    init() throws {
        directory = try TemporaryDirectory("tapisd-fork")
        transport = try LocalTransport(login: String(cString: getpwuid(geteuid()).pointee.pw_name))
    }

    /// A job whose wrapper runs `body` and records its exit code the way tapisjob.sh does.
    func job(_ name: String, body: String) async throws -> RemoteJob {
        let execDir = directory.file(name)
        var job = RemoteJob(uuid: .random(), name: name, remoteJobId: nil, execDir: execDir, outputDir: execDir + "/output", maxMinutes: 1)
        try await transport.makeDirectory(job.outputDir)
        let script = "#!/bin/bash\n(\(body)) > \(Shell.quote(job.outputPath("tapisjob.out"))) 2>&1\nrc=$?\necho $rc > \(Shell.quote(job.outputPath("tapisjob.exitcode")))\nexit $rc\n"
        try await transport.write(Array(script.utf8), to: job.execPath("tapisjob.sh"), mode: "0700")
        job.remoteJobId = try await adapter.submit(job, over: transport)
        return job
    }

    func waitUntilEnded(_ job: RemoteJob) async throws -> RemoteOutcome {
        for _ in 0..<200 {
            if case .ended(let outcome) = try await adapter.status(of: [job], over: transport)[job.uuid] { return outcome }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("job \(job.name) did not end")
        throw CancellationError()
    }

    @Test func runsDetachedAndReportsItsExitCode() async throws {
        let ok = try await job("ok", body: "echo hi")
        let bad = try await job("bad", body: "exit 3")
        #expect(try await waitUntilEnded(ok).succeeded)
        let outcome = try await waitUntilEnded(bad)
        #expect(!outcome.succeeded && outcome.resultInfo == "3")
    }

    @Test func resubmittingFindsTheRunningCopy() async throws {
        let running = try await job("once", body: "sleep 20")
        #expect(try await adapter.submit(running, over: transport) == running.remoteJobId)
        #expect(try await adapter.lookup(running, over: transport) == running.remoteJobId)
        #expect(try await adapter.status(of: [running], over: transport)[running.uuid] == .running(raw: "Ss"))
        try await adapter.cancel(running, over: transport)
    }

    @Test func cancelKillsTheWholeProcessGroupAndIsIdempotent() async throws {
        let running = try await job("cancel", body: "sleep 30 & echo $! > \(Shell.quote(directory.file("child.pid"))); wait")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: directory.file("child.pid")) { try await Task.sleep(for: .milliseconds(20)) }
        let child = Int32(try String(contentsOfFile: directory.file("child.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
        try await adapter.cancel(running, over: transport)
        let outcome = try await waitUntilEnded(running)
        #expect(!outcome.succeeded)
        #expect(!ProcessState.isAlive(Int32(running.remoteJobId!)!), "the wrapper is gone")
        #expect(!ProcessState.isAlive(child), "its child is gone too")
        try await adapter.cancel(running, over: transport)
    }

    @Test func statusOfManyJobsIsOneBatch() async throws {
        let jobs = try await [job("a", body: "true"), job("b", body: "exit 2"), job("c", body: "sleep 5")]
        try await Task.sleep(for: .milliseconds(300))
        let states = try await adapter.status(of: jobs, over: transport)
        #expect(states[jobs[0].uuid] == .ended(RemoteOutcome(succeeded: true, resultInfo: "0", message: "The app exited with status 0.")))
        if case .ended(let outcome) = states[jobs[1].uuid] { #expect(outcome.resultInfo == "2") } else { Issue.record("b did not end") }
        #expect(states[jobs[2].uuid] == .running(raw: "Ss"))
        try await adapter.cancel(jobs[2], over: transport)
    }
}
