import Foundation
import Hummingbird
import TapisAPI
import TapisCore
import TapisEngine

/// The apps a user may run, an app's launch form (made from its definition) and the systems.
struct AppPages: Sendable {
    let portal: WebPortal
    var services: APIServices { portal.services }

    @Sendable func list(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let apps = try await services.catalog.apps(usableBy: try context.requireCaller()).sorted { ($0.id, $0.version) < ($1.id, $1.version) }
            let rows = HTML(joining: apps.map { app in
                let state: HTML = app.isAvailable ? "" : " <span class=\"condition\">disabled</span>"
                return """
                    <tr><td><a href="/apps/\(WebPage.encoded(app.id))/\(WebPage.encoded(app.version))">\(app.id)</a>\(state)</td><td>\(app.version)</td>
                    <td>\(app.jobType ?? "FORK")</td><td>\(app.jobAttributes?.execSystemId ?? "")</td><td>\(app.description ?? "")</td></tr>
                    """
            })
            let table: HTML =
                apps.isEmpty
                ? "<p class=\"empty\">No apps you may run.</p>"
                : "<table class=\"apps\"><thead><tr><th scope=\"col\">App</th><th scope=\"col\">Version</th><th scope=\"col\">Type</th><th scope=\"col\">System</th><th scope=\"col\">Description</th></tr></thead><tbody>\(rows)</tbody></table>"
            return WebPage.response(WebPage.page("Apps", frame, "<h1>Apps</h1>\(table)"))
        }
    }

    @Sendable func launchForm(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let app = try await app(context)
            return WebPage.response(WebPage.page("Launch \(app.id)", frame, try await LaunchForm(app: app, frame: frame, queues: queues(app, context)).render()))
        }
    }

    @Sendable func launch(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let caller = try context.requireCaller()
            let form = try await portal.form(request, context)
            let app = try await app(context)
            var launch = LaunchForm(app: app, frame: frame, queues: try await queues(app, context))
            launch.values = form
            do {
                let body = try launch.request()
                let (job, _) = try await services.submitter.submit(body, by: caller)
                return WebPage.redirect("/jobs/\(WebPage.encoded(job.uuid.rawValue))", secure: portal.secure)
            } catch let error as TapisError where error.code == .badRequest || error.code == .forbidden {
                launch.error = error.message
                return WebPage.response(WebPage.page("Launch \(app.id)", frame, launch.render()), status: .badRequest)
            }
        }
    }

    private func app(_ context: TapisRequestContext) async throws -> TapisApp {
        let id = try context.parameters.require("id")
        let version = try context.parameters.require("version")
        guard let app = try await services.catalog.app(id, version: version, usableBy: try context.requireCaller()) else {
            throw TapisError(.notFound, "no app \(id) \(version) that you may run")
        }
        return app
    }

    /// The logical queues of the app's exec system, for a BATCH app.
    private func queues(_ app: TapisApp, _ context: TapisRequestContext) async throws -> [String] {
        guard (app.jobType ?? "FORK").uppercased() == "BATCH", let systemId = app.jobAttributes?.execSystemId,
            let system = try await services.catalog.system(systemId, usableBy: try context.requireCaller())
        else { return [] }
        return (system.batchLogicalQueues ?? []).map(\.name)
    }

    @Sendable func systems(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            let systems = try await services.catalog.systems(usableBy: try context.requireCaller()).values.sorted { $0.id < $1.id }
            let rows = HTML(joining: systems.map { system in
                let queues = (system.batchLogicalQueues ?? []).map { "\($0.name) (\($0.hpcQueueName))" }.joined(separator: ", ")
                return """
                    <tr><td>\(system.id)</td><td>\(system.host ?? "")</td><td>\((system.enabled ?? true) ? "enabled" : "disabled")</td>
                    <td>\((system.canExec ?? false) ? (system.batchScheduler ?? "FORK") : "storage")</td><td>\(queues)</td></tr>
                    """
            })
            let body: HTML = """
                <h1>Systems</h1><table class="systems"><thead><tr><th scope="col">System</th><th scope="col">Host</th><th scope="col">State</th>
                <th scope="col">Runs jobs with</th><th scope="col">Queues</th></tr></thead><tbody>\(rows)</tbody></table>
                """
            return WebPage.response(WebPage.page("Systems", frame, body))
        }
    }
}
