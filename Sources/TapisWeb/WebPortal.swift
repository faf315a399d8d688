import Crypto
import Foundation
public import Hummingbird
public import TapisAPI
import TapisCore
import TapisEngine
import TapisStore
import TapisTransport

/// The web page, served on the TCP listener at `/` (the API stays under `/v3`): log in with the
/// password of this host, the jobs dashboard, a job's page with its outputs and live events, the
/// apps with their launch forms, the systems. Every page calls the same services as the API, so
/// ownership and validation are the API's own.
public struct WebPortal: Sendable {
    let services: APIServices
    /// Whether the listener speaks TLS (the session cookie is then `Secure`).
    let secure: Bool
    let formKey: SymmetricKey
    let activity = SessionActivity()

    /// - Parameter keyPath: the key that CSRF values are derived from (made there at the first start).
    public init(services: APIServices, secure: Bool, keyPath: String) throws {
        self.services = services
        self.secure = secure
        formKey = SymmetricKey(data: try PrivateFile.secret(at: keyPath, purpose: "web form key"))
    }

    public func register(on router: Router<TapisRequestContext>) {
        let login = LoginPage(portal: self)
        router.get("login", use: login.show)
        router.post("login", use: login.submit)
        router.get("assets/:name", use: WebAssets.serve)
        let pages = router.group().add(middleware: WebSessionMiddleware(portal: self))
        pages.post("logout", use: login.logout)
        let jobs = JobPages(portal: self)
        pages.get("/", use: jobs.dashboard)
        pages.get("jobs/:uuid", use: jobs.job)
        pages.get("jobs/:uuid/events", use: jobs.events)
        pages.get("jobs/:uuid/tail", use: jobs.logTail)
        pages.get("jobs/:uuid/outputs", use: jobs.outputs)
        pages.get("jobs/:uuid/download", use: jobs.download)
        pages.post("jobs/:uuid/:action", use: jobs.act)
        let apps = AppPages(portal: self)
        pages.get("apps", use: apps.list)
        pages.get("apps/:id/:version", use: apps.launchForm)
        pages.post("apps/:id/:version", use: apps.launch)
        pages.get("systems", use: apps.systems)
    }

    /// The live session a request carries, if any: a valid token, used within the idle limit
    /// (an idle one is revoked here). With `isUse`, the request counts as a use of the session.
    func session(of request: Request, isUse: Bool = true) async -> (username: String, session: BrowserSession)? {
        guard let token = WebSession.token(in: request, secure: secure), let (username, jti) = try? await services.tokens.holder(of: token) else { return nil }
        let (live, idle) = await activity.check(jti, isUse: isUse)
        for stale in idle { _ = try? await services.store.revokeToken(stale, of: nil) }
        guard live else { return nil }
        return (username, BrowserSession(jti: jti, csrf: WebSession.csrf(jti: jti, key: formKey)))
    }

    /// Whether a request is one an open page makes by itself (its live events, its log's tail),
    /// which does not count as a use of the session.
    static func isBackground(_ request: Request) -> Bool {
        let segments = request.uri.path.split(separator: "/")
        return request.method == .get && segments.count == 3 && segments[0] == "jobs" && ["events", "tail"].contains(segments[2])
    }

    /// A posted form, once its CSRF value matched the session's.
    /// - Throws: `TapisError.forbidden` for a missing or wrong value.
    func form(_ request: Request, _ context: TapisRequestContext) async throws -> FormFields {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let fields = FormFields(String(decoding: body.readableBytesView, as: UTF8.self))
        guard let session = context.browserSession, let sent = fields["_csrf"], WebSession.matches(sent, csrf: session.csrf) else {
            throw TapisError(.forbidden, "this form is out of date or did not come from this site; reload the page and try again")
        }
        return fields
    }

    /// What every page's frame needs of the request.
    func frame(_ context: TapisRequestContext) throws -> WebPage.Frame {
        let caller = try context.requireCaller()
        return WebPage.Frame(user: caller.name, isAdmin: caller.isAdmin, csrf: context.browserSession?.csrf ?? "", logger: context.logger)
    }
}
