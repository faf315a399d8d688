public import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// Which jobs a claim takes.
    public enum ClaimKind: Sendable {
        /// Jobs a pipeline step must move (not QUEUED or RUNNING), and any job with a cancel request.
        case steps
        /// Every QUEUED and RUNNING job of each exec system that has at least one of them due, so
        /// that one status query covers all of a system's jobs and they stay on one rhythm;
        /// systems in `skipping` (polled a moment ago) are left out.
        case executing(skipping: Set<String>)
    }

    /// Claims up to `limit` jobs of `kind` that no live worker holds. The lease lasts until
    /// `expiry`.
    /// - Parameters:
    ///   - kind: which jobs.
    ///   - owner: the claiming worker's id.
    ///   - limit: how many jobs at most.
    ///   - expiry: when the lease runs out unless renewed.
    ///   - now: the current time.
    public func claim(_ kind: ClaimKind, owner: String, limit: Int, expiry: Date, now: Date = Date()) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        let free = "(leaseOwner IS NULL OR leaseExpiry < :now)"
        var arguments: StatementArguments = ["now": now.timeIntervalSince1970, "limit": limit]
        let condition: String
        switch kind {
        case .steps:
            // A cancel request makes the job due at once (and a release keeps it due), so every
            // claim is a range of index jobDue.
            condition = "status NOT IN \(JobStatus.terminal.sqlList) AND nextAttemptAt <= :now AND (cancelRequested OR status NOT IN \(JobStatus.executing.sqlList)) AND \(free)"
        case .executing(let skipping):
            let executing = "status IN \(JobStatus.executing.sqlList) AND NOT cancelRequested AND \(free)"
            var names: [String] = []
            for (index, system) in skipping.sorted().enumerated() {
                names.append(":skip\(index)")
                arguments += ["skip\(index)": system]
            }
            let skipped = names.isEmpty ? "" : " AND execSystemId NOT IN (\(names.joined(separator: ", ")))"
            condition = "\(executing) AND execSystemId IN (SELECT execSystemId FROM job WHERE \(executing) AND nextAttemptAt <= :now\(skipped))"
        }
        let query = arguments
        return try await write { db in
            let records = try JobRecord.fetchAll(
                db, sql: "SELECT * FROM job WHERE \(condition) ORDER BY nextAttemptAt, created LIMIT :limit", arguments: query)
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

    /// Gives a job back, to be claimed again at `nextAttempt` (at once if a cancel was requested or
    /// a freed slot woke it meanwhile).
    public func release(owner: String, job: JobUUID, nextAttempt: Date) async throws {
        try await release(owner: owner, jobs: [job: nextAttempt])
    }

    /// Releases the leases `owner` holds on `jobs`, each due again at its date, in one transaction
    /// (a whole monitoring batch at once).
    public func release(owner: String, jobs: [JobUUID: Date]) async throws {
        try await write { db in
            for (job, nextAttempt) in jobs {
                try db.execute(
                    sql: """
                        UPDATE job SET leaseOwner = NULL, leaseExpiry = NULL, nextAttemptAt = CASE WHEN cancelRequested OR nextAttemptAt = \(Self.woken) THEN 0 ELSE ? END
                        WHERE uuid = ? AND leaseOwner = ?
                        """,
                    arguments: [nextAttempt.timeIntervalSince1970, job.rawValue, owner])
            }
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
