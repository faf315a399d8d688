import Foundation
import Hummingbird
import TapisAPI
import TapisCore
import TapisEngine
import TapisStore
import Logging
import NIOCore

/// The jobs dashboard, a job's page, its outputs and its actions.
struct JobPages: Sendable {
    let portal: WebPortal
    var services: APIServices { portal.services }

    /// The query's parameters as a form sends them (`+` is a space); the first of a repeated one.
    static func parameters(_ request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        for (name, value) in FormFields(request.uri.query ?? "").pairs where parameters[name] == nil { parameters[name] = value }
        return parameters
    }

    // MARK: the dashboard

    @Sendable func dashboard(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let caller = try context.requireCaller()
            let parameters = Self.parameters(request)
            let filter = DashboardFilter(parameters)
            let scope = filter.scope(caller)
            let now = Date()
            // The tiles count all the jobs in view by status (as tapis-ui's do), whatever the other
            // filters: each is one indexed count, never a scan per tile.
            var tiles: [HTML] = []
            for group in DashboardFilter.Group.allCases {
                var counting = scope
                counting.search = try .checked(.status, .in, group.statuses.map(\.rawValue))
                counting.includeHidden = filter.hidden
                let count = try await services.store.count(counting)
                let current: HTML = filter.group == group ? " aria-current=\"true\"" : ""
                tiles.append("<a class=\"tile \(group.rawValue)\"\(current) href=\"\(filter.link(["status": filter.group == group ? nil : group.rawValue]))\"><span class=\"count\">\(count)</span><span>\(group.label)</span></a>")
            }
            var query = try filter.query(scope: scope, group: filter.group, now: now)
            let page = max(0, Int(parameters["page"] ?? "") ?? 0)
            if filter.sort != "created" { query.skip = page * DashboardFilter.pageSize }
            let rows = try await services.store.summaries(query)
            let apps = try await services.catalog.apps(usableBy: caller).map(\.id)
            let systems = try await services.catalog.systems(usableBy: caller).keys.sorted()
            var next: HTML = ""
            if rows.count == DashboardFilter.pageSize, let last = rows.last {
                let link = filter.sort == "created" ? filter.link(["after": Job.timestamp(last.created), "afterId": last.uuid.rawValue]) : filter.link(["page": String(page + 1)])
                next = "<a class=\"next\" href=\"\(link)\" rel=\"next\">Next page</a>"
            }
            let first: HTML = filter.after != nil || page > 0 ? "<a href=\"\(filter.link())\">First page</a>" : ""
            let body: HTML = """
                <h1>Jobs</h1>
                <div class="tiles" role="group" aria-label="Jobs by status">\(tiles)</div>
                \(Self.filterForm(filter, apps: Array(Set(apps)).sorted(), systems: systems, isAdmin: caller.isAdmin))
                \(Self.table(rows, filter: filter, now: now))
                <p class="pager">\(first) \(next)</p>
                """
            return WebPage.response(WebPage.page("Jobs", frame, body))
        }
    }

    static func filterForm(_ filter: DashboardFilter, apps: [String], systems: [String], isAdmin: Bool) -> HTML {
        func options(_ values: [(String, String)], selected: String) -> HTML {
            HTML(joining: values.map { value, label in "<option value=\"\(value)\"\(value == selected ? " selected" : "")>\(label)</option>" })
        }
        let groups = [("", "Any status")] + DashboardFilter.Group.allCases.map { ($0.rawValue, $0.label) }
        let ranges = [("", "Any time"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("custom", "Between the dates")]
        let everyone: HTML = isAdmin ? "<label><input type=\"checkbox\" name=\"all\" value=\"1\"\(filter.everyone ? " checked" : "")> Everyone's jobs</label>" : ""
        return """
            <form method="get" action="/" class="filters" role="search" aria-label="Filter jobs">
            <label>Status <select name="status">\(options(groups, selected: filter.group?.rawValue ?? ""))</select></label>
            <label>App <select name="app">\(options([("", "Any app")] + apps.map { ($0, $0) }, selected: filter.app))</select></label>
            <label>System <select name="system">\(options([("", "Any system")] + systems.map { ($0, $0) }, selected: filter.system))</select></label>
            <label>Created <select name="range">\(options(ranges, selected: filter.range))</select></label>
            <label>From <input type="date" name="from" value="\(filter.from)"></label>
            <label>To <input type="date" name="to" value="\(filter.to)"></label>
            <label>Text <input type="search" name="q" value="\(filter.text)" placeholder="name, UUID or tag"></label>
            <label><input type="checkbox" name="hidden" value="1"\(filter.hidden ? " checked" : "")> Hidden jobs too</label>
            <label><input type="checkbox" name="shared" value="1"\(filter.shared ? " checked" : "")> Shared with me</label>
            \(everyone)<button type="submit">Filter</button> <a href="/">Clear</a></form>
            """
    }

    static func table(_ rows: [JobSummary], filter: DashboardFilter, now: Date) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"empty\">No jobs match.</p>" }
        let headers: [(String, String?)] = [("Name", "name"), ("App", "app"), ("System", "system"), ("Status", "status"), ("Created", "created"), ("Ended", "ended"), ("Run time", nil)]
        let head = HTML(joining: headers.map { label, column in
            guard let column else { return "<th scope=\"col\">\(label)</th>" }
            let current = filter.sort == column
            let ascending = current ? !filter.ascending : column == "name"
            let sort: HTML = current ? " aria-sort=\"\(filter.ascending ? "ascending" : "descending")\"" : ""
            return "<th scope=\"col\"\(sort)><a href=\"\(filter.link(["sort": column, "dir": ascending ? "asc" : "desc"]))\">\(label)</a></th>"
        })
        let body = HTML(joining: rows.map { job in
            let runTime = job.remoteStarted.map { WebPage.duration((job.ended ?? now).timeIntervalSince($0)) } ?? ""
            let condition: HTML = job.condition.map { " <span class=\"condition\">\($0.rawValue)</span>" } ?? ""
            return """
                <tr><td><a href="/jobs/\(WebPage.encoded(job.uuid.rawValue))">\(job.name)</a></td><td>\(job.appId) \(job.appVersion)</td>
                <td>\(job.execSystemId)</td><td><span class="status \(job.status.rawValue.lowercased())">\(job.status.rawValue)</span>\(condition)</td>
                <td>\(WebPage.date(job.created))</td><td>\(WebPage.date(job.ended))</td><td>\(runTime)</td></tr>
                """
        })
        return "<table class=\"jobs\"><caption class=\"visually-hidden\">Jobs</caption><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }

    // MARK: one job

    @Sendable func job(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let caller = try context.requireCaller()
            let job = try await services.job(try context.parameters.require("uuid"), readableBy: caller, .history)
            let eventsSeen = try await services.store.latestEventId()
            let history = try await services.store.history(job.uuid, limit: 1000)
            let owns = caller.mayAccess(jobOwnedBy: job.owner)
            let readsOutputs = owns ? true : try await services.store.sharedResources(of: job.uuid, with: caller.grantees).contains(.output)
            let log = readsOutputs ? await Self.tail(of: job, services: services) : nil
            var outputs: HTML = ""
            if job.status.isTerminal, readsOutputs, let files = try? await services.outputs.list(job, path: "", allowIfRunning: false) {
                outputs = "<section aria-labelledby=\"outputs\"><h2 id=\"outputs\">Outputs</h2>\(Self.listing(files, job: job, path: ""))</section>"
            }
            let body = HTML(joining: [JobView(job: job, history: history, log: log, frame: frame, eventsSeen: eventsSeen, mayAct: owns).render(), outputs])
            return WebPage.response(WebPage.page(job.name, frame, body, live: !job.status.isTerminal))
        }
    }

    /// The last 16 KB of the job's standard output, once there is one.
    static func tail(of job: Job, services: APIServices) async -> String? {
        guard let download = try? await services.outputs.tail(job, path: job.parameterSet.logConfig.stdoutFilename, bytes: 16_384) else { return nil }
        var bytes: [UInt8] = []
        do {
            try await download.stream { bytes += $0 }
        } catch {
            return nil
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The tail of the job's output as plain text, which the page reads again while the job runs.
    @Sendable func logTail(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let job = try await services.job(try context.parameters.require("uuid"), readableBy: try context.requireCaller(), .output)
            var headers = WebPage.securityHeaders
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: await Self.tail(of: job, services: services) ?? "")))
        }
    }

    @Sendable func events(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let job = try await services.job(try context.parameters.require("uuid"), readableBy: try context.requireCaller(), .history)
            return try EventStreamRoutes(services: services).jobStream(job, request: request)
        }
    }

    // MARK: outputs

    @Sendable func outputs(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let job = try await services.job(try context.parameters.require("uuid"), readableBy: try context.requireCaller(), .output)
            let path = Self.parameters(request)["path"] ?? ""
            let files = try await services.outputs.list(job, path: path, allowIfRunning: true)
            let body: HTML = """
                <p><a href="/jobs/\(WebPage.encoded(job.uuid.rawValue))">← \(job.name)</a></p><h1>Outputs: /\(path)</h1>
                \(Self.listing(files, job: job, path: path))
                """
            return WebPage.response(WebPage.page("Outputs of \(job.name)", frame, body))
        }
    }

    static func listing(_ files: [RemoteFile], job: Job, path: String) -> HTML {
        let base = "/jobs/\(WebPage.encoded(job.uuid.rawValue))"
        let rows = HTML(joining: files.map { file in
            let child = path.isEmpty ? file.name : path + "/" + file.name
            let link: HTML =
                (file.type == "dir")
                ? "<a href=\"\(base)/outputs?path=\(WebPage.encoded(child))\">\(file.name)/</a>"
                : "<a href=\"\(base)/download?path=\(WebPage.encoded(child))\" download>\(file.name)</a>"
            let zip: HTML = (file.type == "dir") ? "<a href=\"\(base)/download?path=\(WebPage.encoded(child))&amp;zip=1\">zip</a>" : ""
            return "<tr><td>\(link)</td><td class=\"size\">\((file.type == "dir") ? "" : ByteCountFormatter.string(fromByteCount: file.size, countStyle: .file))</td><td>\(zip)</td></tr>"
        })
        let all: HTML = "<p><a href=\"\(base)/download?path=\(WebPage.encoded(path))&amp;zip=1\">Download all as a zip</a></p>"
        guard !files.isEmpty else { return "<p class=\"empty\">No files.</p>" }
        return "<table class=\"files\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Size</th><th scope=\"col\"></th></tr></thead><tbody>\(rows)</tbody></table>\(all)"
    }

    @Sendable func download(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let job = try await services.job(try context.parameters.require("uuid"), readableBy: try context.requireCaller(), .output)
            let parameters = Self.parameters(request)
            let download = try await services.outputs.download(job, path: parameters["path"] ?? "", allowIfRunning: true, compress: parameters["zip"] == "1")
            return OutputRoutes.response(download, logger: context.logger)
        }
    }

    // MARK: actions

    @Sendable func act(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let caller = try context.requireCaller()
            let form = try await portal.form(request, context)
            let job = try await services.job(try context.parameters.require("uuid"), visibleTo: caller)
            let page = "/jobs/\(WebPage.encoded(job.uuid.rawValue))"
            switch try context.parameters.require("action") {
            case "cancel":
                _ = try await services.store.requestCancel(job.uuid)
            case "hide", "unhide":
                try await services.store.setVisible(job.uuid, request.uri.path.hasSuffix("/unhide"))
            case "resubmit":
                guard let body = try await services.store.rawRequest(job.uuid) else { throw TapisError(.notFound, "job \(job.uuid) has no stored request to resubmit") }
                let (copy, _) = try await services.submitter.submit(body, by: caller)
                return WebPage.redirect("/jobs/\(WebPage.encoded(copy.uuid.rawValue))", secure: portal.secure)
            case "annotations":
                let tags = AnnotationFields.lines(form["tags"] ?? "")
                let notes = try AnnotationFields.notes(form["notes"] ?? "") ?? [:]
                let annotations = JobAnnotations(tags: tags, notes: notes)
                try annotations.validate()
                try await services.store.annotate(job.uuid, tags: annotations.tags, notes: annotations.notes, replace: true)
            default:
                throw TapisError(.notFound, "there is no such action on a job")
            }
            return WebPage.redirect(page, secure: portal.secure)
        }
    }
}
