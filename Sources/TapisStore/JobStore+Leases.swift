public import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// Which jobs a claim takes.
    public enum ClaimKind: Sendable {
        /// Jobs a pipeline step must move (not QUEUED or RUNNING), and any job with a cancel request.
        case steps
        /// QUEUED and RUNNING jobs due for a status query.
        case executing
    }

    /// Claims up to `limit` due jobs of `kind` that no live worker holds. The lease lasts until
    /// `expiry`.
    /// - Parameters:
    ///   - kind: which jobs.
    ///   - owner: the claiming worker's id.
    ///   - limit: how many jobs at most.
    ///   - expiry: when the lease runs out unless renewed.
    ///   - now: the current time.
    public func claim(_ kind: ClaimKind, owner: String, limit: Int, expiry: Date, now: Date = Date()) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        let condition: String
        switch kind {
        case .steps:
            condition = "status NOT IN ('FINISHED', 'FAILED', 'CANCELLED') AND (cancelRequested OR (status NOT IN ('QUEUED', 'RUNNING') AND nextAttemptAt <= :now))"
        case .executing:
            condition = "status IN ('QUEUED', 'RUNNING') AND NOT cancelRequested AND nextAttemptAt <= :now"
        }
        return try await write { db in
            let records = try JobRecord.fetchAll(
                db,
                sql: "SELECT * FROM job WHERE \(condition) AND (leaseOwner IS NULL OR leaseExpiry < :now) ORDER BY nextAttemptAt, created LIMIT :limit",
                arguments: ["now": now.timeIntervalSince1970, "limit": limit])
            for record in records {
                try db.execute(
                    sql: "UPDATE job SET leaseOwner = ?, leaseExpiry = ? WHERE uuid = ?",
                    arguments: [owner, expiry.timeIntervalSince1970, record.uuid])
            }
            return try records.map { ClaimedJob(job: try $0.decoded(), cancelRequested: $0.cancelRequested) }
        }
    }

    /// Extends the leases `owner` holds on `jobs`.
    public func renew(owner: String, jobs: [JobUUID], expiry: Date) async throws {
        guard !jobs.isEmpty else { return }
        try await write { db in
            for uuid in jobs {
                try db.execute(
                    sql: "UPDATE job SET leaseExpiry = ? WHERE uuid = ? AND leaseOwner = ?",
                    arguments: [expiry.timeIntervalSince1970, uuid.rawValue, owner])
            }
        }
    }

    /// Gives a job back, to be claimed again at `nextAttempt`.
    public func release(owner: String, job: JobUUID, nextAttempt: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE job SET leaseOwner = NULL, leaseExpiry = NULL, nextAttemptAt = ? WHERE uuid = ? AND leaseOwner = ?",
                arguments: [nextAttempt.timeIntervalSince1970, job.rawValue, owner])
        }
    }

    /// Drops every lease not held by `owner`. Only safe while `owner` holds the state directory's
    /// lock, which proves no other daemon uses this store.
    @discardableResult
    public func releaseLeases(notHeldBy owner: String) async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE job SET leaseOwner = NULL, leaseExpiry = NULL WHERE leaseOwner IS NOT NULL AND leaseOwner != ?", arguments: [owner])
            return db.changesCount
        }
    }
}

/// A job a worker has leased, with the cancel intent read in the same transaction.
public struct ClaimedJob: Sendable {
    public var job: Job
    public var cancelRequested: Bool
}
