import CoreMetrics
import Foundation
import Logging
import TapisCore
import TapisScheduling
import TapisStore
import TapisTransport

/// QUEUED and RUNNING: asks the scheduler about all of one system's jobs with one query per login,
/// and moves each job by what it says. A failed query only counts a failed check; only an answer
/// from the scheduler ends a job.
struct JobMonitor: Sendable {
    let store: JobStore
    let catalog: DefinitionCatalog
    let context: EngineContext
    let pipeline: JobPipeline
    let requeueGrace: RequeueGrace

    /// Polls `jobs`, which are all on one exec system; returns those that left QUEUED/RUNNING
    /// (their next step is due at once).
    func poll(_ jobs: [Job]) async -> Set<JobUUID> {
        var contexts: [JobContext] = []
        for job in jobs {
            do {
                contexts.append(try await JobContext(job: job, catalog: catalog, context: context))
            } catch {
                await pipeline.fail(job, error, logger: context.logger.with(job))
            }
        }
        var moved = Set(jobs.map(\.uuid)).subtracting(contexts.map(\.job.uuid))
        // One query per login and scheduler: a system runs FORK, container and BATCH jobs side by side.
        for batch in Dictionary(grouping: contexts, by: { [$0.exec.login, $0.scheduler.name] }).values {
            let started = ContinuousClock.now
            moved.formUnion(await poll(batch: batch))
            Timer(label: "tapisd_poll_cycle_duration_seconds", dimensions: [("system", batch[0].execSystem.id)])
                .recordSeconds((ContinuousClock.now - started).seconds)
        }
        return moved
    }

    private func poll(batch: [JobContext]) async -> Set<JobUUID> {
        let first = batch[0]
        let now = Job.now()
        context.schedulerMetrics.recordPollCycle(system: first.execSystem.id)
        let states: [JobUUID: RemoteState]
        do {
            states = try await first.scheduler.status(of: batch.map(\.remote), over: first.scheduling)
        } catch {
            context.logger.warning(
                "scheduler status query failed; no job changes",
                metadata: ["system.id": "\(first.execSystem.id)", "login": "\(first.exec.login)", "error": "\(error)"])
            _ = try? await store.update(batch.map(\.job.uuid)) { job in
                job.remoteChecksFailed += 1
                job.remoteLastStatusCheck = now
            }
            return []
        }
        let checked: [JobUUID: Job]
        do {
            checked = try await store.update(batch.map(\.job.uuid)) { job in
                job.remoteChecksSuccess += 1
                job.remoteLastStatusCheck = now
            }
        } catch {
            context.logger.error("recording status checks failed", metadata: ["system.id": "\(first.execSystem.id)", "error": "\(error)"])
            return []
        }
        var moved: Set<JobUUID> = []
        for jobContext in batch {
            guard let job = checked[jobContext.job.uuid] else { continue }
            do {
                if try await apply(states[job.uuid] ?? .gone, to: job, jobContext, now: now) { moved.insert(job.uuid) }
            } catch {
                await pipeline.fail(jobContext.job, error, logger: context.logger.with(jobContext.job))
                moved.insert(jobContext.job.uuid)
            }
        }
        return moved
    }

    /// Moves one job (as stored after this check) by its remote state; true when it left
    /// QUEUED/RUNNING.
    private func apply(_ state: RemoteState, to checked: Job, _ jobContext: JobContext, now: Date) async throws -> Bool {
        var job = checked
        let logger = context.logger.with(job)
        switch state {
        case .gone, .finishing, .unknown:
            if case .unknown(let raw) = state { logger.warning("scheduler reported an unknown state", metadata: ["state": "\(raw)"]) }
            return false
        case .queued:
            requeueGrace.forget(job.uuid)
            return false
        case .running(let raw):
            requeueGrace.forget(job.uuid)
            if job.status == .queued { job = try await markRunning(job, raw: raw) }
            // A batch scheduler enforces the limit itself; it gets 10 minutes to say so (as in Tapis).
            let grace = job.jobType == .batch ? 600.0 : 0
            if let started = job.remoteStarted, now.timeIntervalSince(started) > Double(job.maxMinutes * 60) + grace {
                try await jobContext.scheduler.cancel(jobContext.remote, over: jobContext.scheduling)
                await pipeline.fail(
                    job, TapisError(.remoteFailure, "The job ran longer than its maxMinutes (\(job.maxMinutes)) and was stopped."),
                    condition: .executionMonitoringTimeout, logger: logger)
                return true
            }
            return false
        case .ended(let outcome):
            guard requeueGrace.isFinal(outcome, of: job.uuid, now: now) else {
                logger.info("the scheduler ended the job but may requeue it; waiting", metadata: ["remote.result": "\(outcome.resultInfo)"])
                return false
            }
            if job.status == .queued { job = try await markRunning(job, raw: "it started and ended between two checks") }
            let skip = !outcome.succeeded && !job.archiveOnAppError
            try await store.transition(job.uuid, to: .archiving, message: outcome.message, now: now) { job in
                job.remoteOutcome = outcome.succeeded ? .finished : skip ? .failedSkipArchive : .failed
                job.remoteResultInfo = outcome.resultInfo
                job.remoteEnded = now
                job.condition = outcome.condition
            }
            logger.info("job status changed", metadata: ["job.status": "ARCHIVING", "remote.result": "\(outcome.resultInfo)"])
            return true
        }
    }

    private func markRunning(_ job: Job, raw: String) async throws -> Job {
        context.logger.with(job).info("job status changed", metadata: ["job.status": "RUNNING"])
        return try await store.transition(job.uuid, to: .running, message: "The scheduler reports the job running (\(raw)).") { job in
            job.remoteStarted = job.remoteStarted ?? Job.now()
        }
    }
}
