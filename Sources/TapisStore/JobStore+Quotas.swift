public import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// What `admit` decided.
    public enum Admission: Sendable {
        /// Every limit had room: the job moved on.
        case admitted(Job)
        /// The job waits: this limit is full (`active` jobs count against it).
        case full(QuotaLimit, active: Int)
    }

    /// Moves the job to `status` if every limit in `limits` has room, in the same transaction as
    /// the count, so two jobs can never both take the last slot.
    /// - Parameters:
    ///   - uuid: the job, in PENDING or BLOCKED.
    ///   - limits: the quotas that apply to it.
    ///   - status: where it goes when admitted.
    ///   - message: its `lastMessage` then.
    public func admit(_ uuid: JobUUID, within limits: [QuotaLimit], to status: JobStatus, message: String, now: Date = Job.now()) async throws -> Admission {
        try await write { db in
            for limit in limits {
                let active = try Self.countActive(db, in: limit, excluding: uuid)
                if active >= limit.max { return .full(limit, active: active) }
            }
            return .admitted(try Self.transition(db, uuid, to: status, message: message, now: now))
        }
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
