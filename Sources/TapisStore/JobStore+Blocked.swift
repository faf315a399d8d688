import Foundation
import GRDB
import TapisCore

extension JobStore {
    /// How many blocked jobs a freed slot wakes: the oldest that share a quota scope with the job
    /// that freed it (more than one, in case the oldest waits on another limit too).
    static let wokenPerFreedSlot = 4

    /// Makes every BLOCKED job due now: a quota or a system or app may have changed, so each is
    /// admitted or blocked again by the rules as they stand.
    @discardableResult
    public func wakeBlocked() async throws -> Int {
        try await write { db in try Self.wakeAllBlocked(db) }
    }

    @discardableResult
    static func wakeAllBlocked(_ db: Database) throws -> Int {
        try db.execute(sql: "UPDATE job SET nextAttemptAt = \(woken) WHERE status = 'BLOCKED' AND nextAttemptAt >= 0")
        return db.changesCount
    }

    /// `nextAttemptAt` of a woken job: due, and kept due by the release of a worker that was
    /// blocking it at that moment (its wake must not be lost).
    static let woken = -1

    /// When `job` leaves the quota-counted statuses, wakes the oldest blocked jobs it may have made
    /// room for (same exec system, app version or owner: every quota scope is one of these or
    /// narrower), so that they need not be looked at again until a slot frees.
    static func wakeBlocked(_ db: Database, freedBy job: Job, leaving previous: JobStatus) throws {
        guard JobStatus.active.contains(previous), !JobStatus.active.contains(job.status) else { return }
        try db.execute(
            sql: """
                UPDATE job SET nextAttemptAt = \(woken) WHERE uuid IN (
                    SELECT uuid FROM job WHERE status = 'BLOCKED' AND nextAttemptAt >= 0
                    AND (execSystemId = ? OR (appId = ? AND appVersion = ?) OR owner = ?)
                    ORDER BY created LIMIT ?)
                """,
            arguments: [job.execSystemId, job.appId, job.appVersion, job.owner, wokenPerFreedSlot])
    }
}
