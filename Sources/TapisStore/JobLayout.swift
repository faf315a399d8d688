import GRDB
import TapisCore

/// Table `job` as listings and the engine read it: the columns they filter and order on first and
/// the JSON body last, so that scanning a row never reads the body's overflow pages; dates in whole
/// milliseconds (the precision of job timestamps) so that indexes serve date filters and orders.
enum JobLayout {
    /// The listing indexes: one per column a listing orders or filters on, each after the owner and
    /// `visible` (every user listing fixes both) and before `lastUpdated` (the default order, and
    /// every order's tie-break), plus the administrator's listings over all owners.
    /// `ExplainQueryPlanTests` checks that each listing the API makes finds one.
    static let listingIndexes: [(name: String, columns: [String])] = [
        ("jobOwnerUpdated", ["owner", "visible", "lastUpdated"]),
        ("jobOwnerCreated", ["owner", "visible", "created", "lastUpdated"]),
        ("jobOwnerEnded", ["owner", "visible", "ended", "lastUpdated"]),
        ("jobOwnerStatus", ["owner", "visible", "status", "lastUpdated"]),
        ("jobOwnerName", ["owner", "visible", "name", "lastUpdated"]),
        ("jobOwnerApp", ["owner", "visible", "appId", "lastUpdated"]),
        ("jobOwnerSystem", ["owner", "visible", "execSystemId", "lastUpdated"]),
        ("jobUpdated", ["visible", "lastUpdated"]),
        ("jobCreated", ["visible", "created", "lastUpdated"]),
    ]

    static func migrate(_ db: Database) throws {
        try db.create(table: "jobV4") { table in
            table.primaryKey("uuid", .text)
            table.column("owner", .text).notNull()
            table.column("name", .text).notNull()
            table.column("status", .text).notNull()
            table.column("appId", .text).notNull()
            table.column("appVersion", .text).notNull()
            table.column("execSystemId", .text).notNull()
            table.column("created", .integer).notNull()
            table.column("lastUpdated", .integer).notNull()
            table.column("ended", .integer)
            table.column("visible", .boolean).notNull().defaults(to: true)
            table.column("cancelRequested", .boolean).notNull().defaults(to: false)
            table.column("leaseOwner", .text)
            table.column("leaseExpiry", .double)
            table.column("nextAttemptAt", .double).notNull().defaults(to: 0)
            table.column("submitAttempts", .integer).notNull().defaults(to: 0)
            table.column("body", .text).notNull()
        }
        let milliseconds = { (column: String) in "CAST(ROUND(\(column) * 1000) AS INTEGER)" }
        try db.execute(sql: """
            INSERT INTO jobV4 SELECT uuid, owner, name, status, appId, appVersion, execSystemId,
                \(milliseconds("created")), \(milliseconds("lastUpdated")), \(milliseconds("ended")), visible,
                cancelRequested, leaseOwner, leaseExpiry, nextAttemptAt, 0, body FROM job
            """)
        try db.drop(table: "job")
        try db.rename(table: "jobV4", to: "job")
        for (name, columns) in listingIndexes { try db.create(index: name, on: "job", columns: columns) }
        // The executing jobs the engine polls, and the blocked jobs a freed slot wakes, oldest first.
        try db.create(index: "jobStatus", on: "job", columns: ["status", "created"])
        // What the engine claims: jobs that have not ended, by when they are due.
        try db.execute(sql: "CREATE INDEX jobDue ON job(nextAttemptAt, created) WHERE status NOT IN \(JobStatus.terminal.sqlList)")
    }
}
