public import Foundation
import GRDB
public import TapisCore

/// A notification waiting in the outbox, with what sending it takes.
public struct PendingDelivery: Sendable {
    public var id: Int64
    public var notification: TapisNotification
    /// Whose subscription it is: their secret signs a webhook.
    public var owner: String
    /// How many tries it had.
    public var attempts: Int
}

/// What one try of a delivery came to.
public enum DeliveryAttempt: Sendable {
    case delivered(String)
    /// It failed (the text says how); it is tried again at `retryAt`, or given up when that is nil.
    case failed(String, retryAt: Date?)
}

/// The notification outbox: deliveries are written by `record(_:_:of:)` with their events; the
/// delivery worker takes the due ones, one at a time per job and address so that a receiver gets
/// a job's events in order, and records each try.
extension JobStore {
    /// Due deliveries, oldest due first: of each job's deliveries to one address, only the first
    /// pending one, and none of `excluded` (being sent), to `held` addresses or of `heldOwners`
    /// (at their rate or their share of the worker for now).
    public func dueDeliveries(
        now: Date = Date(), limit: Int, excluding excluded: Set<Int64> = [], held: Set<String> = [], heldOwners: Set<String> = []
    ) async throws -> [PendingDelivery] {
        try await read { db in
            let rows = try SQLRequest<Row>(
                literal: """
                    SELECT d.id AS deliveryId, d.uuid AS deliveryUuid, d.subscriptionName, d.owner, d.tenant AS deliveryTenant,
                    d.method, d.address, d.attempts, d.created AS deliveryCreated, e.*
                    FROM delivery d JOIN jobEvent e ON e.id = d.eventId
                    WHERE d.state = 'pending' AND d.nextAttempt <= \(now.timeIntervalSince1970) AND d.id NOT IN \(Array(excluded))
                    AND d.address NOT IN \(Array(held)) AND d.owner NOT IN \(Array(heldOwners))
                    AND NOT EXISTS (SELECT 1 FROM delivery p WHERE p.state = 'pending' AND p.jobUuid = d.jobUuid AND p.address = d.address AND p.id < d.id)
                    ORDER BY d.nextAttempt, d.id LIMIT \(limit)
                    """
            ).fetchAll(db)
            return try rows.map { row in
                let event = try EventRecord(row: row)
                let target = DeliveryTarget(deliveryMethod: DeliveryTarget.Method(rawValue: row["method"]) ?? .webhook, deliveryAddress: row["address"])
                return PendingDelivery(
                    id: row["deliveryId"],
                    notification: TapisNotification(
                        uuid: row["deliveryUuid"], subscriptionName: row["subscriptionName"], event: event.tapisEvent(tenant: row["deliveryTenant"]),
                        target: target, created: Date(timeIntervalSince1970: row["deliveryCreated"])),
                    owner: row["owner"], attempts: row["attempts"])
            }
        }
    }

    /// When the next delivery `dueDeliveries` could hand out is due: the earliest of the first
    /// pending deliveries per job and address, but for `excluded` (being sent, so their lines wait)
    /// and those to `held` addresses or of `heldOwners`.
    public func nextDeliveryDue(excluding excluded: Set<Int64> = [], held: Set<String> = [], heldOwners: Set<String> = []) async throws -> Date? {
        try await read { db in
            try SQLRequest<Double>(
                literal: """
                    SELECT MIN(d.nextAttempt) FROM delivery d WHERE d.state = 'pending' AND d.id NOT IN \(Array(excluded))
                    AND d.address NOT IN \(Array(held)) AND d.owner NOT IN \(Array(heldOwners))
                    AND NOT EXISTS (SELECT 1 FROM delivery p WHERE p.state = 'pending' AND p.jobUuid = d.jobUuid AND p.address = d.address AND p.id < d.id)
                    """
            ).fetchOne(db).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Records a try of delivery `id`.
    public func recordAttempt(_ id: Int64, _ attempt: DeliveryAttempt, at now: Date = Date()) async throws {
        let (state, outcome, next): (String, String, Date?) =
            switch attempt {
            case .delivered(let text): ("delivered", text, nil)
            case .failed(let text, let retryAt): (retryAt == nil ? "abandoned" : "pending", text, retryAt)
            }
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE delivery SET state = ?, attempts = attempts + 1, lastAttempt = ?, lastOutcome = ?, nextAttempt = COALESCE(?, nextAttempt)
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [state, now.timeIntervalSince1970, outcome, next?.timeIntervalSince1970, id])
        }
    }

    /// Deletes subscriptions that expired (or whose job ended) once none of their notifications is
    /// pending, with their delivery records.
    /// - Returns: how many subscriptions went.
    @discardableResult
    public func reapSubscriptions(now: Date = Date()) async throws -> Int {
        try await write { db in
            let ended = try String.fetchAll(
                db,
                sql: """
                    SELECT uuid FROM subscription s WHERE expiry <= ?
                    AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.subscriptionUuid = s.uuid AND d.state = 'pending')
                    """,
                arguments: [now.timeIntervalSince1970])
            for uuid in ended {
                try db.execute(sql: "DELETE FROM delivery WHERE subscriptionUuid = ?", arguments: [uuid])
                try db.execute(sql: "DELETE FROM subscription WHERE uuid = ?", arguments: [uuid])
            }
            return ended.count
        }
    }

    /// Which of a user's webhook secrets is current (0 until the first rotation).
    public func webhookSecretGeneration(of user: String) async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT generation FROM webhookSecret WHERE username = ?", arguments: [user]) ?? 0
        }
    }

    /// Makes the user's next webhook secret current; the previous one signs nothing more.
    /// - Returns: the new generation.
    public func rotateWebhookSecret(of user: String) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO webhookSecret (username, generation) VALUES (?, 1) ON CONFLICT(username) DO UPDATE SET generation = generation + 1",
                arguments: [user])
            return try Int.fetchOne(db, sql: "SELECT generation FROM webhookSecret WHERE username = ?", arguments: [user]) ?? 1
        }
    }
}
