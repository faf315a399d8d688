public import TapisCore
public import TapisTransport

/// The adapter of every command-line scheduler: runs a dialect's commands over a transport. Status
/// is asked for a whole batch of jobs with one command (and one more for those that left the
/// queue), never one per job; a failed query changes nothing. Every command is counted in the
/// system's metrics.
public struct CommandLineScheduler: SchedulerAdapter {
    public let dialect: any SchedulerDialect
    /// The system the commands run on (the key of its metrics).
    public let system: String
    /// Where every command is counted.
    public let metrics: SchedulerMetrics
    /// How long one scheduler command may take.
    public var commandTimeout: Duration

    public init(dialect: any SchedulerDialect, system: String, metrics: SchedulerMetrics, commandTimeout: Duration = .seconds(120)) {
        self.dialect = dialect
        self.system = system
        self.metrics = metrics
        self.commandTimeout = commandTimeout
    }

    public var name: String { dialect.name }

    public var runsAsDaemon: Bool { dialect.runsAsDaemon }

    public func checkSchedulerOptions(_ options: [String]) throws(TapisError) { try dialect.checkSchedulerOptions(options) }

    public func scriptHeader(for job: RemoteJob) -> String { dialect.scriptHeader(for: job) }

    public func submit(_ job: RemoteJob, over transport: any Transport) async throws -> String {
        try await measured(.submit) {
            let result = try await transport.run(dialect.submitCommand(for: job), input: nil, timeout: commandTimeout)
            return try dialect.parseSubmission(result, for: job)
        }
    }

    public func lookup(_ job: RemoteJob, over transport: any Transport) async throws -> String? {
        try await measured(.lookup) {
            try dialect.parseLookup(try await transport.run(dialect.lookupCommand(for: job), input: nil, timeout: commandTimeout))
        }
    }

    /// One status command, then one finalize command for those gone from the queue.
    public func status(of jobs: [RemoteJob], over transport: any Transport) async throws -> [JobUUID: RemoteState] {
        let submitted = jobs.filter { $0.remoteJobId != nil }
        guard !submitted.isEmpty else { return [:] }
        let states = try await measured(.status) {
            try dialect.parseStatus(try await transport.run(dialect.statusCommand(for: submitted), input: nil, timeout: commandTimeout), for: submitted)
        }
        var answer: [JobUUID: RemoteState] = [:]
        var gone: [RemoteJob] = []
        var lastSeen: [String: String] = [:]
        for job in submitted {
            let state = states[job.remoteJobId!] ?? .gone
            switch state {
            case .gone:
                gone.append(job)
            case .finishing(let raw):
                gone.append(job)
                lastSeen[job.remoteJobId!] = raw
            default:
                answer[job.uuid] = state
            }
        }
        if !gone.isEmpty {
            let outcomes = try await measured(.finalize) {
                try dialect.parseFinal(try await transport.run(dialect.finalizeCommand(for: gone), input: nil, timeout: commandTimeout), for: gone, lastSeen: lastSeen)
            }
            for job in gone { answer[job.uuid] = outcomes[job.remoteJobId!].map(RemoteState.ended) ?? .gone }
        }
        return answer
    }

    public func cancel(_ job: RemoteJob, over transport: any Transport) async throws {
        try await measured(.cancel) {
            try await transport.check(dialect.cancelCommand(for: job), timeout: commandTimeout, what: "cancelling remote job \(job.remoteJobId ?? "?")")
        }
    }

    /// Runs one scheduler command (and the reading of its answer) and counts it in `metrics`.
    @discardableResult
    private func measured<T>(_ kind: SchedulerMetrics.Command, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let answer = try await body()
            metrics.record(kind, system: system, duration: .now - start, failed: false)
            return answer
        } catch {
            metrics.record(kind, system: system, duration: .now - start, failed: true)
            throw error
        }
    }
}
