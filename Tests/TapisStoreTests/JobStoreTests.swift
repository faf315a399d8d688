import Foundation
import GRDB
import Testing
import TapisCore
import TapisStore
import TapisTestSupport

@Suite struct JobStoreTests {
    let directory: TemporaryDirectory
    let store: JobStore

    init() throws {
        directory = try TemporaryDirectory("tapisd-store")
        store = try JobStore(path: directory.file("jobs.sqlite"))
    }

    func makeJob(owner: String = "alice", system systemId: String = "local") throws -> Job {
        try SampleJob.make(owner: owner, system: systemId)
    }

    func makeQueuedJob(system: String) async throws -> Job {
        let job = try makeJob(system: system)
        try await store.insert(job, rawRequest: Data())
        for status in [JobStatus.processingInputs, .stagingInputs, .stagingJob, .submittingJob, .queued] {
            try await store.transition(job.uuid, to: status, message: "")
        }
        return job
    }

    @Test func databaseIsInWALMode() throws {
        let queue = try DatabaseQueue(path: directory.file("jobs.sqlite"))
        let mode = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        _ = store
    }

    @Test func insertStoresJobFirstEventAndRawRequest() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data(#"{"raw":true}"#.utf8))
        let stored = try #require(try await store.job(job.uuid))
        let storedJSON = String(decoding: try TapisJSON.encoder().encode(stored), as: UTF8.self)
        let submittedJSON = String(decoding: try TapisJSON.encoder().encode(job), as: UTF8.self)
        #expect(storedJSON == submittedJSON, "what a client saw at submit is what is stored")
        let history = try await store.history(job.uuid)
        #expect(history.map(\.eventDetail) == ["PENDING"])
        #expect(history.first?.event == "JOB_NEW_STATUS")
        #expect(try await store.rawRequest(job.uuid) == Data(#"{"raw":true}"#.utf8))
    }

