import Foundation
public import Logging
public import ServiceLifecycle
import TapisCore
public import TapisStore

/// The delivery worker: sends the outbox's notifications, apart from the job pipeline (a dead
/// receiver never slows a job). A notification is marked delivered only after its receiver took
/// it, so one sent when the daemon died is sent again after restart: at least once, in order per
/// job and address, at most `AddressRateLimit`'s rate to one address, retried on `schedule`.
public struct NotificationService: Service, CustomStringConvertible {
    let store: JobStore
    let senders: [DeliveryTarget.Method: any NotificationSender]
    let schedule: DeliverySchedule
    let logger: Logger
    /// Sends at once, at most.
    var concurrency = 64
    /// How often expired subscriptions are looked for.
    var reapInterval: Duration = .seconds(60)

    public init(store: JobStore, senders: [DeliveryTarget.Method: any NotificationSender], schedule: DeliverySchedule, logger: Logger) {
        self.store = store
        self.senders = senders
        self.schedule = schedule
        self.logger = logger
    }

    public var description: String { "NotificationService" }

    public func run() async throws {
        let state = DispatchState()
        await withDiscardingTaskGroup { group in
            group.addTask { await reap() }
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let generation = store.newDeliveries.generation
                var wake = Date() + 1
                do {
                    let busy = await state.inFlight
                    if busy.count < concurrency {
                        for delivery in try await store.dueDeliveries(limit: 2 * concurrency, excluding: busy) {
                            if await state.inFlight.count >= concurrency { break }
                            let address = delivery.notification.deliveryTarget.deliveryAddress
                            if let free = await state.begin(delivery.id, to: address, now: Date()) {
                                wake = min(wake, free)
                                continue
                            }
                            group.addTask {
                                await deliver(delivery)
                                await state.end(delivery.id)
                                // The next notification of its line may be due now.
                                store.newDeliveries.ring()
                            }
                        }
                    }
                    if let due = try await store.nextDeliveryDue(excluding: await state.inFlight) { wake = min(wake, due) }
                } catch {
                    logger.error("notification outbox: \(error)")
                }
                await store.newDeliveries.wait(after: generation, upTo: .milliseconds(max(10, Int(wake.timeIntervalSinceNow * 1000))))
            }
            group.cancelAll()
        }
        for sender in senders.values { await sender.shutdown() }
    }

    /// One try of a delivery, recorded.
    private func deliver(_ delivery: PendingDelivery) async {
        let target = delivery.notification.deliveryTarget
        let outcome =
            await senders[target.deliveryMethod]?.send(delivery.notification, owner: delivery.owner)
            ?? SendOutcome(delivered: false, "no \(target.deliveryMethod.rawValue) delivery is configured on this tapisd")
        if Task.isCancelled { return }
        let now = Date()
        let attempt: DeliveryAttempt =
            outcome.delivered ? .delivered(outcome.summary) : .failed(outcome.summary, retryAt: schedule.retry(afterAttempts: delivery.attempts + 1, now: now))
        if case .failed(_, let retryAt) = attempt {
            logger.notice(
                "notification not delivered",
                metadata: [
                    "delivery": "\(delivery.notification.uuid)", "method": "\(target.deliveryMethod.rawValue)", "outcome": "\(outcome.summary)",
                    "attempt": "\(delivery.attempts + 1)", "retry": "\(retryAt.map { Job.timestamp($0) } ?? "given up")",
                ])
        }
        do { try await store.recordAttempt(delivery.id, attempt, at: now) } catch {
            logger.error("cannot record a notification's delivery: \(error)")
        }
    }

    private func reap() async {
        while !Task.isCancelled {
            do { try await store.reapSubscriptions() } catch { logger.error("reaping subscriptions: \(error)") }
            try? await Task.sleep(for: reapInterval)
        }
    }
}

/// The worker's memory: which deliveries are being sent, and the rate to each address.
private actor DispatchState {
    private(set) var inFlight: Set<Int64> = []
    private var rate = AddressRateLimit()
    private var lastForget = Date()

    /// Marks the delivery as being sent and returns nil, or returns when its address may be sent to again.
    func begin(_ id: Int64, to address: String, now: Date) -> Date? {
        if now.timeIntervalSince(lastForget) > 60 {
            rate.forgetIdle(now: now)
            lastForget = now
        }
        if let free = rate.admit(address, now: now) { return free }
        inFlight.insert(id)
        return nil
    }

    func end(_ id: Int64) { inFlight.remove(id) }
}
