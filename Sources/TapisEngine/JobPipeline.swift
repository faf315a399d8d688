import CoreMetrics
import Foundation
import Logging
import TapisCore
import TapisScheduling
import TapisStore
import TapisTransport

/// The steps that take a job from PENDING to QUEUED and from ARCHIVING to its end. Each step reads
/// only what the store says, is safe to run again after a crash, and persists its outcome before
/// the next step starts.
struct JobPipeline: Sendable {
    let store: JobStore
    let catalog: DefinitionCatalog
    let context: EngineContext

    /// What the engine does with the job next.
    enum Next: Sendable, Equatable {
        /// Hand it to monitoring (or nothing more to do): release the lease, look again at the date.
        case releaseUntil(Date)
        /// A transient fault (logged and in lastMessage): retry the same step later.
        case retry
    }

    /// Runs steps until the job waits on the scheduler, ends, or hits a transient fault.
    func advance(_ claimed: ClaimedJob) async -> Next {
        var job = claimed.job
        let logger = context.logger.with(job)
        do {
            var jobContext = try await JobContext(job: job, catalog: catalog, context: context)
            while !job.status.isTerminal {
                if try await store.isCancelRequested(job.uuid) {
                    try await cancel(jobContext)
                    return .releaseUntil(Date())
                }
                if job.status.isExecuting { return .releaseUntil(Date()) }
                let started = ContinuousClock.now
                let next = try await step(jobContext)
                Timer(label: "tapisd_step_duration_seconds", dimensions: [("step", job.status.rawValue)])
                    .recordSeconds((ContinuousClock.now - started).seconds)
                // A blocked job waits until a freed slot or a changed definition wakes it (the
                // store does both), or at the latest until the recheck.
                if next.status == .blocked { return .releaseUntil(Date().addingTimeInterval(context.blockedRecheck.seconds)) }
                logger.info("job status changed", metadata: ["job.status": "\(next.status.rawValue)"])
                job = next
                jobContext.job = next
            }
        } catch let error as TapisError where error.code == .unavailable {
            logger.warning("transient fault, will retry", metadata: ["error": "\(error.message)"])
            _ = try? await store.update(job.uuid) { $0.lastMessage = "Waiting to retry \($0.status.rawValue): \(error.message)" }
            return .retry
        } catch is CancellationError {
            logger.info("step interrupted by shutdown; it resumes from the stored status")
            return .releaseUntil(Date())
        } catch {
            await fail(job, error, logger: logger)
        }
        return .releaseUntil(Date())
    }

    /// Runs the step for the job's current status and returns the job after its transition.
    private func step(_ jobContext: JobContext) async throws -> Job {
        let job = jobContext.job
        switch job.status {
        case .pending, .blocked:
            return try await admit(jobContext)
        case .processingInputs:
            try await createDirectories(jobContext)
            return try await store.transition(job.uuid, to: .stagingInputs, message: "Staging \(job.fileInputs.count) input(s).")
        case .stagingInputs:
            let skipped = try await InputStager(jobContext: jobContext, catalog: catalog, context: context).stageAll()
            let note = skipped.map { " Optional input skipped: \($0)." }.joined()
            return try await store.transition(job.uuid, to: .stagingJob, message: "Writing the job's launch files." + note)
        case .stagingJob:
            try await JobScriptWriter(jobContext: jobContext, catalog: catalog, context: context).write()
            return try await store.transition(job.uuid, to: .submittingJob, message: "Starting the job.")
        case .submittingJob:
            return try await submit(jobContext)
        case .archiving:
            return try await Archiver(jobContext: jobContext, store: store, stagingDirectory: context.stagingDirectory).archive()
        case .paused:
            throw TapisError(.internal, "job is \(job.status.rawValue), which this version of tapisd does not resume")
        case .queued, .running, .finished, .failed, .cancelled:
            preconditionFailure("advance(_:) never steps a job in \(job.status)")
        }
    }

