import Foundation
import GRDB
import TapisCore
import TapisStore
import TapisTestSupport
import Testing

/// The outbox: deliveries written with their events, handed out in order per job and address,
/// retried, and cleaned up with their subscriptions.
@Suite struct NotificationOutboxTests {
    let directory: TemporaryDirectory
    let store: JobStore

    init() throws {
        directory = try TemporaryDirectory("tapisd-outbox")
        store = try JobStore(path: directory.file("jobs.sqlite"))
    }

    func makeJob() throws -> Job { try SampleJob.make() }

    static func hook(_ address: String, _ category: JobEventCategory = .newStatus) -> JobSubscriptionRequest {
        JobSubscriptionRequest(eventCategoryFilter: category, deliveryTargets: [DeliveryTarget(deliveryMethod: .webhook, deliveryAddress: address)])
    }

    func types(_ deliveries: [PendingDelivery]) -> [String] { deliveries.map(\.notification.event.type) }

    @Test func aSubmitsSubscriptionsGetThePendingEventAndTheirOwn() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data(), subscriptions: [Self.hook("https://a.org/1"), Self.hook("https://a.org/all", .all)])
        let due = try await store.dueDeliveries(now: Date() + 1, limit: 10)
        #expect(Set(due.map(\.notification.deliveryTarget.deliveryAddress)) == ["https://a.org/1", "https://a.org/all"])
        #expect(types(due.filter { $0.notification.deliveryTarget.deliveryAddress.hasSuffix("/1") }) == ["jobs.JOB_NEW_STATUS.PENDING"])
        // Per address, only the head of the line is due: the ALL subscription's JOB_SUBSCRIPTION event waits behind PENDING.
        #expect(types(due.filter { $0.notification.deliveryTarget.deliveryAddress.hasSuffix("/all") }) == ["jobs.JOB_NEW_STATUS.PENDING"])
        let history = try await store.history(job.uuid)
        #expect(history.map(\.event) == ["JOB_NEW_STATUS", "JOB_SUBSCRIPTION"] && history[1].eventDetail == "ADDED")
        let event = try #require(due.first?.notification.event)
        #expect(event.seriesSeqCount == 1 && event.subject == job.uuid.rawValue && event.tenant == "t")
        #expect(due.first?.owner == "alice" && due.first?.notification.subscriptionName.hasPrefix("jobs~alice~t~") == true)
    }

    @Test func deliveriesComeInOrderPerAddressAndRetriesKeepTheLine() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data(), subscriptions: [Self.hook("https://a.org/h")])
        try await store.transition(job.uuid, to: .processingInputs, message: "")
        try await store.transition(job.uuid, to: .stagingInputs, message: "")
        var due = try await store.dueDeliveries(now: Date() + 1, limit: 10)
        #expect(types(due) == ["jobs.JOB_NEW_STATUS.PENDING"])
        let first = due[0]
        try await store.recordAttempt(first.id, .failed("HTTP 500", retryAt: Date() + 60))
        #expect(try await store.dueDeliveries(now: Date() + 1, limit: 10).isEmpty, "a failed head holds its line until its retry")
        due = try await store.dueDeliveries(now: Date() + 61, limit: 10)
        #expect(due.map(\.id) == [first.id] && due[0].attempts == 1 && due[0].notification.uuid == first.notification.uuid)
        try await store.recordAttempt(first.id, .delivered("HTTP 200"))
        due = try await store.dueDeliveries(now: Date() + 61, limit: 10)
        #expect(types(due) == ["jobs.JOB_NEW_STATUS.PROCESSING_INPUTS"])
        #expect(try await store.dueDeliveries(now: Date() + 61, limit: 10, excluding: [due[0].id]).isEmpty)
        try await store.recordAttempt(due[0].id, .failed("timed out", retryAt: nil))
        #expect(types(try await store.dueDeliveries(now: Date() + 61, limit: 10)) == ["jobs.JOB_NEW_STATUS.STAGING_INPUTS"], "a given-up notification frees its line")

        let listed = try #require(try await store.subscriptions(of: job.uuid).first?.deliveries.first)
        #expect(listed.delivered == 1 && listed.abandoned == 1 && listed.pending == 1)
        #expect(listed.lastOutcome == "timed out" && listed.nextAttempt != nil)
    }

    @Test func theTerminalEventEndsTheSubscriptionsWhichGoOnceDelivered() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data(), subscriptions: [Self.hook("https://a.org/h", .all)])
        for status in [JobStatus.processingInputs, .failed] { try await store.transition(job.uuid, to: status, message: "staging failed") }
        let due = try await store.dueDeliveries(now: Date() + 1, limit: 100)
        #expect(due.count == 1)
        var sent: [String] = []
        while let next = try await store.dueDeliveries(now: Date() + 1, limit: 1).first {
            sent.append(next.notification.event.type)
            try await store.recordAttempt(next.id, .delivered("HTTP 200"))
        }
        #expect(sent == [
            "jobs.JOB_NEW_STATUS.PENDING", "jobs.JOB_SUBSCRIPTION.ADDED", "jobs.JOB_NEW_STATUS.PROCESSING_INPUTS", "jobs.JOB_NEW_STATUS.FAILED",
            "jobs.JOB_ERROR_MESSAGE.FINAL_MESSAGE",
        ])
        #expect(try await store.reapSubscriptions(now: Date() + 1) == 1)
        #expect(try await store.subscriptions(of: job.uuid).isEmpty)
    }

    @Test func subscribingNeedsALiveJobAndDeletingRecordsAnEvent() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data())
        let added = try await store.subscribe(job.uuid, owner: "bob", Self.hook("https://a.org/h", .subscription))
        #expect(added.owner == "bob" && added.typeFilter == "jobs.JOB_SUBSCRIPTION.*" && added.ttlMinutes == 10_080)
        #expect(try await store.subscriptionOwner(added.uuid)?.owner == "bob")
        #expect(try await store.deleteSubscriptions(of: job.uuid, only: added.uuid) == 1)
        #expect(try await store.deleteSubscriptions(of: job.uuid, only: added.uuid) == 0)
        #expect(try await store.history(job.uuid).map(\.eventDetail) == ["PENDING", "added", "removed"])
        try await store.transition(job.uuid, to: .cancelled, message: "")
        let ended = await #expect(throws: TapisError.self) { try await store.subscribe(job.uuid, owner: "alice", Self.hook("https://a.org/h")) }
        #expect(ended?.message.contains("terminal state CANCELLED") == true)
    }

    @Test func anExpiredSubscriptionGetsNothingAndIsReaped() async throws {
        let job = try makeJob()
        try await store.insert(job, rawRequest: Data())
        var shortLived = Self.hook("https://a.org/h", .userEvent)
        shortLived.ttlMinutes = 1
        let twoMinutesAgo = Date() - 120
        let expired = try await store.subscribe(job.uuid, owner: "alice", shortLived, now: twoMinutesAgo)
        let live = try await store.subscribe(job.uuid, owner: "alice", Self.hook("https://b.org/h", .userEvent))
        try await store.recordUserEvent(job.uuid, detail: "E", data: "x")
        let due = try await store.dueDeliveries(now: Date() + 1, limit: 10)
        #expect(due.map(\.notification.deliveryTarget.deliveryAddress) == ["https://b.org/h"])
        #expect(try await store.subscriptions(of: job.uuid).map(\.uuid) == [live.uuid], "an expired subscription is no longer listed")
        #expect(try await store.reapSubscriptions() == 1)
        #expect(try await store.subscriptionOwner(expired.uuid) == nil)
        #expect(try await store.subscriptionOwner(live.uuid) != nil)
    }

    @Test func theEventLogIsReadAfterAnIdForOneJobOrOneOwner() async throws {
        let mine = try makeJob()
        var theirs = try makeJob()
        theirs.owner = "bob"
        try await store.insert(mine, rawRequest: Data())
        try await store.insert(theirs, rawRequest: Data())
        try await store.transition(mine.uuid, to: .processingInputs, message: "")
        let all = try await store.events(after: 0, tenant: "t").events
        #expect(all.count == 3 && all.map(\.id) == all.map(\.id).sorted())
        let alices = try await store.events(after: 0, owner: "alice", tenant: "t").events
        #expect(alices.map(\.event.subject) == [mine.uuid.rawValue, mine.uuid.rawValue])
        #expect(try await store.events(after: alices[0].id, job: mine.uuid, tenant: "t").events.map(\.event.type) == ["jobs.JOB_NEW_STATUS.PROCESSING_INPUTS"])
        let bobs = try await store.events(after: 0, owner: "bob", tenant: "t", limit: 10)
        #expect(bobs.events.count == 1 && bobs.readThrough == all.last?.id, "a reader moves past others' events")
        let paged = try await store.events(after: 0, tenant: "t", limit: 2)
        #expect(paged.events.count == 2 && paged.readThrough == paged.events.last?.id)
        #expect(try await store.latestEventId() == all.last?.id)
    }

    @Test func commitsThatAddEventsOrNotificationsRingTheirSignals() async throws {
        let job = try makeJob()
        let (events, deliveries) = (store.newEvents.generation, store.newDeliveries.generation)
        try await store.insert(job, rawRequest: Data())
        #expect(store.newEvents.generation > events && store.newDeliveries.generation == deliveries, "an event, no notification")
        let quiet = store.newEvents.generation
        try await store.update(job.uuid) { $0.remoteChecksSuccess += 1 }
        #expect(store.newEvents.generation == quiet, "a write without events rings nothing")
        _ = try await store.subscribe(job.uuid, owner: "alice", Self.hook("https://a.org/h", .subscription))
        #expect(store.newDeliveries.generation > deliveries, "the subscription's own event is in the outbox")
        let start = ContinuousClock.now
        await store.newEvents.wait(after: store.newEvents.generation, upTo: .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(40), "with nothing new, a wait lasts its timeout")
    }
}
