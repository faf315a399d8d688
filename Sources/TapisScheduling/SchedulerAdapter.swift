public import TapisCore
public import TapisTransport

/// One scheduler backend, as the engine sees it: what a job's script starts with, which options a
/// job may give it, and submit, lookup, batched status and cancel over a transport. Command-line
/// schedulers (Slurm, a process, a container engine, systemd) are one implementation,
/// `CommandLineScheduler` over a `SchedulerDialect`; a backend that is no command line (a REST
/// daemon, an engine's API) implements this protocol itself. `SchedulerRegistry` holds them.
public protocol SchedulerAdapter: Sendable {
    /// The name systems use to pick this scheduler (`local-process`, `slurm`).
    var name: String { get }

    /// Whether its calls go over the daemon's own transport on this host rather than the job's
    /// login's (they act for the login themselves, as `systemd-run --uid` does).
    var runsAsDaemon: Bool { get }

    /// Checks a job's scheduler options at submit.
    /// - Throws: `TapisError.badRequest` naming the option and why it is refused.
    func checkSchedulerOptions(_ options: [String]) throws(TapisError)

    /// The lines at the top of `tapisjob.sh`, from the shebang to the scheduler's directives.
    func scriptHeader(for job: RemoteJob) -> String

    /// Starts the job (or finds the copy already started) and returns its remote id.
    /// - Throws: `TapisError.remoteFailure` when the scheduler refused; `.unavailable` when the
    ///   outcome is unknown (the caller must look the job up before trying again).
    func submit(_ job: RemoteJob, over transport: any Transport) async throws -> String

    /// The remote id of a copy of the job already started under its tag, if any; "none" must be
    /// certain, since it leads to a submission.
    /// - Throws: `TapisError.unavailable` when the scheduler cannot be asked.
    func lookup(_ job: RemoteJob, over transport: any Transport) async throws -> String?

    /// The state of every job in `jobs` (one system and login), by UUID, asked with as few calls as
    /// the backend allows, never one per job.
    /// - Throws: `TapisError.unavailable` when a query failed; no job's state is known then.
    func status(of jobs: [RemoteJob], over transport: any Transport) async throws -> [JobUUID: RemoteState]

    /// Stops the job; success when it had already ended.
    /// - Throws: `TapisError.remoteFailure` with the scheduler's message.
    func cancel(_ job: RemoteJob, over transport: any Transport) async throws
}
