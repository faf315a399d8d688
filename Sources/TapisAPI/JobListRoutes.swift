import Foundation
import Hummingbird
import TapisCore
import TapisEngine
import TapisStore

/// `/v3/jobs/list` and `/v3/jobs/search` (GET with `attr.op=value` parameters, POST with a
/// SQL-like condition list): Tapis's paging (`limit`, `skip`, `startAfter`, `orderBy`,
/// `computeTotal`), `select` and `listType`.
struct JobListRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        let jobs = router.group("v3/jobs")
        jobs.get("list", use: search)
        jobs.get("search", use: search)
        jobs.post("search", use: searchByConditions)
    }

    /// The listing, narrowed by any `attr.op=value` query parameters.
    @Sendable func search(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try await answer(request, context, search: try JobSearch.fromQuery(Self.queryItems(request)))
    }

    /// Tapis `JobSearchRequest`: `{"search": ["(status = 'FINISHED' AND name = 'x')", " OR …"]}`.
    struct Conditions: Decodable {
        var search: [String]
    }

    @Sendable func searchByConditions(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let conditions = try TapisJSON.decode(Conditions.self, from: Data(body.readableBytesView))
        return try await answer(request, context, search: try JobSearch.parse(conditions.search))
    }

    /// The page of jobs `search` selects among those the listing type lets the caller see.
    private func answer(_ request: Request, _ context: TapisRequestContext, search: JobSearch?) async throws -> Response {
        let caller = try context.requireCaller()
        let listType = request.uri.queryParameters["listType"].map { String($0).uppercased() } ?? "MY_JOBS"
        guard ["MY_JOBS", "SHARED_JOBS", "ALL_JOBS"].contains(listType) else {
            throw TapisError.invalid("listType", "must be MY_JOBS, SHARED_JOBS or ALL_JOBS")
        }
        // SHARED_JOBS: the jobs shared with the caller or one of their groups; ALL_JOBS: their own
        // and those (an administrator's: everyone's).
        var query = JobQuery(owner: listType == "SHARED_JOBS" || listType == "ALL_JOBS" && caller.isAdmin ? nil : caller.name)
        if listType == "SHARED_JOBS" || listType == "ALL_JOBS" && !caller.isAdmin { query.sharedWith = caller.grantees }
        query.search = search
        query.limit = try request.integer("limit", default: 100)
        query.skip = try request.integer("skip", default: 0)
        query.startAfter = request.uri.queryParameters["startAfter"].map(String.init)
        let orderBy = request.uri.queryParameters["orderBy"].map(String.init)
        if let orderBy { query.order = try Self.parseOrder(orderBy) }
        let selection = try JobSelection(request.uri.queryParameters["select"].map(String.init))
        let total = try request.flag("computeTotal") ? try await services.store.count(query) : -1
        let metadata = { (count: Int) in
            ListMetadata(
                recordCount: count, recordLimit: query.limit, recordsSkipped: query.skip, orderBy: orderBy, startAfter: query.startAfter,
                totalCount: total)
        }
        if selection.isSummary {
            let summaries = try await services.store.summaries(query)
            return try TapisResponse.success(
                summaries, message: "JOBS_SEARCH_RESULT \(summaries.count) job(s).", metadata: metadata(summaries.count), request: request)
        }
        let jobs = try await services.store.list(query)
        return try TapisResponse.success(
            try selection.apply(to: jobs), message: "JOBS_SEARCH_RESULT \(jobs.count) job(s).", metadata: metadata(jobs.count), request: request)
    }

    /// Every query parameter, in order.
    static func queryItems(_ request: Request) -> [(name: String, value: String)] {
        request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
    }

    /// Parses `orderBy=attr(asc|desc),attr2`.
    static func parseOrder(_ text: String) throws -> [JobQuery.Order] {
        try text.split(separator: ",").map { term in
            var name = term.trimmingCharacters(in: .whitespaces)
            var ascending = true
            if name.hasSuffix(")"), let open = name.firstIndex(of: "(") {
                let direction = name[name.index(after: open)..<name.index(before: name.endIndex)].lowercased()
                guard direction == "asc" || direction == "desc" else { throw TapisError.invalid("orderBy", "direction must be asc or desc") }
                ascending = direction == "asc"
                name = String(name[..<open])
            }
            guard let attribute = JobSearchAttribute(rawValue: name), attribute.isScalar else {
                throw TapisError.invalid("orderBy", "cannot order by \(name.debugDescription); use one of \(JobSearchAttribute.allCases.filter(\.isScalar).map(\.rawValue).joined(separator: ", "))")
            }
            return JobQuery.Order(attribute, ascending: ascending)
        }
    }
}
