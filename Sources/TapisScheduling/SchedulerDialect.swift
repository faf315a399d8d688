public import TapisCore
public import TapisTransport

/// The pure half of a scheduler: the text it reads and writes. It builds commands (with
/// `Shell.quote`) and parses their output; it never runs anything. `CommandLineScheduler` runs a dialect
/// over any transport.
public protocol SchedulerDialect: Sendable {
    /// The name systems use to pick this scheduler (`local-process`, `slurm`).
    var name: String { get }

    /// Whether its commands run as the daemon's own user on this host rather than as the job's
    /// login (`SchedulerAdapter.runsAsDaemon`).
    var runsAsDaemon: Bool { get }

    /// Checks a job's scheduler options at submit (they reach `scriptHeader` as `RemoteJob`'s
    /// `schedulerOptions`).
    /// - Throws: `TapisError.badRequest` naming the option and why it is refused.
    func checkSchedulerOptions(_ options: [String]) throws(TapisError)

    /// The lines at the top of `tapisjob.sh`, from the shebang to the scheduler's directives.
    func scriptHeader(for job: RemoteJob) -> String

    /// The command that starts the job whose script sits in its exec dir, printing the remote id.
    /// It must print the existing id instead of starting a second copy when the job was already
    /// started (exactly-once submission).
    func submitCommand(for job: RemoteJob) -> String

    /// The remote id in the submit command's output.
    /// - Throws: `TapisError.remoteFailure` with the scheduler's own message when it refused.
    func parseSubmission(_ result: CommandResult, for job: RemoteJob) throws(TapisError) -> String

    /// The command that prints the id of a job already started under this job's tag, or nothing.
    func lookupCommand(for job: RemoteJob) -> String

    /// The remote id a lookup found, if any.
    /// - Throws: `TapisError.unavailable` when the lookup failed: "not found" must be certain,
    ///   since it leads to a submission.
    func parseLookup(_ result: CommandResult) throws(TapisError) -> String?

    /// One command that reports the state of all `jobs` (all on one system and login).
    func statusCommand(for jobs: [RemoteJob]) -> String

    /// The state of each job, by remote id; a job the output does not mention is `.gone`. The
    /// output may hold other jobs and noise (login banners, blank lines), which are ignored.
    /// - Throws: `TapisError.unavailable` when the output cannot be trusted (the query failed).
    func parseStatus(_ result: CommandResult, for jobs: [RemoteJob]) throws(TapisError) -> [String: RemoteState]

    /// One command that tells how each of `jobs` (all gone from the queue) ended.
    func finalizeCommand(for jobs: [RemoteJob]) -> String

    /// How each job ended, by remote id; a job with no definite answer is left out (and asked
    /// again at the next poll).
    /// - Parameters:
    ///   - result: the finalize command's output.
    ///   - jobs: the jobs asked about.
    ///   - lastSeen: the terminal state the status query last showed, by remote id.
    /// - Throws: `TapisError.unavailable` when the output cannot be trusted.
    func parseFinal(_ result: CommandResult, for jobs: [RemoteJob], lastSeen: [String: String]) throws(TapisError) -> [String: RemoteOutcome]

    /// The command that stops a job; it succeeds when the job has already ended.
    func cancelCommand(for job: RemoteJob) -> String
}

extension SchedulerDialect {
    /// Most schedulers are asked as the job's login.
    public var runsAsDaemon: Bool { false }

    /// A scheduler without options (a plain process) ignores them, as Tapis does for FORK jobs.
    public func checkSchedulerOptions(_ options: [String]) throws(TapisError) {}
}
