import GRDB
import TapisCore

/// Table `jobTag`: each job's tags, one row each. A tag search reads these short rows instead of
/// every job's JSON body (a 100,000-job text search otherwise reads 440 MB of JSON). Tags change
/// only when a job is stored and when it is annotated; both write them here.
enum JobTagIndex {
    static func migrate(_ db: Database) throws {
        try db.create(table: "jobTag") { table in
            table.column("uuid", .text).notNull().references("job", onDelete: .cascade)
            table.column("tag", .text).notNull()
        }
        try db.create(index: "jobTagUuid", on: "jobTag", columns: ["uuid", "tag"])
        try db.execute(sql: "INSERT INTO jobTag SELECT job.uuid, tag.value FROM job, json_each(job.body, '$.tags') AS tag")
    }

    /// Makes the index hold `tags` for job `uuid`.
    static func set(_ tags: [String], of uuid: JobUUID, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM jobTag WHERE uuid = ?", arguments: [uuid.rawValue])
        for tag in tags { try db.execute(sql: "INSERT INTO jobTag (uuid, tag) VALUES (?, ?)", arguments: [uuid.rawValue, tag]) }
    }
}