    /// PENDING or BLOCKED: on to PROCESSING_INPUTS if its app and systems are enabled and the app's,
    /// system's and queue's quotas have room; otherwise BLOCKED (spec §4.4), saying why.
    private func admit(_ jobContext: JobContext) async throws -> Job {
        let job = jobContext.job
        guard let app = try await catalog.app(job.appId, version: job.appVersion) else {
            throw TapisError(.conflict, "the job's app \(job.appId) version \(job.appVersion) no longer exists")
        }
        let disabled = [jobContext.execSystem, jobContext.archiveSystem].first { !$0.isEnabled }.map { "system \($0.id)" }
            ?? (app.isAvailable ? nil : "app \(app.id) version \(app.version)")
        if let disabled { return try await store.block(job.uuid, message: "Waiting for \(disabled) to be enabled again.") }
        let limits = QuotaLimit.limits(for: job, app: app, system: jobContext.execSystem)
        let admission = try await store.admit(
            job.uuid, within: limits, to: .processingInputs, message: "Creating the job's directories.",
            blockedMessage: { limit, active in "Waiting for a free slot: \(active) job(s) are active under the \(limit.name) (\(limit.max))." })
        switch admission {
        case .admitted(let next), .blocked(let next, _, _): return next
        }
    }

    private func createDirectories(_ jobContext: JobContext) async throws {
        let job = jobContext.job
        let dirs = Set([job.execSystemExecDir, job.execSystemInputDir, job.execSystemOutputDir]).sorted()
        try await jobContext.exec.makeDirectories(dirs.map(jobContext.execHostPath))
        if job.archiveMode != .never {
            try await jobContext.archive.makeDirectory(jobContext.archiveHostPath(job.archiveSystemDir))
        }
        // On this host the daemon can see who controls them (over SSH, the host's own permissions rule).
        if jobContext.execSystem.isLocal, let account = UserAccount.named(jobContext.exec.login) {
            try await LocalFiles.checkControlled(dirs.map(jobContext.execHostPath), by: account)
        }
    }

    /// Submits exactly once: an id already stored, or a copy the scheduler already knows under the
    /// job's tag, is adopted instead of submitting again. The attempt is stored before the scheduler
    /// is asked, so the lookup (a second command) runs only after an attempt that may have reached it.
    private func submit(_ jobContext: JobContext) async throws -> Job {
        let job = jobContext.job
        let remoteId: String
        if let known = job.remoteJobId {
            remoteId = known
        } else if try await store.beginSubmitAttempt(job.uuid) > 0,
            let found = try await jobContext.scheduler.lookup(jobContext.remote, over: jobContext.scheduling)
        {
            remoteId = found
        } else {
            remoteId = try await jobContext.scheduler.submit(jobContext.remote, over: jobContext.scheduling)
        }
        return try await store.transition(job.uuid, to: .queued, message: "Started as remote job \(remoteId).") { job in
            job.remoteJobId = remoteId
            job.schedulerName = jobContext.scheduler.name
            job.remoteSubmitted = job.remoteSubmitted ?? Job.now()
        }
    }

    /// Honours a cancel request in whatever state the job is in: stops the remote job if there may
    /// be one, then records CANCELLED.
    func cancel(_ jobContext: JobContext) async throws {
        let job = jobContext.job
        var remote = jobContext.remote
        if [.submittingJob, .queued, .running].contains(job.status) {
            if remote.remoteJobId == nil {
                remote.remoteJobId = try await jobContext.scheduler.lookup(remote, over: jobContext.scheduling)
            }
            if remote.remoteJobId != nil { try await jobContext.scheduler.cancel(remote, over: jobContext.scheduling) }
        }
        let remoteId = remote.remoteJobId
        try await store.transition(job.uuid, to: .cancelled, message: "The job was cancelled at its owner's request.") { job in
            job.condition = .cancelledByUser
            job.remoteJobId = job.remoteJobId ?? remoteId
        }
        context.logger.with(job).info("job cancelled")
    }

    /// Records a permanent failure with the condition of the step it happened in.
    func fail(_ job: Job, _ error: any Error, condition: JobCondition? = nil, logger: Logger) async {
        if error is CancellationError { return }
        let message = (error as? TapisError)?.message ?? "\(error)"
        let current = (try? await store.job(job.uuid)) ?? job
        guard !current.status.isTerminal else { return }
        logger.error("job failed", metadata: ["error": "\(message)", "job.status": "\(current.status.rawValue)"])
        do {
            try await store.transition(job.uuid, to: .failed, message: message) { job in
                job.condition = condition ?? JobCondition.forFailure(in: current.status)
            }
        } catch {
            logger.error("could not record the job's failure", metadata: ["error": "\(error)"])
        }
    }
}

extension Logger {
    /// This logger with the job's id and owner attached.
    func with(_ job: Job) -> Logger {
        var logger = self
        logger[metadataKey: "job.id"] = "\(job.uuid)"
        logger[metadataKey: "job.owner"] = "\(job.owner)"
        return logger
    }
}
