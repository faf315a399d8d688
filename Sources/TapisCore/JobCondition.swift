/// Tapis condition codes (spec §4.3): why a job ended. Raw values are persisted.
public enum JobCondition: String, Codable, Sendable, CaseIterable {
    case normalCompletion = "NORMAL_COMPLETION"
    case cancelledByUser = "CANCELLED_BY_USER"
    case remoteOutcomeError = "JOB_REMOTE_OUTCOME_ERROR"
    case remoteAccessError = "JOB_REMOTE_ACCESS_ERROR"
    case unableToStageInputs = "JOB_UNABLE_TO_STAGE_INPUTS"
    case unableToStageJob = "JOB_UNABLE_TO_STAGE_JOB"
    case launchFailure = "JOB_LAUNCH_FAILURE"
    case queueMonitoringError = "JOB_QUEUE_MONITORING_ERROR"
    case executionMonitoringError = "JOB_EXECUTION_MONITORING_ERROR"
    case executionMonitoringTimeout = "JOB_EXECUTION_MONITORING_TIMEOUT"
    case executionMonitoringErrorTimeout = "JOB_EXECUTION_MONITORING_ERROR_TIMEOUT"
    case archivingFailed = "JOB_ARCHIVING_FAILED"
    case transferFailedOrCancelled = "JOB_TRANSFER_FAILED_OR_CANCELLED"
    case transferMonitoringTimeout = "JOB_TRANSFER_MONITORING_TIMEOUT"
    case recoveryFailure = "JOB_RECOVERY_FAILURE"
    case recoveryTimeout = "JOB_RECOVERY_TIMEOUT"
    case invalidDefinition = "JOB_INVALID_DEFINITION"
    case internalError = "JOB_INTERNAL_ERROR"
    case databaseError = "JOB_DATABASE_ERROR"
    case filesServiceError = "JOB_FILES_SERVICE_ERROR"
    case schedulerCancelled = "SCHEDULER_CANCELLED"
    case schedulerDeadline = "SCHEDULER_DEADLINE"
    case schedulerOutOfMemory = "SCHEDULER_OUT_OF_MEMORY"
    case schedulerStopped = "SCHEDULER_STOPPED"
    case schedulerTimeout = "SCHEDULER_TIMEOUT"
    case schedulerTerminated = "SCHEDULER_TERMINATED"

    /// The condition a failure in `status` carries when nothing more specific is known.
    public static func forFailure(in status: JobStatus) -> JobCondition {
        switch status {
        case .pending, .blocked, .paused: return .invalidDefinition
        case .processingInputs: return .remoteAccessError
        case .stagingInputs: return .unableToStageInputs
        case .stagingJob: return .unableToStageJob
        case .submittingJob: return .launchFailure
        case .queued: return .queueMonitoringError
        case .running: return .executionMonitoringError
        case .archiving: return .archivingFailed
        case .finished, .failed, .cancelled: return .internalError
        }
    }
}
