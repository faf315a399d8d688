public import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// What `admit` decided.
    public enum Admission: Sendable {
        /// Every limit had room: the job moved on.
        case admitted(Job)
        /// The job waits, BLOCKED: this limit is full (`active` jobs count against it).
        case blocked(Job, QuotaLimit, active: Int)
    }

    /// Moves the job to `status` if every limit in `limits` has room, and otherwise to BLOCKED (or,
    /// blocked already, gives it the new reason), all in the transaction that counts, so two jobs
    /// can never both take the last slot and a full limit costs one write.
    /// - Parameters:
    ///   - uuid: the job, in PENDING or BLOCKED.
    ///   - limits: the quotas that apply to it.
    ///   - status: where it goes when admitted.
    ///   - message: its `lastMessage` then.
    ///   - blockedMessage: its `lastMessage` when the limit it names, with this many active jobs, is full.
    public func admit(
        _ uuid: JobUUID, within limits: [QuotaLimit], to status: JobStatus, message: String,
        blockedMessage: @escaping @Sendable (QuotaLimit, Int) -> String, now: Date = Job.now()
    ) async throws -> Admission {
        try await write { db in
            for limit in limits {
                let active = try Self.countActive(db, in: limit, excluding: uuid)
                if active >= limit.max {
                    return .blocked(try Self.block(db, uuid, message: blockedMessage(limit, active), now: now), limit, active: active)
                }
            }
            return .admitted(try Self.transition(db, uuid, to: status, message: message, now: now))
        }
    }

    /// Moves a job to BLOCKED saying why; a job blocked already only gets the new reason, and none
    /// if the reason is the same.
    /// - Throws: `TapisError.notFound`; `.conflict` from a status that cannot block.
    @discardableResult
    public func block(_ uuid: JobUUID, message: String, now: Date = Job.now()) async throws -> Job {
        try await write { db in try Self.block(db, uuid, message: message, now: now) }
    }

    static func block(_ db: Database, _ uuid: JobUUID, message: String, now: Date) throws -> Job {
        guard let record = try JobRecord.fetchOne(db, key: uuid.rawValue) else { throw TapisError(.notFound, "no job \(uuid)") }
        let job = try record.decoded()
        guard job.status == .blocked else { return try transition(db, uuid, to: .blocked, message: message, now: now) }
        if job.lastMessage == message { return job }
        return try update(db, [uuid], now: now) { $0.lastMessage = message }[uuid] ?? job
    }

    private static func countActive(_ db: Database, in limit: QuotaLimit, excluding uuid: JobUUID) throws -> Int {
        var conditions = ["status IN \(JobStatus.active.sqlList)", "uuid != ?"]
        var arguments: StatementArguments = [uuid.rawValue]
        let scope: [(String, String?)] = [
            ("execSystemId", limit.execSystemId), ("appId", limit.appId), ("appVersion", limit.appVersion), ("owner", limit.owner),
            ("json_extract(body, '$.execSystemLogicalQueue')", limit.logicalQueue),
        ]
        for (column, value) in scope {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE " + conditions.joined(separator: " AND "), arguments: arguments) ?? 0
    }
}
