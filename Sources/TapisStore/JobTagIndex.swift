import GRDB

/// Table `jobTag`: each job's tags, one row each, kept by triggers from the `tags` of the job's
/// JSON body. A tag search reads these short rows instead of every job's body (a 100,000-job text
/// search otherwise reads 440 MB of JSON).
enum JobTagIndex {
    static func migrate(_ db: Database) throws {
        try db.create(table: "jobTag") { table in
            table.column("uuid", .text).notNull().references("job", onDelete: .cascade)
            table.column("tag", .text).notNull()
        }
        try db.create(index: "jobTagUuid", on: "jobTag", columns: ["uuid", "tag"])
        try db.execute(sql: """
            INSERT INTO jobTag SELECT job.uuid, tag.value FROM job, json_each(job.body, '$.tags') AS tag;
            CREATE TRIGGER jobTagInsert AFTER INSERT ON job BEGIN
                INSERT INTO jobTag SELECT new.uuid, value FROM json_each(new.body, '$.tags');
            END;
            CREATE TRIGGER jobTagUpdate AFTER UPDATE OF body ON job
                WHEN json_extract(old.body, '$.tags') IS NOT json_extract(new.body, '$.tags') BEGIN
                DELETE FROM jobTag WHERE uuid = old.uuid;
                INSERT INTO jobTag SELECT new.uuid, value FROM json_each(new.body, '$.tags');
            END;
            """)
    }
}