    @Test func transitionsAreCheckedAndRecordedTogether() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data())
        try await store.transition(job.uuid, to: .processingInputs, message: "go")
        let refused = await #expect(throws: TapisError.self) { try await store.transition(job.uuid, to: .finished, message: "skip ahead") }
        #expect(refused?.code == .conflict)
        #expect(try await store.job(job.uuid)?.status == .processingInputs)
        #expect(try await store.history(job.uuid).map(\.eventDetail) == ["PENDING", "PROCESSING_INPUTS"], "a refused move writes no event")

        let failed = try await store.transition(job.uuid, to: .failed, message: "boom")
        #expect(failed.ended != nil)
        #expect(failed.condition == .internalError)
        #expect(failed.lastMessage == "boom")
        let cancel = await #expect(throws: TapisError.self) { _ = try await store.requestCancel(job.uuid) }
        #expect(cancel?.code == .conflict)
    }

    @Test func listFiltersByOwnerAndStatusAndPages() async throws {
        for owner in ["alice", "alice", "bob"] { try await store.insert(try makeJob(owner: owner), rawRequest: Data()) }
        #expect(try await store.list(JobQuery(owner: "alice")).count == 2)
        #expect(try await store.list(JobQuery(owner: nil)).count == 3)
        var query = JobQuery(owner: nil)
        query.limit = 2
        query.skip = 2
        #expect(try await store.list(query).count == 1)
        query = JobQuery(owner: nil)
        query.status = .running
        #expect(try await store.list(query).isEmpty)
    }

    @Test func leasesKeepOtherWorkersOutUntilReleasedOrExpired() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data())
        let now = Date()
        let first = try await store.claim(.steps, owner: "w1", limit: 10, expiry: now.addingTimeInterval(60), now: now)
        #expect(first.map(\.job.uuid) == [job.uuid])
        #expect(try await store.claim(.steps, owner: "w2", limit: 10, expiry: now.addingTimeInterval(60), now: now).isEmpty)
        let later = now.addingTimeInterval(61)
        #expect(try await store.claim(.steps, owner: "w2", limit: 10, expiry: later.addingTimeInterval(60), now: later).count == 1, "an expired lease is taken over")
        #expect(try await store.releaseLeases(notHeldBy: "w3") == 1)
        try await store.release(owner: "w3", job: job.uuid, nextAttempt: now.addingTimeInterval(30))
        #expect(try await store.claim(.steps, owner: "w3", limit: 10, expiry: now.addingTimeInterval(60), now: now).count == 1, "release by a non-holder changes nothing")
    }

    @Test func executingJobsAreClaimedSeparatelyAndCancelOverridesSchedule() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data())
        for status in [JobStatus.processingInputs, .stagingInputs, .stagingJob, .submittingJob, .queued] {
            try await store.transition(job.uuid, to: status, message: "")
        }
        let now = Date()
        #expect(try await store.claim(.steps, owner: "w", limit: 10, expiry: now.addingTimeInterval(60), now: now).isEmpty)
        let executing = try await store.claim(.executing(skipping: []), owner: "w", limit: 10, expiry: now.addingTimeInterval(60), now: now)
        #expect(executing.count == 1)
        try await store.release(owner: "w", job: job.uuid, nextAttempt: now.addingTimeInterval(3600))
        _ = try await store.requestCancel(job.uuid)
        let cancelled = try await store.claim(.steps, owner: "w", limit: 10, expiry: now.addingTimeInterval(60), now: now)
        #expect(cancelled.first?.cancelRequested == true)
    }

    @Test func admissionCountsActiveJobsInTheLimitsScope() async throws {
        let running = try await makeQueuedJob(system: "cluster")
        _ = try await makeQueuedJob(system: "other")
        let waiting = try makeJob(system: "cluster")
        try await store.insert(waiting, rawRequest: Data())
        let perSystem = QuotaLimit(name: "jobMaxJobs of system cluster", max: 1, execSystemId: "cluster")
        let full = { @Sendable (limit: QuotaLimit, active: Int) in "full: \(limit.name), \(active)" }
        guard case .blocked(let blocked, let limit, let active) = try await store.admit(
            waiting.uuid, within: [perSystem], to: .processingInputs, message: "go", blockedMessage: full)
        else {
            Issue.record("one active job on cluster fills a limit of one")
            return
        }
        #expect(limit == perSystem && active == 1)
        #expect(blocked.status == .blocked && blocked.lastMessage == "full: jobMaxJobs of system cluster, 1" && blocked.blockedCount == 1)
        let stored = try #require(try await store.job(waiting.uuid))
        #expect(try TapisJSON.encoder().encode(stored) == TapisJSON.encoder().encode(blocked), "blocked in the transaction that counted")
        let history = try await store.history(waiting.uuid).count
        guard case .blocked(let again, _, _) = try await store.admit(waiting.uuid, within: [perSystem], to: .processingInputs, message: "go", blockedMessage: full) else {
            Issue.record("still full")
            return
        }
        let events = try await store.history(waiting.uuid).count
        #expect(again.blockedCount == 1 && events == history, "blocked again for the same reason: no new event")
        let otherUser = QuotaLimit(name: "per user", max: 1, execSystemId: "cluster", owner: "bob")
        guard case .admitted(let admitted) = try await store.admit(waiting.uuid, within: [otherUser], to: .processingInputs, message: "go", blockedMessage: full) else {
            Issue.record("bob has no active job")
            return
        }
        #expect(admitted.status == .processingInputs)

        try await store.transition(running.uuid, to: .cancelled, message: "")
        let next = try makeJob(system: "cluster")
        try await store.insert(next, rawRequest: Data())
        try await store.transition(next.uuid, to: .blocked, message: "waiting")
        let limitOfTwo = QuotaLimit(name: "jobMaxJobs of system cluster", max: 2, execSystemId: "cluster")
        guard case .admitted(let unblocked) = try await store.admit(next.uuid, within: [limitOfTwo], to: .processingInputs, message: "go", blockedMessage: full) else {
            Issue.record("a cancelled job frees its slot")
            return
        }
        #expect(unblocked.status == .processingInputs && unblocked.blockedCount == 1)
    }

    @Test func oneDueJobBringsAllOfItsSystemsExecutingJobs() async throws {
        let now = Date()
        let due = try await makeQueuedJob(system: "cluster")
        let waiting = [try await makeQueuedJob(system: "cluster").uuid, try await makeQueuedJob(system: "cluster").uuid]
        let other = try await makeQueuedJob(system: "other")
        #expect(try await store.claim(.executing(skipping: []), owner: "w", limit: 10, expiry: now.addingTimeInterval(60), now: now).count == 4)
        try await store.release(owner: "w", job: due.uuid, nextAttempt: now)
        for uuid in waiting + [other.uuid] { try await store.release(owner: "w", job: uuid, nextAttempt: now.addingTimeInterval(30)) }

        let skipped = try await store.claim(.executing(skipping: ["cluster"]), owner: "w", limit: 10, expiry: now.addingTimeInterval(60), now: now)
        #expect(skipped.isEmpty, "a system polled a moment ago waits, and the other system has nothing due")
        let claimed = try await store.claim(.executing(skipping: []), owner: "w", limit: 10, expiry: now.addingTimeInterval(60), now: now)
        #expect(Set(claimed.map(\.job.uuid)) == Set([due.uuid] + waiting), "all of cluster's jobs, none of other's")
    }

    @Test func reopeningKeepsEverything() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data("{}".utf8))
        let reopened = try JobStore(path: directory.file("jobs.sqlite"))
        #expect(try await reopened.job(job.uuid)?.uuid == job.uuid)
    }

    /// Reading a job back skips decoding while its stored text is unchanged, and never returns an
    /// older copy: a row changed behind the store (here by plain SQL) is read as it now is.
    @Test func aJobReadAgainIsTheStoredOneEvenWhenItsRowChangedBehindTheStore() async throws {
        let path = directory.file("jobs.sqlite")
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data())
        #expect(try await store.job(job.uuid)?.name == job.name)
        #expect(try await store.job(job.uuid)?.name == job.name)
        let other = try DatabaseQueue(path: path)
        try await other.write { db in
            try db.execute(sql: "UPDATE job SET body = json_set(body, '$.name', 'renamed') WHERE uuid = ?", arguments: [job.uuid.rawValue])
        }
        try other.close()
        #expect(try await store.job(job.uuid)?.name == "renamed")
        let moved = try await store.transition(job.uuid, to: .processingInputs, message: "next")
        #expect(moved.name == "renamed")
        #expect(try await store.job(job.uuid)?.status == .processingInputs)
    }
}
