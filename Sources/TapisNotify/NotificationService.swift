import CoreMetrics
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
                    if await state.active < concurrency {
                        wake = min(wake, try await dispatch(state: state, group: &group))
                    }
                } catch {
                    logger.error("notification outbox: \(error)")
                }
                // A send that ends rings too: its line's next notification may be due.
                await store.newDeliveries.wait(after: generation, upTo: .milliseconds(max(10, Int(wake.timeIntervalSinceNow * 1000))))
            }
            group.cancelAll()
        }
        for sender in senders.values { await sender.shutdown() }
    }

    /// Starts sends for due notifications while slots are free; returns when the next one that
    /// could not start now is due. What is held (an address at its rate, a host or an owner at
    /// its share of the slots) is left out of the next read, so it never crowds out the rest.
    private func dispatch(state: DispatchState, group: inout DiscardingTaskGroup) async throws -> Date {
        let now = Date()
        var (held, until) = await state.rateHeld(now: now)
        var heldOwners: Set<String> = []
        var wake = until ?? now + 1
        for _ in 0..<4 {
            let page = 2 * concurrency
            let due = try await store.dueDeliveries(now: now, limit: page, excluding: await state.busy, held: held, heldOwners: heldOwners)
            for delivery in due {
                guard await state.active < concurrency else { return wake }
                switch await state.begin(delivery, now: now) {
                case nil:
                    group.addTask {
                        await deliver(delivery) { await state.sent(delivery.id) }
                        await state.end(delivery.id)
                        store.newDeliveries.ring()
                    }
                case .rate(let free):
                    held.insert(delivery.notification.deliveryTarget.deliveryAddress)
                    wake = min(wake, free)
                case .host:
                    held.insert(delivery.notification.deliveryTarget.deliveryAddress)
                case .owner:
                    heldOwners.insert(delivery.owner)
                }
            }
            if due.count < page { break }
        }
        if let next = try await store.nextDeliveryDue(excluding: await state.busy, held: held, heldOwners: heldOwners) { wake = min(wake, next) }
        return wake
    }

    /// One try of a delivery, recorded; `sent` runs once the receiver answered (or did not).
    private func deliver(_ delivery: PendingDelivery, sent: () async -> Void) async {
        let target = delivery.notification.deliveryTarget
        let outcome =
            await senders[target.deliveryMethod]?.send(delivery.notification, owner: delivery.owner)
            ?? SendOutcome(delivered: false, "no \(target.deliveryMethod.rawValue) delivery is configured on this tapisd")
        await sent()
        if Task.isCancelled { return }
        Counter(
            label: "tapisd_notification_deliveries_total",
            dimensions: [("method", target.deliveryMethod.rawValue), ("outcome", outcome.delivered ? "delivered" : "failed")]
        ).increment()
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

/// The worker's memory: which deliveries are being sent (and for which host and owner), and the
/// rate to each address.
private actor DispatchState {
    /// Why a due delivery does not start now.
    enum Hold {
        /// Its address had its 10 in 5 s; it may go at the date.
        case rate(Date)
        /// Its host has `hostLimit` sends under way.
        case host
        /// Its owner has `ownerLimit` sends under way.
        case owner
    }

    /// Sends at once to one host, and for one owner: a slow receiver, or one user's many, never
    /// takes every slot.
    static let hostLimit = 16
    static let ownerLimit = 32

    /// Deliveries being sent or recorded (never handed out again meanwhile), and of those being
    /// sent, their host and owner (a send counts toward their shares until the receiver answered).
    private var inFlight: Set<Int64> = []
    private var sending: [Int64: (host: String, owner: String)] = [:]
    private var hosts: [String: Int] = [:]
    private var owners: [String: Int] = [:]
    private var rate = AddressRateLimit()
    private var lastForget = Date()

    var active: Int { inFlight.count }
    var busy: Set<Int64> { inFlight }

    /// The addresses at their rate now, and when the first of them frees.
    func rateHeld(now: Date) -> (Set<String>, Date?) {
        if now.timeIntervalSince(lastForget) > 60 {
            rate.forgetIdle(now: now)
            lastForget = now
        }
        let full = rate.full(now: now)
        return (Set(full.keys), full.values.min())
    }

    /// Marks the delivery as being sent and returns nil, or tells why it must wait.
    func begin(_ delivery: PendingDelivery, now: Date) -> Hold? {
        let target = delivery.notification.deliveryTarget
        let host = target.deliveryMethod == .email ? "smtp" : URL(string: target.deliveryAddress)?.host ?? target.deliveryAddress
        if hosts[host, default: 0] >= Self.hostLimit { return .host }
        if owners[delivery.owner, default: 0] >= Self.ownerLimit { return .owner }
        if let free = rate.admit(target.deliveryAddress, now: now) { return .rate(free) }
        inFlight.insert(delivery.id)
        sending[delivery.id] = (host, delivery.owner)
        hosts[host, default: 0] += 1
        owners[delivery.owner, default: 0] += 1
        return nil
    }

    /// The receiver answered: the send no longer counts toward its host's and owner's shares.
    func sent(_ id: Int64) {
        guard let (host, owner) = sending.removeValue(forKey: id) else { return }
        hosts[host] = hosts[host, default: 1] > 1 ? hosts[host]! - 1 : nil
        owners[owner] = owners[owner, default: 1] > 1 ? owners[owner]! - 1 : nil
    }

    /// Its outcome is recorded: it may be handed out again (a retry).
    func end(_ id: Int64) {
        sent(id)
        inFlight.remove(id)
    }
}
