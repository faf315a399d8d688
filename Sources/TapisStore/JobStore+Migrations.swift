import GRDB
import TapisCore

extension JobStore {
    /// Refuses a store a newer tapisd migrated (after a downgrade): this version would misread it.
    /// - Throws: `TapisError.conflict` naming the migrations it does not know.
    static func refuseNewer(_ pool: DatabasePool, path: String) throws {
        let unknown = try pool.read { db in
            try migrator.hasBeenSuperseded(db) ? try migrator.appliedIdentifiers(db).subtracting(migrator.migrations) : []
        }
        guard unknown.isEmpty else {
            throw TapisError(
                .conflict,
                "the job store \(path) was written by a newer tapisd (schema \(unknown.sorted().joined(separator: ", ")), which this one does not know); install that version again, or restore a backup taken before the upgrade")
        }
    }

    /// The schema, as append-only migrations: never edit one that has shipped; add the next.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-job") { db in
            try db.create(table: "job") { table in
                table.primaryKey("uuid", .text)
                table.column("owner", .text).notNull().indexed()
                table.column("name", .text).notNull()
                table.column("status", .text).notNull().indexed()
                table.column("appId", .text).notNull()
                table.column("appVersion", .text).notNull()
                table.column("execSystemId", .text).notNull()
                table.column("created", .double).notNull()
                table.column("lastUpdated", .double).notNull()
                table.column("ended", .double)
                table.column("visible", .boolean).notNull().defaults(to: true)
                table.column("body", .text).notNull()
                table.column("cancelRequested", .boolean).notNull().defaults(to: false)
                table.column("leaseOwner", .text)
                table.column("leaseExpiry", .double)
                table.column("nextAttemptAt", .double).notNull().defaults(to: 0)
            }
            try db.create(table: "jobEvent") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("jobUuid", .text).notNull().indexed().references("job", onDelete: .cascade)
                table.column("event", .text).notNull()
                table.column("eventDetail", .text).notNull()
                table.column("description", .text).notNull()
                table.column("created", .double).notNull()
            }
            try db.create(table: "jobResubmit") { table in
                table.primaryKey("jobUuid", .text).references("job", onDelete: .cascade)
                table.column("request", .text).notNull()
            }
            try db.create(table: "system") { table in
                table.primaryKey("id", .text)
                table.column("owner", .text).notNull()
                table.column("body", .text).notNull()
            }
            try db.create(table: "app") { table in
                table.column("id", .text).notNull()
                table.column("version", .text).notNull()
                table.column("owner", .text).notNull()
                table.column("body", .text).notNull()
                table.primaryKey(["id", "version"])
            }
        }
        migrator.registerMigration("v2-scheduler-profile") { db in
            try db.create(table: "schedulerProfile") { table in
                table.primaryKey("name", .text)
                table.column("owner", .text).notNull()
                table.column("body", .text).notNull()
            }
        }
        migrator.registerMigration("v3-token") { db in
            try db.create(table: "token") { table in
                table.primaryKey("jti", .text)
                table.column("username", .text).notNull().indexed()
                table.column("created", .double).notNull()
                table.column("expires", .double).notNull()
                table.column("revoked", .double)
            }
        }
        migrator.registerMigration("v4-job-layout", migrate: JobLayout.migrate)
        migrator.registerMigration("v5-oauth-client") { db in
            try db.create(table: "oauthClient") { table in
                table.primaryKey("clientId", .text)
                table.column("secretHash", .text).notNull()
                table.column("description", .text).notNull()
                table.column("createdBy", .text).notNull()
                table.column("created", .double).notNull()
            }
            try db.alter(table: "token") { table in
                table.add(column: "type", .text).notNull().defaults(to: "access")
                table.add(column: "clientId", .text)
            }
        }
        migrator.registerMigration("v6-notifications") { db in
            try db.alter(table: "jobEvent") { table in
                table.add(column: "uuid", .text)
                table.add(column: "seq", .integer)
                table.add(column: "data", .text)
            }
            try db.create(table: "subscription") { table in
                table.primaryKey("uuid", .text)
                table.column("jobUuid", .text).notNull().indexed().references("job", onDelete: .cascade)
                table.column("owner", .text).notNull()
                table.column("tenant", .text).notNull()
                table.column("name", .text).notNull()
                table.column("description", .text)
                table.column("enabled", .boolean).notNull()
                table.column("category", .text).notNull()
                table.column("targets", .text).notNull()
                table.column("ttlMinutes", .integer).notNull()
                table.column("expiry", .double).notNull()
                table.column("created", .double).notNull()
                table.column("updated", .double).notNull()
            }
            try db.create(table: "delivery") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("uuid", .text).notNull().unique()
                table.column("eventId", .integer).notNull().references("jobEvent", onDelete: .cascade)
                table.column("jobUuid", .text).notNull()
                table.column("subscriptionUuid", .text).notNull().indexed()
                table.column("subscriptionName", .text).notNull()
                table.column("owner", .text).notNull()
                table.column("tenant", .text).notNull()
                table.column("method", .text).notNull()
                table.column("address", .text).notNull()
                table.column("state", .text).notNull()
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("nextAttempt", .double).notNull()
                table.column("lastAttempt", .double)
                table.column("lastOutcome", .text)
                table.column("created", .double).notNull()
            }
            try db.create(index: "deliveryDue", on: "delivery", columns: ["nextAttempt"], condition: Column("state") == "pending")
            try db.create(index: "deliveryChain", on: "delivery", columns: ["jobUuid", "address", "id"], condition: Column("state") == "pending")
            try db.create(table: "webhookSecret") { table in
                table.primaryKey("username", .text)
                table.column("generation", .integer).notNull()
            }
        }
        migrator.registerMigration("v7-job-tags", migrate: JobTagIndex.migrate)
        migrator.registerMigration("v8-credential") { db in
            try db.create(table: "credential") { table in
                table.column("systemId", .text).notNull()
                table.column("username", .text).notNull()
                table.column("loginUser", .text)
                table.column("sealed", .blob).notNull()
                table.column("updated", .double).notNull()
                table.primaryKey(["systemId", "username"])
            }
            try db.create(table: "credentialKey") { table in
                table.primaryKey("id", .integer)
                table.column("check", .text).notNull()
            }
        }
        migrator.registerMigration("v9-job-share") { db in
            try db.create(table: "jobShare") { table in
                table.column("jobUuid", .text).notNull().references("job", onDelete: .cascade)
                table.column("grantee", .text).notNull()
                table.column("resource", .text).notNull()
                table.column("grantor", .text).notNull()
                table.column("created", .double).notNull()
                table.primaryKey(["jobUuid", "grantee", "resource"])
            }
            try db.create(index: "jobShareGrantee", on: "jobShare", columns: ["grantee", "jobUuid"])
        }
        return migrator
    }
}
