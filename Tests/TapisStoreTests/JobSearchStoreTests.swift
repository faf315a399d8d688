import Foundation
import Testing
import TapisCore
import TapisStore
import TapisTestSupport

/// Acceptance of search, ordering and paging: a table of queries over 50 stored jobs, each query's
/// answer decided independently in Swift from the fixture.
@Suite struct JobSearchStoreTests {
    /// 2021-07-01T00:00:00Z.
    static let july1: TimeInterval = 1_625_097_600

    static func date(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    /// 50 jobs: three owners, every kind of status, four apps, 1–6 nodes, tags, created every 12 hours
    /// from July 1 2021 (with milliseconds), `lastUpdated` in another order, one hidden job.
    static func fixture() throws -> [Job] {
        let statuses: [JobStatus] = [.finished, .failed, .running, .queued, .pending, .cancelled, .finished]
        var app = TapisApp(id: "hello", version: "1.0")
        app.containerImage = "/apps/hello.tgz"
        var system = TapisSystem(id: "local")
        system.jobWorkingDir = "/work"
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.execSystemId = "local"
        return try (0..<50).map { i in
            var job = try JobResolver(
                request: request, app: app, systems: ["local": system], owner: ["alice", "bob", "carol"][i % 3], tenant: "t", uuid: .random(),
                now: Job.now()
            ).resolve()
            job.name = i == 49 ? "o'brien" : i % 5 == 0 ? "Sim_\(i)" : "job-" + (i < 10 ? "0" : "") + String(i)
            job.status = statuses[i % 7]
            job.appId = ["sleep", "hello", "hello-mpi", "hello"][i % 4]
            job.appVersion = i % 2 == 0 ? "1.0" : "2.0"
            job.nodeCount = i % 6 + 1
            job.coresPerNode = i % 3 + 1
            job.memoryMB = 100 * (i % 5 + 1)
            job.tags = [["gpu", "test"], ["cpu"], []][i % 3] + (i % 10 == 0 ? ["nightly"] : []) + (i == 7 ? [#"say "hi"\now"#] : [])
            job.created = Date(timeIntervalSince1970: july1 + Double(i) * 43_200 + Double(i % 4) * 0.125)
            job.lastUpdated = Date(timeIntervalSince1970: july1 + 5_000_000 + Double((i * 17) % 50) * 3600)
            if ![.pending, .queued].contains(job.status) {
                job.remoteJobId = String(1000 + i)
                job.remoteStarted = job.created.addingTimeInterval(300)
            }
            if job.status.isTerminal {
                job.ended = job.created.addingTimeInterval(3600)
                job.condition = job.status == .finished ? .normalCompletion : .internalError
            }
            job.mpi = i % 4 == 1 ? true : nil
            job.blockedCount = i % 3
            job.visible = i != 48
            return job
        }
    }

    /// One query of the table.
    struct Case: Sendable {
        enum Search: Sendable {
            case none
            case get([(name: String, value: String)])
            case post([String])
        }

        var label: String
        var search: Search
        var owner: String? = nil
        var includeHidden = false
        var order: [JobQuery.Order]? = nil
        var limit = 100
        var skip = 0
        var startAfter: String? = nil
        /// The jobs the search selects, decided in Swift.
        var matches: @Sendable (Job) -> Bool
        /// The order of the page, in Swift; nil compares the answer as a set.
        var sorted: (@Sendable (Job, Job) -> Bool)? = nil
        /// The jobs `startAfter` keeps, in Swift.
        var after: @Sendable (Job) -> Bool = { _ in true }

        func query() throws -> JobQuery {
            var query = JobQuery(owner: owner)
            switch search {
            case .none: break
            case .get(let items): query.search = try JobSearch.fromQuery(items)
            case .post(let strings): query.search = try JobSearch.parse(strings)
            }
            query.includeHidden = includeHidden
            query.order = order
            query.limit = limit
            query.skip = skip
            query.startAfter = startAfter
            return query
        }

        /// The jobs the filter selects, before paging.
        func selected(_ jobs: [Job]) -> [Job] {
            jobs.filter { (includeHidden || $0.visible) && (owner == nil || $0.owner == owner) && matches($0) }
        }

        /// The names of the expected page.
        func page(_ jobs: [Job]) -> [String] {
            let kept = selected(jobs).filter(after)
            guard let sorted else { return kept.map(\.name).sorted() }
            return kept.sorted(by: sorted).dropFirst(skip).prefix(limit).map(\.name)
        }
    }

    static func by<T: Comparable & Sendable>(_ key: @escaping @Sendable (Job) -> T, ascending: Bool = true) -> @Sendable (Job, Job) -> Bool {
        { a, b in
            // Ties go by lastUpdated in the same direction (the fixture's are all different).
            key(a) == key(b) ? (ascending ? a.lastUpdated < b.lastUpdated : a.lastUpdated > b.lastUpdated) : ascending ? key(a) < key(b) : key(a) > key(b)
        }
    }

    static func cases() throws -> [Case] {
        let july5 = try date("2021-07-05T00:00:00Z")
        let july10 = try date("2021-07-10T00:00:00Z")
        let july20 = try date("2021-07-20T00:00:00Z")
        let july3 = try date("2021-07-03T00:00:00Z")
        let july12 = try date("2021-07-12T00:00:00Z")
        let jobs = try fixture()
        let job20Created = jobs[20].created
        return [
            Case(label: "GET eq", search: .get([("status.eq", "FINISHED")]), matches: { $0.status == .finished }),
            Case(label: "GET neq", search: .get([("status.neq", "FINISHED")]), matches: { $0.status != .finished }),
            Case(label: "GET gt", search: .get([("nodeCount.gt", "4")]), matches: { $0.nodeCount > 4 }),
            Case(
                label: "GET gte and eq", search: .get([("nodeCount.gte", "4"), ("owner.eq", "bob")]),
                matches: { $0.nodeCount >= 4 && $0.owner == "bob" }),
            Case(label: "GET lt on the body", search: .get([("coresPerNode.lt", "2")]), matches: { $0.coresPerNode < 2 }),
            Case(label: "GET lte on the body", search: .get([("memoryMB.lte", "200")]), matches: { $0.memoryMB <= 200 }),
            Case(label: "GET in", search: .get([("appId.in", "sleep,hello-mpi")]), matches: { ["sleep", "hello-mpi"].contains($0.appId) }),
            Case(label: "GET nin", search: .get([("appId.nin", "sleep,hello-mpi")]), matches: { !["sleep", "hello-mpi"].contains($0.appId) }),
            Case(label: "GET like", search: .get([("name.like", "job-1*")]), matches: { $0.name.hasPrefix("job-1") }),
            Case(
                label: "GET nlike with one-character wildcard", search: .get([("name.nlike", "job-!3")]),
                matches: { !($0.name.count == 6 && $0.name.hasPrefix("job-") && $0.name.hasSuffix("3")) }),
            Case(label: "GET like: _ is literal", search: .get([("name.like", "Sim_*")]), matches: { $0.name.hasPrefix("Sim_") }),
            Case(label: "GET like is case-sensitive", search: .get([("name.like", "sim*")]), matches: { $0.name.hasPrefix("sim") }),
            Case(
                label: "GET between dates", search: .get([("created.between", "2021-07-05,2021-07-10")]),
                matches: { $0.created >= july5 && $0.created <= july10 }),
            Case(
                label: "GET nbetween dates", search: .get([("created.nbetween", "2021-07-05,2021-07-10")]),
                matches: { !($0.created >= july5 && $0.created <= july10) }),
            Case(
                label: "GET gt on a nullable date column", search: .get([("ended.gt", "2021-07-15T00:00:00Z")]),
                matches: { $0.ended.map { $0 > july5.addingTimeInterval(10 * 86_400) } ?? false }),
            Case(
                label: "GET lt on a body date", search: .get([("remoteStarted.lt", "2021-07-10T12:00:00.000Z")]),
                matches: { $0.remoteStarted.map { $0 < july10.addingTimeInterval(43_200) } ?? false }),
            Case(label: "GET tags eq", search: .get([("tags.eq", "gpu")]), matches: { $0.tags.contains("gpu") }),
            Case(
                label: "GET tags nin", search: .get([("tags.nin", "gpu,nightly")]),
                matches: { !$0.tags.contains("gpu") && !$0.tags.contains("nightly") }),
            Case(label: "GET tags like", search: .get([("tags.like", "n*")]), matches: { $0.tags.contains { $0.hasPrefix("n") } }),
            Case(label: "GET tags like, inside", search: .get([("tags.like", "*igh*")]), matches: { $0.tags.contains { $0.contains("igh") } }),
            Case(
                label: "GET tags like, a quote and a backslash (as JSON escapes them)", search: .get([("tags.like", #"*"hi"\n*"#)]),
                matches: { $0.tags.contains { $0.contains(#""hi"\n"#) } }),
            Case(label: "GET tags eq, quoted", search: .get([("tags.eq", #"say "hi"\now"#)]), matches: { $0.tags.contains(#"say "hi"\now"#) }),
            Case(label: "GET tags nlike, inside", search: .get([("tags.nlike", "*igh*")]), matches: { !$0.tags.contains { $0.contains("igh") } }),
            Case(label: "GET neq keeps jobs without a value", search: .get([("remoteJobId.neq", "1003")]), matches: { $0.remoteJobId != "1003" }),
            Case(
                label: "GET bare attribute and a body boolean", search: .get([("status", "RUNNING"), ("mpi.eq", "true")]),
                matches: { $0.status == .running && $0.mpi == true }),
            Case(
                label: "GET three conditions and an owner", search: .get([("status.in", "FINISHED,FAILED"), ("nodeCount.gte", "2")]), owner: "alice",
                matches: { [.finished, .failed].contains($0.status) && $0.nodeCount >= 2 }),
            Case(
                label: "POST AND inside OR", search: .post(["(status = 'FINISHED' AND nodeCount > 2)", " OR (tags IN ('nightly'))"]),
                matches: { ($0.status == .finished && $0.nodeCount > 2) || $0.tags.contains("nightly") }),
            Case(
                label: "POST precedence", search: .post(["owner = 'bob' OR owner = 'carol' AND nodeCount <= 2"]),
                matches: { $0.owner == "bob" || ($0.owner == "carol" && $0.nodeCount <= 2) }),
            Case(
                label: "POST NOT LIKE group and gte date", search: .post(["NOT (appId LIKE 'hello%') AND created >= '2021-07-20'"]),
                matches: { !$0.appId.hasPrefix("hello") && $0.created >= july20 }),
            Case(label: "POST IS NULL", search: .post(["remoteJobId IS NULL"]), matches: { $0.remoteJobId == nil }),
            Case(
                label: "POST IS NOT NULL, <> and lt on a nullable date",
                search: .post(["remoteJobId is not null and status <> 'RUNNING' and ended < '2021-07-20T00:00:00Z'"]),
                matches: { $0.remoteJobId != nil && $0.status != .running && ($0.ended.map { $0 < july20 } ?? false) }),
            Case(
                label: "POST NOT BETWEEN and !=", search: .post(["nodeCount NOT BETWEEN 2 AND 5 AND appVersion != '1.0'"]),
                matches: { !(2...5).contains($0.nodeCount) && $0.appVersion != "1.0" }),
            Case(
                label: "POST BETWEEN on a body date", search: .post(["memoryMB < 300 AND remoteStarted BETWEEN '2021-07-03' AND '2021-07-12'"]),
                matches: { job in
                    job.memoryMB < 300 && (job.remoteStarted.map { $0 >= july3 && $0 <= july12 } ?? false)
                }),
            Case(label: "POST quoted quote", search: .post(["name = 'o''brien'"]), matches: { $0.name == "o'brien" }),
            Case(
                label: "POST injection is a value", search: .post(["name = 'x''; DROP TABLE job; --'"]),
                matches: { $0.name == "x'; DROP TABLE job; --" }),
            Case(
                label: "POST eq on a date column to the millisecond", search: .post(["created = '2021-07-02T12:00:00.375Z'"]),
                matches: { $0.created == Date(timeIntervalSince1970: july1 + 129_600.375) }),
            Case(
                label: "POST tags NOT LIKE and <>", search: .post(["tags NOT LIKE 'g*' AND tags <> 'cpu'"]),
                matches: { !$0.tags.contains { $0.hasPrefix("g") } && !$0.tags.contains("cpu") }),
            Case(
                label: "POST NOT IN and NOT LIKE", search: .post(["status NOT IN ('PENDING', 'queued') AND name NOT LIKE 'Sim%'"]),
                matches: { ![.pending, .queued].contains($0.status) && !$0.name.hasPrefix("Sim") }),
            Case(
                label: "POST integers in the body", search: .post(["blockedCount = 2 AND coresPerNode >= 2"]),
                matches: { $0.blockedCount == 2 && $0.coresPerNode >= 2 }),
            Case(label: "POST hidden jobs stay hidden", search: .post(["visible = FALSE"]), matches: { !$0.visible }),
            Case(label: "POST hidden jobs on request", search: .post(["visible = FALSE"]), includeHidden: true, matches: { !$0.visible }),
            Case(
                label: "owner filter with a tag", search: .get([("tags.eq", "cpu")]), owner: "bob", matches: { $0.tags.contains("cpu") }),
            Case(
                label: "default order is lastUpdated descending", search: .get([("status.eq", "FAILED")]),
                matches: { $0.status == .failed }, sorted: by({ $0.lastUpdated }, ascending: false)),
            Case(
                label: "order by created, first page", search: .none, order: [.init(.created, ascending: true)], limit: 5,
                matches: { _ in true }, sorted: by { $0.created }),
            Case(
                label: "order by created, skip", search: .none, order: [.init(.created, ascending: true)], skip: 45,
                matches: { _ in true }, sorted: by { $0.created }),
            Case(
                label: "startAfter a date, descending", search: .none, order: [.init(.created, ascending: false)], limit: 10,
                startAfter: Job.timestamp(job20Created), matches: { _ in true }, sorted: by({ $0.created }, ascending: false),
                after: { $0.created < job20Created }),
            Case(
                label: "startAfter a name with a search", search: .get([("owner.eq", "alice")]), order: [.init(.name, ascending: true)], limit: 5,
                startAfter: "job-20", matches: { $0.owner == "alice" }, sorted: by { $0.name }, after: { $0.name > "job-20" }),
            Case(
                label: "two order terms", search: .none, order: [.init(.nodeCount, ascending: false), .init(.name, ascending: true)], limit: 8,
                matches: { _ in true }, sorted: { a, b in a.nodeCount != b.nodeCount ? a.nodeCount > b.nodeCount : a.name < b.name }),
            Case(
                label: "startAfter on a body integer, ties by lastUpdated", search: .none, order: [.init(.coresPerNode, ascending: true)], limit: 6,
                startAfter: "1", matches: { _ in true }, sorted: by { $0.coresPerNode }, after: { $0.coresPerNode > 1 }),
            Case(
                label: "startAfter on a nullable body date, descending: jobs without one come last", search: .none,
                order: [.init(.remoteStarted, ascending: false)], startAfter: "2021-07-20",
                matches: { _ in true },
                sorted: { a, b in
                    switch (a.remoteStarted, b.remoteStarted) {
                    case (let x?, let y?): return x > y
                    case (.some, nil): return true
                    case (nil, .some): return false
                    case (nil, nil): return a.lastUpdated > b.lastUpdated
                    }
                },
                after: { $0.remoteStarted.map { $0 < july20 } ?? true }),
        ]
    }

    @Test func everyQueryOfTheTableAnswersExactlyItsJobsAndCountsThem() async throws {
        let directory = try TemporaryDirectory("tapisd-search")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        let jobs = try Self.fixture()
        for job in jobs { try await store.insert(job, rawRequest: Data()) }
        let cases = try Self.cases()
        #expect(cases.count >= 25)
        for row in cases {
            let query = try row.query()
            let listed = try await store.list(query)
            let names = listed.map(\.name)
            let expected = row.page(jobs)
            #expect((row.sorted == nil ? names.sorted() : names) == expected, "\(row.label)")
            // The summaries read from columns are the summaries of the whole jobs, as the API writes them.
            let summaries = try await store.summaries(query)
            #expect(try TapisJSON.encoder().encode(summaries) == TapisJSON.encoder().encode(listed.map(JobSummary.init)), "summaries: \(row.label)")
            #expect(try await store.count(query) == row.selected(jobs).count, "computeTotal: \(row.label)")
        }
        var everything = JobQuery(owner: nil)
        everything.includeHidden = true
        #expect(try await store.count(everything) == 50, "no search ran as SQL")
    }

    @Test func everySelectionIsNonTrivial() throws {
        let jobs = try Self.fixture()
        let empty = try Self.cases().filter { $0.selected(jobs).isEmpty }.map(\.label)
        #expect(empty == ["GET like is case-sensitive", "POST injection is a value", "POST hidden jobs stay hidden"])
    }

    @Test func pagingRulesAreTapiss() async throws {
        let directory = try TemporaryDirectory("tapisd-search")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        var query = JobQuery(owner: nil)
        query.startAfter = "x"
        let needsOrder = "requires orderBy: the page starts after the job whose first orderBy attribute has this value"
        await #expect(throws: TapisError.invalid("startAfter", needsOrder)) { try await store.list(query) }
        query.order = [.init(.name, ascending: true)]
        query.skip = 1
        await #expect(throws: TapisError.invalid("startAfter", "cannot be combined with skip; use one or the other")) { try await store.list(query) }
        query.skip = 0
        query.order = [.init(.nodeCount, ascending: true)]
        await #expect(throws: TapisError.invalid("search", "nodeCount value 'x' is not a whole number")) { try await store.list(query) }
        query.startAfter = nil
        query.order = [.init(.tags, ascending: true)]
        await #expect(throws: TapisError.invalid("orderBy", "tags is a list; jobs cannot be ordered by it")) { try await store.list(query) }
    }

    @Test func aTwoValueCursorPagesThroughJobsCreatedInTheSameMillisecond() async throws {
        let directory = try TemporaryDirectory("tapisd-search")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        // 50 jobs in groups of 7 that share their created time: a cursor of the created time alone
        // would skip the rest of a group that a page boundary cuts.
        var jobs = try Self.fixture()
        for index in jobs.indices { jobs[index].created = Date(timeIntervalSince1970: Self.july1 + Double(index / 7)) }
        for job in jobs { try await store.insert(job, rawRequest: Data()) }
        var query = JobQuery(owner: nil)
        query.includeHidden = true
        query.order = [.init(.created, ascending: false), .init(.uuid, ascending: false)]
        query.limit = 6
        var seen: [JobUUID] = []
        while true {
            let page = try await store.summaries(query)
            seen += page.map(\.uuid)
            guard page.count == query.limit, let last = page.last else { break }
            query.startAfter = Job.timestamp(last.created)
            query.startAfterSecond = last.uuid.rawValue
        }
        #expect(seen.count == jobs.count && Set(seen) == Set(jobs.map(\.uuid)))
        let expected = jobs.sorted { ($0.created, $0.uuid.rawValue) > ($1.created, $1.uuid.rawValue) }.map(\.uuid)
        #expect(seen == expected)
        query.order = [.init(.created, ascending: false)]
        await #expect(throws: TapisError.invalid("startAfter", "a second cursor value needs a second orderBy attribute")) { try await store.list(query) }
    }

    @Test func handBuiltSearchesAreCheckedToo() async throws {
        let directory = try TemporaryDirectory("tapisd-search")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        var query = JobQuery(owner: nil)
        query.search = .condition(attribute: .nodeCount, op: .between, values: ["1"])
        await #expect(throws: TapisError.invalid("search", "nodeCount.between takes exactly 2 value(s), not 1")) { try await store.list(query) }
        query.search = .or([.isNull(.tags)])
        await #expect(throws: TapisError.invalid("search", "tags is a list and cannot be tested for null")) { try await store.count(query) }
        query.search = .and([])
        #expect(try await store.count(query) == 0)
    }
}
