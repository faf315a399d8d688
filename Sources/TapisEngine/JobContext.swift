import TapisCore
import TapisScheduling
import TapisTransport

/// One job with everything needed to act on it: its systems, transports, scheduler and host paths.
struct JobContext: Sendable {
    var job: Job
    let execSystem: TapisSystem
    let archiveSystem: TapisSystem
    let exec: any Transport
    let archive: any Transport
    let scheduler: any SchedulerAdapter
    /// Where the scheduler's commands run: the exec transport, or the daemon's own on this host.
    let scheduling: any Transport
    /// The exec system's container engine, for a DOCKER job.
    let containerEngine: ContainerEngine?

    /// - Throws: `TapisError.conflict` when a system of the job no longer exists.
    init(job: Job, catalog: DefinitionCatalog, context: EngineContext) async throws {
        self.job = job
        guard let execSystem = try await catalog.system(job.execSystemId) else {
            throw TapisError(.conflict, "the job's exec system \(job.execSystemId) no longer exists")
        }
        guard let archiveSystem = try await catalog.system(job.archiveSystemId) else {
            throw TapisError(.conflict, "the job's archive system \(job.archiveSystemId) no longer exists")
        }
        self.execSystem = execSystem
        self.archiveSystem = archiveSystem
        exec = try await context.transports.transport(for: execSystem, owner: job.owner)
        archive = try await context.transports.transport(for: archiveSystem, owner: job.owner)
        scheduler = try context.schedulers.adapter(
            named: job.schedulerName ?? execSystem.schedulerName(forJobType: job.jobType, runtime: job.runtime),
            system: execSystem.id, metrics: context.schedulerMetrics)
        scheduling = scheduler.runsAsDaemon ? try context.transports.daemonTransport(for: execSystem) : exec
        containerEngine = job.runtime == "DOCKER" ? try ContainerEngine(system: execSystem) : nil
    }

    /// A path of the exec system as the exec host sees it (rootDir applied).
    func execHostPath(_ path: String) -> String { TapisPath.join(execSystem.rootDir ?? "/", path) }

    /// A path of the archive system as its host sees it.
    func archiveHostPath(_ path: String) -> String { TapisPath.join(archiveSystem.rootDir ?? "/", path) }

    /// The job as the scheduler sees it.
    var remote: RemoteJob {
        var remote = RemoteJob(
            uuid: job.uuid, name: job.name, remoteJobId: job.remoteJobId, execDir: execHostPath(job.execSystemExecDir),
            outputDir: execHostPath(job.execSystemOutputDir), maxMinutes: job.maxMinutes)
        remote.login = exec.login
        remote.nodeCount = job.nodeCount
        remote.coresPerNode = job.coresPerNode
        remote.memoryMB = job.memoryMB
        remote.queue = job.remoteQueue
        remote.schedulerOptions = job.parameterSet.schedulerOptions.map(\.arg)
        remote.stdoutFilename = job.parameterSet.logConfig.stdoutFilename
        remote.stderrFilename = job.parameterSet.logConfig.stderrFilename
        remote.containerEngine = containerEngine
        return remote
    }
}
