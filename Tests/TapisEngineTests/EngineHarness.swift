import Foundation
import Logging
import ServiceLifecycle
import TapisAPI
import TapisCore
import TapisDaemon
import TapisEngine
import TapisScheduling
import TapisStore
import TapisTestSupport
import TapisTransport

/// The daemon's own components (`DaemonComponents`, the same wiring as `tapisd`) on a temporary
/// state directory and a real SQLite store, with the scripted scheduler and recording transports
/// in place of Slurm, the local process scheduler and SSH. Its system `cluster` (this host) sends
/// FORK and BATCH jobs to the scripted scheduler; its app `sleeper` (version 1) runs there.
final class EngineHarness: Sendable {
    let directory: TemporaryDirectory
    let scheduler = ScriptedScheduler()
    let recorder = TransportRecorder()
    let components: DaemonComponents
    let user: Caller
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    /// - Parameters:
    ///   - app: changes to the app's JSON object.
    ///   - adjust: changes to the engine's settings (fast by default: a 20 ms tick, 100 ms polls).
    init(app: (inout [String: Any]) -> Void = { _ in }, adjust: @escaping (inout EngineContext) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory("tapisd-engine")
        let root = directory.path
        for folder in ["systems.d", "apps.d", "app"] { try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true) }
        try "#!/bin/sh\necho hello\n".write(toFile: "\(root)/app/tapisjob_app.sh", atomically: true, encoding: .utf8)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-czf", "\(root)/app.tgz", "-C", "\(root)/app", "tapisjob_app.sh"]
        try tar.run()
        tar.waitUntilExit()
        let system: [String: Any] = [
            "id": "cluster", "host": "localhost", "canExec": true, "canRunBatch": false, "batchScheduler": "SLURM", "forkScheduler": "slurm",
            "rootDir": "/", "jobWorkingDir": "\(root)/work/${apiUserId}", "jobRuntimes": [["runtimeType": "ZIP"]],
        ]
        var appJSON: [String: Any] = [
            "id": "sleeper", "version": "1", "jobType": "FORK", "runtime": "ZIP", "containerImage": "\(root)/app.tgz",
            "jobAttributes": ["execSystemId": "cluster", "maxMinutes": 10],
        ]
        app(&appJSON)
        try JSONSerialization.data(withJSONObject: system).write(to: URL(fileURLWithPath: "\(root)/systems.d/cluster.json"))
        try JSONSerialization.data(withJSONObject: appJSON).write(to: URL(fileURLWithPath: "\(root)/apps.d/sleeper.json"))

        var configuration = DaemonConfiguration()
        configuration.stateDirectory = "\(root)/state"
        configuration.socketPath = "\(root)/tapisd.sock"
        configuration.systemsDirectory = "\(root)/systems.d"
        configuration.appsDirectory = "\(root)/apps.d"
        let scheduler = scheduler
        let recorder = recorder
        let me = UserAccount.withUID(geteuid())!
        user = Caller(uid: me.uid, name: me.name, isAdmin: false)
        let base = try LocalTransport(login: me.name)
        var logger = Logger(label: "engine-test")
        logger.logLevel = .critical
        components = try DaemonComponents(
            configuration, logger: logger, schedulers: [scheduler.dialect],
            transports: TransportFactory { _, login in RecordingTransport(login: login, base: base, scheduler: scheduler, recorder: recorder) }
        ) { context in
            context.tick = .milliseconds(20)
            context.pollInterval = .milliseconds(100)
            context.retryBackoff = RetryBackoff(first: .milliseconds(50), cap: .milliseconds(400))
            adjust(&context)
        }
        group = ServiceGroup(services: components.backgroundServices, logger: logger)
        running = Task { [group] in try await group.run() }
    }

    var store: JobStore { components.store }

    /// Submits a request (JSON) for `sleeper` as the test's user; returns the stored job.
    func submit(_ extra: [String: Any] = [:]) async throws -> Job {
        var request: [String: Any] = ["name": "test", "appId": "sleeper", "appVersion": "1"]
        request.merge(extra) { _, new in new }
        return try await components.api.submitter.submit(try JSONSerialization.data(withJSONObject: request), by: user).job
    }

    /// The job once `condition` holds for it.
    @discardableResult
    func wait(for uuid: JobUUID, timeout: Duration = .seconds(60), until condition: (Job) -> Bool) async throws -> Job {
        let deadline = ContinuousClock.now + timeout
        while true {
            let job = try await store.job(uuid)!
            if condition(job) { return job }
            guard .now < deadline else { throw TapisError(.internal, "job \(uuid) is still \(job.status.rawValue): \(job.lastMessage ?? "")") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The job once it is in `status`.
    @discardableResult
    func wait(for uuid: JobUUID, status: JobStatus, timeout: Duration = .seconds(60)) async throws -> Job {
        try await wait(for: uuid, timeout: timeout) { $0.status == status }
    }

    /// The statuses of the job's history, oldest first.
    func statuses(_ uuid: JobUUID) async throws -> [String] {
        try await store.history(uuid, limit: 1000).map(\.eventDetail)
    }

    /// Stops the engine as the daemon does (graceful shutdown) and removes the directory.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        directory.remove()
    }
}

/// A successful end as the scheduler reports it.
let success = RemoteState.ended(RemoteOutcome(succeeded: true, resultInfo: "0", message: "The app exited with status 0."))
