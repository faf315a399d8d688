import Foundation
import TapisCore
import TapisEngine
import TapisScheduling
import TapisStore
import TapisTestSupport
import Testing

/// The real engine, pipeline and monitor on a real SQLite store, driven by a scripted scheduler
/// and recording transports: no root, sshd or Slurm.
@Suite(.timeLimit(.minutes(3))) struct JobEngineTests {
    @Test func aJobWalksEveryStatusWithItsHistory() async throws {
        let harness = try EngineHarness()
        defer { Task { await harness.stop() } }
        let job = try await harness.submit()
        try await harness.wait(for: job.uuid, status: .queued)
        harness.scheduler.set(job.uuid, .running(raw: "R"))
        try await harness.wait(for: job.uuid, status: .running)
        harness.scheduler.set(job.uuid, success)
        let finished = try await harness.wait(for: job.uuid, status: .finished)

        #expect(try await harness.statuses(job.uuid) == [
            "PENDING", "PROCESSING_INPUTS", "STAGING_INPUTS", "STAGING_JOB", "SUBMITTING_JOB", "QUEUED", "RUNNING", "ARCHIVING", "FINISHED",
        ])
        #expect(finished.condition == .normalCompletion && finished.remoteOutcome == .finished && finished.remoteResultInfo == "0")
        #expect(finished.remoteJobId == harness.scheduler.remoteId(job.uuid) && finished.remoteJobId != nil)
        #expect(harness.scheduler.calls(.submit).count == 1 && harness.scheduler.calls(.finalize).count == 1)
        #expect(harness.scheduler.calls(.lookup).isEmpty, "no earlier attempt could have reached the scheduler: one command, no lookup")
        #expect(FileManager.default.fileExists(atPath: finished.archiveSystemDir + "/tapisjob.sh"), "the launch files are archived")
    }

    @Test func aCancelBetweenTheSubmitAndStoringItsIdStopsTheRemoteJob() async throws {
        let harness = try EngineHarness()
        defer { Task { await harness.stop() } }
        let store = harness.store
        let job = try await harness.submit()
        harness.scheduler.script(.submit, .answerAfter { _ = try await store.requestCancel(job.uuid) })
        let cancelled = try await harness.wait(for: job.uuid, status: .cancelled)
        let remoteId = try #require(harness.scheduler.remoteId(job.uuid))
        #expect(cancelled.remoteJobId == remoteId && cancelled.condition == .cancelledByUser)
        #expect(harness.scheduler.calls(.submit).count == 1)
        #expect(harness.scheduler.calls(.cancel) == [[job.uuid]], "the job the scheduler started is cancelled there")
    }

    /// A cancel request in each status before the job ends; the job ends CANCELLED, and a job the
    /// scheduler may have is cancelled there too.
    @Test(arguments: [JobStatus.pending, .processingInputs, .stagingInputs, .stagingJob, .submittingJob, .queued, .running, .blocked])
    func aCancelInAnyStatusEndsTheJob(_ status: JobStatus) async throws {
        let harness = try EngineHarness(app: { app in
            if status == .blocked { app["maxJobs"] = 1 }
        })
        defer { Task { await harness.stop() } }
        let recorder = harness.recorder
        let gate: Int? = switch status {
        case .processingInputs: recorder.pause { $0.hasPrefix("run mkdir") }
        case .stagingInputs: recorder.pause { $0.hasPrefix("stat ") }
        case .stagingJob: recorder.pause { $0.hasPrefix("run test -f") }
        case .submittingJob: recorder.pause { $0.hasPrefix("run scripted-scheduler") }
        default: nil
        }
        var request: [String: Any] = [:]
        if status == .stagingInputs {
            let input = harness.directory.file("input.txt")
            try "data".write(toFile: input, atomically: true, encoding: .utf8)
            request["fileInputs"] = [["sourceUrl": "tapis://cluster" + input, "targetPath": "input.txt"]]
        }
        if status == .blocked {
            let first = try await harness.submit()
            try await harness.wait(for: first.uuid, status: .queued)
        }
        let job = try await harness.submit(request)
        if let gate {
            try await recorder.waitUntilReached(gate)
            #expect(try await harness.store.job(job.uuid)?.status == status)
        } else if status == .running {
            try await harness.wait(for: job.uuid, status: .queued)
            harness.scheduler.set(job.uuid, .running(raw: "R"))
            try await harness.wait(for: job.uuid, status: .running)
        } else if status != .pending {
            try await harness.wait(for: job.uuid, status: status)
        }
        _ = try await harness.store.requestCancel(job.uuid)
        if let gate { recorder.open(gate) }
        let cancelled = try await harness.wait(for: job.uuid, status: .cancelled)
        #expect(cancelled.condition == .cancelledByUser)
        let submitted = harness.scheduler.remoteId(job.uuid) != nil
        #expect(harness.scheduler.calls(.cancel).contains([job.uuid]) == submitted, "a remote job is cancelled exactly when there is one")
        #expect(harness.scheduler.calls(.submit).filter { $0 == [job.uuid] }.count <= 1)
    }

    @Test func aTransportFaultIsRetriedWithGrowingBackoffThenSucceeds() async throws {
        let harness = try EngineHarness()
        defer { Task { await harness.stop() } }
        harness.recorder.fail(times: 3, with: TapisError(.unavailable, "connection reset")) { $0.hasPrefix("run mkdir") }
        let job = try await harness.submit()
        try await harness.wait(for: job.uuid) { $0.lastMessage?.contains("Waiting to retry PROCESSING_INPUTS: connection reset") == true }
        try await harness.wait(for: job.uuid, status: .queued)
        let attempts = harness.recorder.operations(containing: "run mkdir").map(\.at)
        #expect(attempts.count >= 4, "three failures, then the step ran")
        let gaps = zip(attempts.dropFirst(), attempts).prefix(3).map { $0 - $1 }
        #expect(gaps[0] >= .milliseconds(50) && gaps[1] >= .milliseconds(100) && gaps[2] >= .milliseconds(200), "backoff doubles: \(gaps)")
        #expect(!(try await harness.statuses(job.uuid)).contains("FAILED"))
    }

    @Test func aTransportThatKeepsFailingLeavesTheJobWaitingNeverFailed() async throws {
        let harness = try EngineHarness()
        defer { Task { await harness.stop() } }
        harness.recorder.fail(with: TapisError(.unavailable, "host unreachable")) { $0.hasPrefix("run mkdir") }
        let job = try await harness.submit()
        // Nine attempts: uncapped, the last gap would be 50 ms × 2⁷ = 6.4 s; capped it is 400 ms
        // (plus scheduling delay, which a loaded machine stretches to a few seconds).
        while harness.recorder.operations(containing: "run mkdir").count < 9 { try await Task.sleep(for: .milliseconds(50)) }
        let waiting = try #require(try await harness.store.job(job.uuid))
        #expect(waiting.status == .processingInputs && waiting.lastMessage?.contains("host unreachable") == true)
        let attempts = harness.recorder.operations(containing: "run mkdir").map(\.at)
        let last = attempts[attempts.count - 1] - attempts[attempts.count - 2]
        #expect(last >= .milliseconds(400) && last < .seconds(6), "the backoff stops at its cap: \(last)")
    }

    @Test func aFailedStatusQueryChangesNoJob() async throws {
        let harness = try EngineHarness()
        defer { Task { await harness.stop() } }
        let job = try await harness.submit()
        let queued = try await harness.wait(for: job.uuid, status: .queued)
        let outage = TapisError(.unavailable, "squeue: Unable to contact slurm controller")
        harness.scheduler.script(.status, .fail(outage), .fail(outage), .fail(outage))
        harness.scheduler.set(job.uuid, success)
        let checked = try await harness.wait(for: job.uuid) { $0.remoteChecksFailed >= 3 }
        #expect(checked.status == .queued && checked.lastMessage == queued.lastMessage)
        harness.scheduler.script(.finalize, .fail(TapisError(.unavailable, "sacct: slurmdbd down")))
        let finished = try await harness.wait(for: job.uuid, status: .finished)
        #expect(finished.remoteChecksFailed == 3 + 1, "three failed status queries and one failed accounting query")
    }

    @Test func aNodeFailureIsFinalOnlyAfterTheRequeueGrace() async throws {
        let harness = try EngineHarness(adjust: { $0.requeueGrace = .milliseconds(800) })
        defer { Task { await harness.stop() } }
        let job = try await harness.submit()
        try await harness.wait(for: job.uuid, status: .queued)
        let nodeFail = RemoteState.ended(RemoteOutcome(succeeded: false, resultInfo: "NODE_FAIL", condition: .schedulerTerminated, message: "node failed", mayBeRequeued: true))
        harness.scheduler.set(job.uuid, .running(raw: "R"))
        try await harness.wait(for: job.uuid, status: .running)
        harness.scheduler.set(job.uuid, nodeFail)
        try await Task.sleep(for: .milliseconds(400))
        harness.scheduler.set(job.uuid, .running(raw: "R (requeued)"))
        try await Task.sleep(for: .milliseconds(600))
        #expect(try await harness.store.job(job.uuid)?.status == .running, "requeued within the grace: still running")
        let start = ContinuousClock.now
        harness.scheduler.set(job.uuid, nodeFail)
        let failed = try await harness.wait(for: job.uuid, status: .failed)
        #expect(ContinuousClock.now - start >= .milliseconds(800), "the grace starts afresh after the requeue")
        #expect(failed.condition == .schedulerTerminated)
    }

    @Test func aJobPastMaxMinutesIsStopped() async throws {
        let harness = try EngineHarness()
        defer { Task { await harness.stop() } }
        let job = try await harness.submit(["maxMinutes": 1])
        try await harness.wait(for: job.uuid, status: .queued)
        harness.scheduler.set(job.uuid, .running(raw: "R"))
        try await harness.wait(for: job.uuid, status: .running)
        try await Task.sleep(for: .milliseconds(300))
        #expect(harness.scheduler.calls(.cancel).isEmpty, "within its time the job runs on")
        _ = try await harness.store.update(job.uuid) { $0.remoteStarted = Date().addingTimeInterval(-61) }
        let failed = try await harness.wait(for: job.uuid, status: .failed)
        #expect(failed.condition == .executionMonitoringTimeout && failed.lastMessage?.contains("maxMinutes (1)") == true)
        #expect(harness.scheduler.calls(.cancel) == [[job.uuid]])
    }

    /// With an app that allows one job: a first job QUEUED and a second BLOCKED behind it.
    static func oneQueuedOneBlocked(_ harness: EngineHarness) async throws -> (queued: Job, blocked: Job) {
        let first = try await harness.submit()
        try await harness.wait(for: first.uuid, status: .queued)
        let second = try await harness.submit()
        return (first, try await harness.wait(for: second.uuid, status: .blocked))
    }

    @Test func aJobOverQuotaWaitsBlockedUntilASlotFrees() async throws {
        let harness = try EngineHarness(app: { $0["maxJobs"] = 1 })
        defer { Task { await harness.stop() } }
        let (first, second) = try await Self.oneQueuedOneBlocked(harness)
        #expect(second.lastMessage?.contains("Waiting for a free slot: 1 job(s) are active") == true)
        harness.scheduler.set(first.uuid, success)
        try await harness.wait(for: first.uuid, status: .finished)
        try await harness.wait(for: second.uuid, status: .queued)
        #expect(try await harness.statuses(second.uuid).prefix(3) == ["PENDING", "BLOCKED", "PROCESSING_INPUTS"])
    }

    @Test func aLeaseThatExpiresIsTakenOverByAnotherWorker() async throws {
        let harness = try EngineHarness(app: { $0["maxJobs"] = 1 })
        defer { Task { await harness.stop() } }
        let (first, second) = try await Self.oneQueuedOneBlocked(harness)
        // A worker that claims the waiting job and dies: its lease runs out in 4 s.
        let far = Date().addingTimeInterval(3600)
        // The lease is measured from just before the claim that set it: a slow store call under a
        // loaded machine must not make the lease look shorter than it was.
        var claimed: [String] = []
        var claim = ContinuousClock.now
        while claimed.isEmpty {
            claim = ContinuousClock.now
            claimed = try await harness.store.claim(.steps, owner: "dead-worker", limit: 10, expiry: Date().addingTimeInterval(4), now: far)
                .map(\.job.uuid.rawValue).filter { $0 == second.uuid.rawValue }
        }
        harness.scheduler.set(first.uuid, success)
        try await harness.wait(for: first.uuid, status: .finished)
        try await Task.sleep(until: claim + .milliseconds(2500))
        let stillBlocked = try await harness.store.job(second.uuid)?.status == .blocked
        if ContinuousClock.now < claim + .milliseconds(3500) {
            #expect(stillBlocked, "no worker touches a job under a live lease, though its slot is free")
        }
        try await harness.wait(for: second.uuid, status: .queued)
        #expect(ContinuousClock.now - claim >= .milliseconds(3900), "taken over once the lease expired")
    }

    @Test func aSubmitWhoseAnswerIsLostIsAdoptedNotRepeated() async throws {
        let harness = try EngineHarness()
        defer { Task { await harness.stop() } }
        harness.scheduler.script(.submit, .lose(TapisError(.unavailable, "sbatch: Socket timed out")))
        let job = try await harness.submit()
        let queued = try await harness.wait(for: job.uuid, status: .queued)
        #expect(harness.scheduler.calls(.submit).count == 1, "the copy the scheduler holds is looked up and adopted")
        #expect(harness.scheduler.calls(.lookup).count == 1, "the stored attempt is why it is looked up")
        #expect(queued.remoteJobId == harness.scheduler.remoteId(job.uuid))
    }
}
