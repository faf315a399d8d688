public import Foundation
import GRDB
public import TapisCore

/// Job subscriptions, and the rule that puts notifications in the outbox: every event is recorded
/// by `record(_:_:of:)`, which writes, in the event's own transaction, one pending delivery for each
/// target of each live subscription that wants it.
extension JobStore {
    /// Adds a subscription to a job that has not ended, and the `JOB_SUBSCRIPTION` event telling of it.
    /// - Throws: `TapisError.badRequest` once the job has ended; `.notFound`.
    public func subscribe(_ uuid: JobUUID, owner: String, _ request: JobSubscriptionRequest, now: Date = Job.now()) async throws -> JobSubscription {
        try await write { db in
            guard let record = try JobRecord.fetchOne(db, key: uuid.rawValue) else { throw TapisError(.notFound, "no job \(uuid)") }
            let job = try record.decoded()
            guard !job.status.isTerminal else {
                throw TapisError(.badRequest, "JOBS_IN_TERMINAL_STATE Job \(uuid) is in terminal state \(job.status.rawValue) and cannot be updated.")
            }
            let live = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subscription WHERE jobUuid = ? AND expiry > ?", arguments: [uuid.rawValue, now.timeIntervalSince1970]) ?? 0
            guard live < JobSubscriptionRequest.maxPerJob else {
                throw TapisError.invalid("subscriptions", "job \(uuid) has \(live) subscriptions, the most one job may have")
            }
            let subscription = try Self.insertSubscription(db, request, job: job, owner: owner, now: now)
            try Self.recordSubscriptionChange(db, of: job, detail: "added", count: 1, at: now)
            return subscription.subscription(deliveries: [])
        }
    }

