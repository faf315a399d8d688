import Foundation
import Logging
public import ServiceLifecycle
import Synchronization
import TapisCore
import TapisScheduling
public import TapisStore

/// The daemon's worker: claims due jobs from the store under a lease, runs their steps (at most
/// `maxConcurrentJobs` at once), polls executing jobs in per-system batches, and renews its leases.
/// The store is the only queue, so a restart resumes every job from its stored status.
public final class JobEngine: Service, CustomStringConvertible {
    let store: JobStore
    let context: EngineContext
    let pipeline: JobPipeline
    let monitor: JobMonitor
    /// Jobs this engine holds a lease on right now.
    private let held = Mutex<Set<JobUUID>>([])
    /// Consecutive transient faults per job (for backoff; a restart starts afresh).
    private let faults = Mutex<[JobUUID: Int]>([:])
    /// When each exec system's jobs may next be asked about: a system is asked at most once per
    /// poll interval (its own `pollIntervalSeconds`, or the daemon's), however many of its jobs
    /// come due in between.
    private let nextPoll = Mutex<[String: ContinuousClock.Instant]>([:])
    /// Rung whenever a job is released: its slot is free for the next claim.
    private let doorbell = Doorbell()
    /// When executing jobs are next claimed for polling: once per tick, however often the doorbell rings.
    private let nextExecutingClaim = Mutex<ContinuousClock.Instant>(.now)
    public let description = "JobEngine"

    public init(store: JobStore, catalog: DefinitionCatalog, context: EngineContext) {
        self.store = store
        self.context = context
        pipeline = JobPipeline(store: store, catalog: catalog, context: context)
        monitor = JobMonitor(store: store, catalog: catalog, context: context, pipeline: pipeline, requeueGrace: RequeueGrace(grace: context.requeueGrace))
    }

    public func run() async throws {
        let orphans = try await store.releaseLeases(notHeldBy: context.workerId)
        // Systems, apps and quotas may have changed while the daemon was down.
        let blocked = try await store.wakeBlocked()
        context.logger.info(
            "engine started", metadata: ["leases.released": "\(orphans)", "jobs.blocked": "\(blocked)", "worker.id": "\(context.workerId)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.renewLeases() }
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    try await dispatch(into: &group)
                    context.heartbeat()
                } catch {
                    context.logger.error("claiming jobs failed", metadata: ["error": "\(error)"])
                }
                await doorbell.wait(upTo: context.tick)
            }
            context.logger.info("engine stopping; finishing the steps under way")
            while !held.withLock({ $0.isEmpty }) && !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
            }
            group.cancelAll()
        }
    }

    private func dispatch(into group: inout DiscardingTaskGroup) async throws {
        let free = context.maxConcurrentJobs - held.withLock { $0.count }
        let expiry = Date().addingTimeInterval(context.leaseDuration.seconds)
        let steps = try await store.claim(.steps, owner: context.workerId, limit: free, expiry: expiry)
        for claimed in steps {
            hold(claimed.job.uuid)
            group.addTask {
                let next = await self.pipeline.advance(claimed)
                await self.release(claimed.job.uuid, after: next)
            }
        }
        let pollDue = nextExecutingClaim.withLock { next in
            guard ContinuousClock.now >= next else { return false }
            next = .now + context.tick
            return true
        }
        guard pollDue else { return }
        let recent = nextPoll.withLock { nextPoll in
            let now = ContinuousClock.now
            return Set(nextPoll.filter { now < $0.value }.keys)
        }
        let executing = try await store.claim(.executing(skipping: recent), owner: context.workerId, limit: 100_000, expiry: expiry)
        for (system, batch) in Dictionary(grouping: executing.map(\.job), by: \.execSystemId) {
            let interval = try await monitor.catalog.system(system)?.pollIntervalSeconds.map { Duration.seconds($0) } ?? context.pollInterval
            nextPoll.withLock { $0[system] = .now + interval }
            batch.forEach { hold($0.uuid) }
            group.addTask {
                let moved = await self.monitor.poll(batch)
                let next = Date().addingTimeInterval(interval.seconds)
                self.faults.withLock { faults in batch.forEach { faults[$0.uuid] = nil } }
                await self.release(Dictionary(uniqueKeysWithValues: batch.map { ($0.uuid, moved.contains($0.uuid) ? Date() : next) }))
            }
        }
    }

    private func hold(_ uuid: JobUUID) {
        _ = held.withLock { $0.insert(uuid) }
    }

    private func release(_ uuid: JobUUID, after next: JobPipeline.Next) async {
        let when: Date
        switch next {
        case .releaseUntil(let date):
            faults.withLock { $0[uuid] = nil }
            when = date
        case .retry:
            let count = faults.withLock { faults in
                faults[uuid, default: 0] += 1
                return faults[uuid]!
            }
            when = Date().addingTimeInterval(context.retryBackoff.delay(afterFaults: count).seconds)
        }
        await release([uuid: when])
    }

    /// Releases a batch of jobs, each due again at its date, with one store transaction.
    private func release(_ schedule: [JobUUID: Date]) async {
        do {
            try await store.release(owner: context.workerId, jobs: schedule)
        } catch {
            context.logger.error("releasing job leases failed; they free themselves when they expire", metadata: ["jobs": "\(schedule.count)", "error": "\(error)"])
        }
        held.withLock { $0.subtract(schedule.keys) }
        doorbell.ring()
    }

    /// Renews the leases of held jobs a few times per lease period, until cancelled.
    private func renewLeases() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: context.leaseDuration / 4)
            if Task.isCancelled { return }
            let jobs = Array(held.withLock { $0 })
            do {
                try await store.renew(owner: context.workerId, jobs: jobs, expiry: Date().addingTimeInterval(context.leaseDuration.seconds))
            } catch {
                context.logger.error("renewing job leases failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
