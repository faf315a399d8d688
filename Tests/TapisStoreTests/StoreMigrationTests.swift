import Foundation
import GRDB
import Testing
import TapisCore
import TapisStore
import TapisTestSupport

/// A store written by a daemon before the v4 job layout (dates as REAL seconds, the body in the
/// middle of the row, no listing indexes) opens, migrates and keeps every job, event and request.
@Suite struct StoreMigrationTests {
    /// The schema migrations v1 to v3 left, as SQLite holds it.
    static let v3Schema = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES ('v1-job'), ('v2-scheduler-profile'), ('v3-token');
        CREATE TABLE job (uuid TEXT PRIMARY KEY NOT NULL, owner TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
            appId TEXT NOT NULL, appVersion TEXT NOT NULL, execSystemId TEXT NOT NULL, created DOUBLE NOT NULL,
            lastUpdated DOUBLE NOT NULL, ended DOUBLE, visible BOOLEAN NOT NULL DEFAULT 1, body TEXT NOT NULL,
            cancelRequested BOOLEAN NOT NULL DEFAULT 0, leaseOwner TEXT, leaseExpiry DOUBLE, nextAttemptAt DOUBLE NOT NULL DEFAULT 0);
        CREATE INDEX job_on_owner ON job(owner);
        CREATE INDEX job_on_status ON job(status);
        CREATE TABLE jobEvent (id INTEGER PRIMARY KEY AUTOINCREMENT, jobUuid TEXT NOT NULL REFERENCES job(uuid) ON DELETE CASCADE,
            event TEXT NOT NULL, eventDetail TEXT NOT NULL, description TEXT NOT NULL, created DOUBLE NOT NULL);
        CREATE INDEX jobEvent_on_jobUuid ON jobEvent(jobUuid);
        CREATE TABLE jobResubmit (jobUuid TEXT PRIMARY KEY NOT NULL REFERENCES job(uuid) ON DELETE CASCADE, request TEXT NOT NULL);
        CREATE TABLE system (id TEXT PRIMARY KEY NOT NULL, owner TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TABLE app (id TEXT NOT NULL, version TEXT NOT NULL, owner TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (id, version));
        CREATE TABLE schedulerProfile (name TEXT PRIMARY KEY NOT NULL, owner TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TABLE token (jti TEXT PRIMARY KEY NOT NULL, username TEXT NOT NULL, created DOUBLE NOT NULL, expires DOUBLE NOT NULL, revoked DOUBLE);
        CREATE INDEX token_on_username ON token(username);
        """

    @Test func aV3StoreMigratesKeepingEveryJobWithItsDatesHistoryAndRequest() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("jobs.sqlite")
        let jobs = try Array(JobSearchStoreTests.fixture().prefix(12))
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(sql: Self.v3Schema)
            for (index, job) in jobs.enumerated() {
                let body = String(decoding: try TapisJSON.encoder().encode(job), as: UTF8.self)
                try db.execute(
                    sql: """
                        INSERT INTO job (uuid, owner, name, status, appId, appVersion, execSystemId, created, lastUpdated, ended,
                            visible, body, cancelRequested, nextAttemptAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        job.uuid.rawValue, job.owner, job.name, job.status.rawValue, job.appId, job.appVersion, job.execSystemId,
                        job.created.timeIntervalSince1970, job.lastUpdated.timeIntervalSince1970, job.ended?.timeIntervalSince1970,
                        job.visible, body, index == 3, 0,
                    ])
                try db.execute(
                    sql: "INSERT INTO jobEvent (jobUuid, event, eventDetail, description, created) VALUES (?, 'JOB_NEW_STATUS', ?, 'created', ?)",
                    arguments: [job.uuid.rawValue, job.status.rawValue, job.created.timeIntervalSince1970])
                try db.execute(sql: "INSERT INTO jobResubmit (jobUuid, request) VALUES (?, ?)", arguments: [job.uuid.rawValue, #"{"name":"\#(job.name)"}"#])
            }
        }
        try old.close()

        let store = try JobStore(path: path)
        for job in jobs {
            let migrated = try #require(try await store.job(job.uuid))
            #expect(migrated == job)
            #expect(try await store.history(job.uuid).count == 1)
            #expect(try await store.rawRequest(job.uuid) == Data(#"{"name":"\#(job.name)"}"#.utf8))
        }
        var byCreated = JobQuery(owner: nil)
        byCreated.includeHidden = true
        byCreated.order = [JobQuery.Order(.created, ascending: false)]
        #expect(try await store.list(byCreated).map(\.uuid) == jobs.sorted { $0.created > $1.created }.map(\.uuid))
        var window = byCreated
        window.search = try JobSearch.fromQuery([("created.between", "2021-07-02T00:00:00.000Z,2021-07-03T23:59:59.999Z")])
        #expect(try await store.list(window).map(\.uuid) == jobs.filter {
            $0.created >= Date(timeIntervalSince1970: JobSearchStoreTests.july1 + 86_400) && $0.created < Date(timeIntervalSince1970: JobSearchStoreTests.july1 + 3 * 86_400)
        }.sorted { $0.created > $1.created }.map(\.uuid))
        #expect(try await store.plan(JobQuery(owner: "alice")).contains { $0.contains("INDEX jobOwnerUpdated") })
        // The tags of jobs stored before the tag index are in it, and it follows later changes.
        var tagged = byCreated
        tagged.search = try JobSearch.fromQuery([("tags.eq", "gpu")])
        #expect(try await store.list(tagged).map(\.uuid) == jobs.filter { $0.tags.contains("gpu") }.sorted { $0.created > $1.created }.map(\.uuid))
        let retagged = try #require(jobs.first { $0.tags.contains("gpu") })
        _ = try await store.annotate(retagged.uuid, tags: ["cpu-only"], notes: nil, replace: true)
        #expect(try await !store.list(tagged).map(\.uuid).contains(retagged.uuid))
        tagged.search = try JobSearch.fromQuery([("tags.like", "cpu-*")])
        #expect(try await store.list(tagged).map(\.uuid) == [retagged.uuid])
    }
}