    /// The job's live subscriptions (and those whose notifications are still pending), oldest first,
    /// each with how its deliveries went.
    public func subscriptions(of uuid: JobUUID, limit: Int = 100, skip: Int = 0, now: Date = Job.now()) async throws -> [JobSubscription] {
        try await read { db in
            let records = try SubscriptionRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM subscription s WHERE jobUuid = ?
                    AND (expiry > ? OR EXISTS (SELECT 1 FROM delivery d WHERE d.subscriptionUuid = s.uuid AND d.state = 'pending'))
                    ORDER BY created, uuid LIMIT ? OFFSET ?
                    """,
                arguments: [uuid.rawValue, now.timeIntervalSince1970, limit, skip])
            return try records.map { record in record.subscription(deliveries: try Self.deliveryStatus(db, of: record)) }
        }
    }

    /// The job a subscription belongs to, and its owner, if it exists.
    public func subscriptionOwner(_ uuid: String) async throws -> (job: JobUUID, owner: String)? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT jobUuid, owner FROM subscription WHERE uuid = ?", arguments: [uuid]).map {
                (JobUUID(rawValue: $0["jobUuid"]), $0["owner"])
            }
        }
    }

    /// Deletes one subscription (`subscription`) or all of a job's, with their pending notifications,
    /// and records the `JOB_SUBSCRIPTION` event when any was deleted.
    /// - Returns: how many subscriptions were deleted.
    public func deleteSubscriptions(of job: JobUUID, only subscription: String? = nil, now: Date = Job.now()) async throws -> Int {
        try await write { db in
            let filter: SQL = subscription.map { "uuid = \($0) AND jobUuid = \(job.rawValue)" } ?? "jobUuid = \(job.rawValue)"
            try db.execute(literal: "DELETE FROM delivery WHERE subscriptionUuid IN (SELECT uuid FROM subscription WHERE \(filter))")
            try db.execute(literal: "DELETE FROM subscription WHERE \(filter)")
            let changes = db.changesCount
            if changes > 0, let record = try JobRecord.fetchOne(db, key: job.rawValue) {
                try Self.recordSubscriptionChange(db, of: try record.decoded(), detail: "removed", count: changes, at: now)
            }
            return changes
        }
    }

    @discardableResult
    static func insertSubscription(_ db: Database, _ request: JobSubscriptionRequest, job: Job, owner: String, now: Date) throws -> SubscriptionRecord {
        let record = try SubscriptionRecord(request, job: job, owner: owner, now: now)
        try record.insert(db)
        return record
    }

    /// Records the event, numbered among the job's, and puts its notifications in the outbox.
    static func record(_ db: Database, _ event: EventRecord, of job: Job) throws {
        var event = event
        event.seq = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobEvent WHERE jobUuid = ?", arguments: [event.jobUuid]) ?? 0) + 1
        try event.insert(db)
        let eventId = db.lastInsertedRowID
        let subscriptions = try SubscriptionRecord.fetchAll(
            db, sql: "SELECT * FROM subscription WHERE jobUuid = ? AND enabled AND expiry > ?", arguments: [event.jobUuid, event.created])
        for subscription in subscriptions where JobEventCategory(rawValue: subscription.category)?.matches(event.event) ?? false {
            for target in subscription.deliveryTargets {
                try db.execute(
                    sql: """
                        INSERT INTO delivery (uuid, eventId, jobUuid, subscriptionUuid, subscriptionName, owner, tenant, method, address, state, nextAttempt, created)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [
                        UUID().uuidString.lowercased(), eventId, event.jobUuid, subscription.uuid, subscription.name, subscription.owner, subscription.tenant,
                        target.deliveryMethod.rawValue, target.deliveryAddress, event.created, event.created,
                    ])
            }
        }
    }

    static func recordSubscriptionChange(_ db: Database, of job: Job, detail: String, count: Int, at now: Date) throws {
        let data = JobEventData.subscriptions(job, detail: detail, count: count)
        let message = detail == "removed" ? "\(count) subscription(s) removed." : "\(count) subscription(s) added."
        try record(db, EventRecord(job: job.uuid, event: JobEventCategory.subscription.rawValue, detail: detail, description: message, data: data, at: now), of: job)
    }

    /// Ends the job's subscriptions at its terminal event: they match nothing after it, and go once
    /// their notifications are delivered.
    static func endSubscriptions(_ db: Database, of job: JobUUID, at now: Date) throws {
        try db.execute(
            sql: "UPDATE subscription SET expiry = ?, updated = ? WHERE jobUuid = ? AND expiry > ?",
            arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, job.rawValue, now.timeIntervalSince1970])
    }

    private static func deliveryStatus(_ db: Database, of subscription: SubscriptionRecord) throws -> [DeliveryStatus] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT method, address, SUM(state = 'delivered') AS delivered, SUM(state = 'pending') AS pending,
                SUM(state = 'abandoned') AS abandoned, MAX(lastAttempt) AS lastAttempt,
                MIN(CASE WHEN state = 'pending' THEN nextAttempt END) AS nextAttempt,
                (SELECT lastOutcome FROM delivery l WHERE l.subscriptionUuid = d.subscriptionUuid AND l.method = d.method
                    AND l.address = d.address AND l.lastAttempt IS NOT NULL ORDER BY l.lastAttempt DESC, l.id DESC LIMIT 1) AS lastOutcome
                FROM delivery d WHERE subscriptionUuid = ? GROUP BY method, address
                """,
            arguments: [subscription.uuid])
        func date(_ value: Double?) -> Date? { value.map(Date.init(timeIntervalSince1970:)) }
        return subscription.deliveryTargets.map { target in
            guard let row = rows.first(where: { $0["method"] == target.deliveryMethod.rawValue && $0["address"] == target.deliveryAddress }) else {
                return DeliveryStatus(deliveryTarget: target, delivered: 0, pending: 0, abandoned: 0, lastAttempt: nil, lastOutcome: nil, nextAttempt: nil)
            }
            return DeliveryStatus(
                deliveryTarget: target, delivered: row["delivered"], pending: row["pending"], abandoned: row["abandoned"],
                lastAttempt: date(row["lastAttempt"]), lastOutcome: row["lastOutcome"], nextAttempt: date(row["nextAttempt"]))
        }
    }
}
