import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// How many jobs the store holds in each status (statuses with none are left out).
    public func jobCountsByStatus() async throws -> [JobStatus: Int] {
        try await read { db in
            var counts: [JobStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM job GROUP BY status") {
                if let status = JobStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// The bytes the store takes on disk: its file and its write-ahead log.
    public var diskBytes: Int64 {
        [pool.path, pool.path + "-wal"].reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0)
        }
    }
}
