import Foundation
import Logging
import Synchronization
import TapisCore
import TapisNotify
import TapisStore
import TapisTestSupport
import Testing

/// The delivery worker over a real store, with scripted senders: retries, order, rate, giving up.
@Suite struct NotificationServiceTests {
    let directory: TemporaryDirectory
    let store: JobStore

    init() throws {
        directory = try TemporaryDirectory("tapisd-notify")
        store = try JobStore(path: directory.file("jobs.sqlite"))
    }

    /// A sender that fails each notification's first `failures` tries, and records every try.
    final class ScriptedSender: NotificationSender {
        struct Try: Sendable {
            var notification: TapisNotification
            var delivered: Bool
            var at: ContinuousClock.Instant
        }

        let failures: Int
        let hang: Set<String>
        let tries = Mutex<[Try]>([])
        /// Sends under way now, and the most there were at once, per host.
        let sending = Mutex<(now: [String: Int], most: [String: Int])>(([:], [:]))

        init(failures: Int = 0, hanging addresses: Set<String> = []) {
            self.failures = failures
            hang = addresses
        }

        func send(_ notification: TapisNotification, owner: String) async -> SendOutcome {
            let host = URL(string: notification.deliveryTarget.deliveryAddress)?.host ?? ""
            sending.withLock { state in
                state.now[host, default: 0] += 1
                state.most[host] = max(state.most[host] ?? 0, state.now[host]!)
            }
            defer { sending.withLock { $0.now[host, default: 1] -= 1 } }
            if hang.contains(where: { notification.deliveryTarget.deliveryAddress.hasPrefix($0) }) {
                try? await Task.sleep(for: .seconds(3600))
                return SendOutcome(delivered: false, "cancelled")
            }
            let delivered = tries.withLock { tries in
                let earlier = tries.filter { $0.notification.uuid == notification.uuid }.count
                tries.append(Try(notification: notification, delivered: earlier >= failures, at: .now))
                return earlier >= failures
            }
            return SendOutcome(delivered: delivered, delivered ? "HTTP 200" : "HTTP 500")
        }

        func shutdown() async {}

        var delivered: [TapisNotification] { tries.withLock { $0.filter(\.delivered).map(\.notification) } }
        var all: [Try] { tries.withLock { $0 } }
    }

    func makeJob() throws -> Job { try SampleJob.make() }

    static func hook(_ address: String) -> JobSubscriptionRequest {
        JobSubscriptionRequest(eventCategoryFilter: .newStatus, deliveryTargets: [DeliveryTarget(deliveryMethod: .webhook, deliveryAddress: address)])
    }

    /// Runs the worker while `body` runs.
    func withWorker(_ sender: ScriptedSender, schedule: DeliverySchedule, _ body: () async throws -> Void) async throws {
        let service = NotificationService(store: store, senders: [.webhook: sender], schedule: schedule, logger: Logger(label: "test"))
        let worker = Task { try await service.run() }
        defer { worker.cancel() }
        try await body()
    }

