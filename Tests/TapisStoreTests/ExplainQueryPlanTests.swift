import Foundation
import Testing
import TapisCore
import TapisStore
import TapisTestSupport

/// Every listing the API and the CLI make finds an index: SQLite's plan never scans the whole job
/// table, and an ordered first page never sorts every matching row. Checked on the plans SQLite
/// really chooses for the store's own schema, so a new query or a changed index cannot silently fall
/// back to a scan (over 100,000 jobs a scan costs hundreds of milliseconds a page).
@Suite struct ExplainQueryPlanTests {
    /// One listing: its filter (Tapis GET search parameters) and order.
    struct Shape: Sendable, CustomStringConvertible {
        var label: String
        var search: [(name: String, value: String)] = []
        var order: [JobQuery.Order]? = nil
        var startAfter: String? = nil
        var startAfterSecond: String? = nil
        /// The order's second attribute is not in the index: SQLite sorts only the jobs that tie on
        /// the first (a few created in the same millisecond), as it reads them in the index's order.
        var sortsOnlyTies = false
        /// The filter is an index range that the order cannot use: SQLite sorts only the jobs that
        /// match (a name prefix), never every job.
        var sortsOnlyMatches = false

        var description: String { label }

        func query(owner: String?) throws -> JobQuery {
            var query = JobQuery(owner: owner)
            if !search.isEmpty { query.search = try JobSearch.fromQuery(search) }
            query.order = order
            query.startAfter = startAfter
            query.startAfterSecond = startAfterSecond
            return query
        }
    }

    static let shapes: [Shape] = [
        Shape(label: "list, default order"),
        Shape(label: "status", search: [("status.eq", "FAILED")]),
        Shape(label: "status in", search: [("status.in", "QUEUED,RUNNING")]),
        Shape(label: "app", search: [("appId.eq", "hello")]),
        Shape(label: "app and version", search: [("appId.eq", "hello"), ("appVersion.eq", "1.0")]),
        Shape(label: "exec system", search: [("execSystemId.eq", "local")]),
        Shape(label: "date range, created desc", search: [("created.between", "2021-07-01T00:00:00.000Z,2021-07-31T23:59:59.999Z")],
              order: [JobQuery.Order(.created, ascending: false)]),
        Shape(label: "name like, created desc", search: [("name.like", "job-*")], order: [JobQuery.Order(.created, ascending: false)], sortsOnlyMatches: true),
        Shape(label: "orderBy created asc", order: [JobQuery.Order(.created, ascending: true)]),
        Shape(label: "orderBy lastUpdated asc", order: [JobQuery.Order(.lastUpdated, ascending: true)]),
        Shape(label: "orderBy name", order: [JobQuery.Order(.name, ascending: true)]),
        Shape(label: "orderBy status", order: [JobQuery.Order(.status, ascending: false)]),
        Shape(label: "orderBy ended", order: [JobQuery.Order(.ended, ascending: false)]),
        Shape(label: "orderBy appId", order: [JobQuery.Order(.appId, ascending: true)]),
        Shape(label: "orderBy execSystemId", order: [JobQuery.Order(.execSystemId, ascending: true)]),
        Shape(label: "startAfter, created asc", order: [JobQuery.Order(.created, ascending: true)], startAfter: "2021-07-10T00:00:00.000Z"),
        Shape(label: "startAfter, created desc", order: [JobQuery.Order(.created, ascending: false)], startAfter: "2021-07-10T00:00:00.000Z"),
        Shape(label: "startAfter, name", order: [JobQuery.Order(.name, ascending: true)], startAfter: "job-20"),
        Shape(label: "web dashboard's first page", order: [JobQuery.Order(.created, ascending: false), JobQuery.Order(.uuid, ascending: false)],
              sortsOnlyTies: true),
        Shape(label: "web dashboard's cursor", order: [JobQuery.Order(.created, ascending: false), JobQuery.Order(.uuid, ascending: false)],
              startAfter: "2021-07-10T00:00:00.000Z", startAfterSecond: "00000000-0000-0000-0000-000000000000-007", sortsOnlyTies: true),
    ]

    static func store(_ directory: TemporaryDirectory) async throws -> JobStore {
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        for job in try JobSearchStoreTests.fixture() { try await store.insert(job, rawRequest: Data()) }
        return store
    }

    /// The plan's steps that read the whole table or sort the whole selection.
    static func costly(_ plan: [String]) -> [String] {
        plan.filter { $0.hasPrefix("SCAN job") || $0.contains("TEMP B-TREE FOR ORDER BY") || $0.contains("TEMP B-TREE FOR RIGHT PART") }
    }

    @Test(arguments: shapes) func aUsersListingUsesAnIndexInItsOrder(_ shape: Shape) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.store(directory)
        let plan = try await store.plan(shape.query(owner: "alice"))
        if shape.sortsOnlyTies {
            #expect(!plan.contains { $0.hasPrefix("SCAN job") || $0.contains("TEMP B-TREE FOR ORDER BY") }, "\(plan)")
            #expect(plan.first?.contains("created<?") == true || shape.startAfter == nil, "the cursor is an index range: \(plan)")
        } else if shape.sortsOnlyMatches {
            #expect(plan.first?.hasPrefix("SEARCH job USING INDEX") == true && plan.first?.contains("<?)") == true, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        } else {
            #expect(Self.costly(plan).isEmpty, "\(plan)")
        }
        #expect(plan.contains { $0.contains("USING INDEX") || $0.contains("USING COVERING INDEX") }, "\(plan)")
    }

    @Test(arguments: shapes.filter { $0.search.isEmpty }) func anAdministratorsListingOverAllOwnersUsesAnIndex(_ shape: Shape) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.store(directory)
        let plan = try await store.plan(shape.query(owner: nil))
        #expect(!plan.contains { $0.hasPrefix("SCAN job") && !$0.contains("INDEX") }, "\(plan)")
    }

    @Test(arguments: shapes.prefix(3)) func countsUseAnIndex(_ shape: Shape) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.store(directory)
        let plan = try await store.plan(shape.query(owner: "alice"), counting: true)
        #expect(!plan.contains { $0.hasPrefix("SCAN job") && !$0.contains("INDEX") }, "\(plan)")
    }
}
