extension JobStatus {
    /// The statuses this one may move to, as in the Tapis state machine (spec §4.2).
    public var allowedTargets: Set<JobStatus> {
        let escapes: Set<JobStatus> = [.blocked, .paused, .failed, .cancelled]
        switch self {
        case .pending: return Set([.pending, .processingInputs]).union(escapes)
        case .processingInputs: return Set([.processingInputs, .stagingInputs]).union(escapes)
        case .stagingInputs: return Set([.stagingInputs, .stagingJob]).union(escapes)
        case .stagingJob: return Set([.stagingJob, .submittingJob]).union(escapes)
        case .submittingJob: return Set([.submittingJob, .queued, .running]).union(escapes)
        case .queued: return Set([.queued, .running]).union(escapes)
        case .running: return Set([.running, .archiving]).union(escapes)
        case .archiving: return Set([.archiving, .finished]).union(escapes)
        case .blocked: return Set(JobStatus.pipeline).union([.paused, .failed, .cancelled, .finished])
        case .paused: return Set(JobStatus.pipeline).union([.failed, .cancelled, .finished])
        case .finished, .failed, .cancelled: return []
        }
    }

    /// Whether the Tapis state machine allows moving from this status to `target`.
    public func canTransition(to target: JobStatus) -> Bool { allowedTargets.contains(target) }

    /// Checks a status write against the state machine.
    /// - Throws: `TapisError` with code `.conflict` naming both statuses when the move is illegal.
    public func checkTransition(to target: JobStatus) throws(TapisError) {
        guard canTransition(to: target) else {
            throw TapisError(.conflict, "illegal status transition \(rawValue) → \(target.rawValue)")
        }
    }
}