    /// Waits for `condition`, bounded generously: suites running alongside can hold the cooperative pool for seconds.
    func waitUntil(_ timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static var quick: DeliverySchedule {
        var schedule = DeliverySchedule()
        schedule.retryInterval = .milliseconds(100)
        schedule.recoveryInterval = .milliseconds(100)
        return schedule
    }

    @Test func aReceiverFailingTwiceGetsTheThirdTryAndEventsStayInOrder() async throws {
        let sender = ScriptedSender(failures: 2)
        let job = try makeJob()
        try await withWorker(sender, schedule: Self.quick) {
            try await store.insert(job, rawRequest: Data(), subscriptions: [Self.hook("https://a.org/h")])
            for status in [JobStatus.processingInputs, .stagingInputs, .stagingJob] { try await store.transition(job.uuid, to: status, message: "") }
            try await waitUntil { sender.delivered.count == 4 }
        }
        #expect(sender.delivered.map(\.event.type) == ["PENDING", "PROCESSING_INPUTS", "STAGING_INPUTS", "STAGING_JOB"].map { "jobs.JOB_NEW_STATUS.\($0)" })
        let tries = sender.all
        try #require(tries.count == 12, "three tries each")
        // No event is tried before the one ahead of it was delivered.
        for (index, attempt) in tries.enumerated() where index > 0 {
            let earlier = tries[..<index]
            if attempt.notification.uuid != tries[index - 1].notification.uuid {
                #expect(earlier.contains { $0.delivered && $0.notification.uuid == tries[index - 1].notification.uuid })
            }
        }
        let status = try #require(try await store.subscriptions(of: job.uuid).first?.deliveries.first)
        #expect(status.delivered == 4 && status.pending == 0 && status.lastOutcome == "HTTP 200")
    }

    @Test func aNotificationIsGivenUpAfterEveryTry() async throws {
        let sender = ScriptedSender(failures: 100)
        var schedule = Self.quick
        schedule.attempts = 2
        schedule.recoveryAttempts = 1
        let job = try makeJob()
        try await withWorker(sender, schedule: schedule) {
            try await store.insert(job, rawRequest: Data(), subscriptions: [Self.hook("https://a.org/h")])
            try await waitUntil { (try await store.subscriptions(of: job.uuid).first?.deliveries.first?.abandoned ?? 0) == 1 }
        }
        let status = try #require(try await store.subscriptions(of: job.uuid).first?.deliveries.first)
        #expect(status.abandoned == 1 && status.pending == 0 && status.lastOutcome == "HTTP 500")
        #expect(sender.all.count == 3)
    }

    @Test func aHangingReceiverHoldsUpOnlyItsOwnAddress() async throws {
        let sender = ScriptedSender(hanging: ["https://dead.example/h"])
        let job = try makeJob()
        try await withWorker(sender, schedule: Self.quick) {
            try await store.insert(job, rawRequest: Data(), subscriptions: [Self.hook("https://dead.example/h"), Self.hook("https://alive.example/h")])
            try await store.transition(job.uuid, to: .processingInputs, message: "")
            try await waitUntil { sender.delivered.count == 2 }
        }
        #expect(sender.delivered.map(\.deliveryTarget.deliveryAddress) == ["https://alive.example/h", "https://alive.example/h"])
    }

    @Test func aHostAtItsShareHoldsUpNoOtherAndGetsNoMore() async throws {
        let sender = ScriptedSender(hanging: ["https://dead.example/"])
        try await withWorker(sender, schedule: Self.quick) {
            for index in 0..<30 { try await store.insert(try makeJob(), rawRequest: Data(), subscriptions: [Self.hook("https://dead.example/\(index)")]) }
            try await store.insert(try makeJob(), rawRequest: Data(), subscriptions: [Self.hook("https://alive.example/h")])
            try await waitUntil { sender.delivered.count == 1 }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(sender.delivered.map(\.deliveryTarget.deliveryAddress) == ["https://alive.example/h"])
        #expect(sender.sending.withLock { $0.most["dead.example"] } == 16, "a host gets at most 16 sends at once")
    }

    @Test func anAddressAtItsRateLetsOthersThrough() async throws {
        let sender = ScriptedSender()
        // All in the outbox before the worker starts: its first read sees the busy address's 30 first.
        for _ in 0..<30 { try await store.insert(try makeJob(), rawRequest: Data(), subscriptions: [Self.hook("https://busy.example/h")]) }
        try await store.insert(try makeJob(), rawRequest: Data(), subscriptions: [Self.hook("https://quiet.example/h")])
        try await withWorker(sender, schedule: Self.quick) {
            try await waitUntil { sender.delivered.contains { $0.deliveryTarget.deliveryAddress == "https://quiet.example/h" } }
        }
        let addresses = sender.delivered.map(\.deliveryTarget.deliveryAddress)
        let quiet = try #require(addresses.firstIndex(of: "https://quiet.example/h"))
        #expect(quiet <= 10, "the quiet address went within the busy one's first window: \(addresses)")
    }

    @Test func atMostTenDeliveriesToOneAddressInFiveSeconds() async throws {
        let sender = ScriptedSender()
        let job = try makeJob()
        try await withWorker(sender, schedule: Self.quick) {
            try await store.insert(job, rawRequest: Data(), subscriptions: [JobSubscriptionRequest(eventCategoryFilter: .userEvent, deliveryTargets: [DeliveryTarget(deliveryMethod: .webhook, deliveryAddress: "https://a.org/h")])])
            for index in 0..<12 { try await store.recordUserEvent(job.uuid, detail: "E\(index)", data: "\(index)") }
            try await waitUntil { sender.delivered.count == 12 }
        }
        let times = sender.all.map(\.at)
        try #require(times.count == 12)
        #expect(times[10] - times[0] >= .milliseconds(4500), "the eleventh waits for the window (less the time from admission to the sender)")
        #expect(sender.delivered.map(\.event.data) == (0..<12).map(String.init))
    }
}
