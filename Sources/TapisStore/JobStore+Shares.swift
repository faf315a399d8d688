public import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// Grants `grantee` the `resources` of job `uuid`, with one `JOB_SHARE_EVENT` per resource, in
    /// one transaction (sharing a resource again keeps its first grant).
    public func share(_ uuid: JobUUID, with grantee: String, resources: [JobShareResource], grantor: String, now: Date = Job.now()) async throws {
        try await write { db in
            guard let job = try JobRecord.fetchOne(db, key: uuid.rawValue)?.decoded() else { throw TapisError(.notFound, "no job \(uuid)") }
            for resource in resources {
                try db.execute(
                    sql: "INSERT INTO jobShare (jobUuid, grantee, resource, grantor, created) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    arguments: [uuid.rawValue, grantee, resource.rawValue, grantor, now.timeIntervalSince1970])
                try Self.recordShare(db, of: job, resource: resource, grantor: grantor, grantee: grantee, shared: true, at: now)
            }
        }
    }

    /// Withdraws every share of job `uuid` with `grantee`; the resources that were shared.
    public func unshare(_ uuid: JobUUID, with grantee: String, now: Date = Job.now()) async throws -> [JobShareResource] {
        try await write { db in
            guard let job = try JobRecord.fetchOne(db, key: uuid.rawValue)?.decoded() else { throw TapisError(.notFound, "no job \(uuid)") }
            let resources = try String.fetchAll(db, sql: "SELECT resource FROM jobShare WHERE jobUuid = ? AND grantee = ?", arguments: [uuid.rawValue, grantee])
                .compactMap(JobShareResource.init)
            try db.execute(sql: "DELETE FROM jobShare WHERE jobUuid = ? AND grantee = ?", arguments: [uuid.rawValue, grantee])
            for resource in resources {
                try Self.recordShare(db, of: job, resource: resource, grantor: nil, grantee: grantee, shared: false, at: now)
            }
            return resources
        }
    }

    /// The shares of job `uuid`, by grantee and resource.
    public func shares(of uuid: JobUUID, tenant: String) async throws -> [JobShare] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobShare WHERE jobUuid = ? ORDER BY grantee, resource", arguments: [uuid.rawValue]).compactMap { row in
                JobShareResource(rawValue: row["resource"]).map { resource in
                    JobShare(
                        tenant: tenant, createdby: row["grantor"], jobUuid: row["jobUuid"], grantee: row["grantee"], jobResource: resource,
                        created: Job.timestamp(Date(timeIntervalSince1970: row["created"])))
                }
            }
        }
    }

    /// The resources of job `uuid` shared with any of `grantees`.
    public func sharedResources(of uuid: JobUUID, with grantees: [String]) async throws -> Set<JobShareResource> {
        guard !grantees.isEmpty else { return [] }
        return try await read { db in
            let request: SQLRequest<String> = "SELECT resource FROM jobShare WHERE jobUuid = \(uuid.rawValue) AND grantee IN \(grantees)"
            return Set(try request.fetchAll(db).compactMap(JobShareResource.init))
        }
    }

    private static func recordShare(_ db: Database, of job: Job, resource: JobShareResource, grantor: String?, grantee: String, shared: Bool, at now: Date) throws {
        let detail = "\(shared ? "SHARE" : "UNSHARE")_\(resource.rawValue)_READ"
        let message = "\(shared ? "Shared" : "Unshared") \(resource.rawValue) with \(grantee)."
        let data = JobEventData.share(job, resource: resource, grantor: grantor, grantee: grantee, shared: shared)
        try record(db, EventRecord(job: job.uuid, event: JobEventCategory.shareEvent.rawValue, detail: detail, description: message, data: data, at: now), of: job)
    }
}
