import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import TapisAPI
import TapisCore
import TapisDaemon
import TapisEngine
import TapisStore
import TapisTestSupport
import TapisTransport
@testable import TapisWeb
import Testing

/// The web page in-process (Hummingbird's test client) on the daemon's own wiring over a real
/// store: sessions, CSRF, escaping, the launch form's request and its refusals. The engine does not
/// run, so submitted jobs stay PENDING. (Tests/python/test_web.py drives a real browser.)
@Suite(.timeLimit(.minutes(1))) struct WebPortalTests {
    static let user = "nobody"

    struct Web: Sendable {
        let client: any TestClientProtocol
        let components: DaemonComponents
        let cookie: String
        let directory: TemporaryDirectory

        func get(_ uri: String, cookie: String? = nil) async throws -> TestResponse {
            var headers = HTTPFields()
            headers[.cookie] = cookie ?? self.cookie
            return try await client.execute(uri: uri, method: .get, headers: headers)
        }

        func post(_ uri: String, form: [(String, String)], headers extra: HTTPFields = [:]) async throws -> TestResponse {
            var headers = extra
            headers[.cookie] = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            let body = form.map { "\($0.0)=\(WebPortalTests.encoded($0.1))" }.joined(separator: "&")
            return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        }

        /// The CSRF value the session's pages carry.
        func csrf() async throws -> String {
            let page = String(buffer: try await get("/").body)
            let marker = "name=\"_csrf\" value=\""
            let start = try #require(page.range(of: marker)).upperBound
            return String(page[start...].prefix { $0 != "\"" })
        }
    }

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    static func withWeb(_ body: @escaping @Sendable (Web) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("tapisd-web")
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("app"), withIntermediateDirectories: true)
        var configuration = DaemonConfiguration()
        configuration.stateDirectory = directory.file("state")
        configuration.systemsDirectory = directory.file("none")
        configuration.appsDirectory = directory.file("none")
        let me = try LocalTransport(login: UserAccount.withUID(geteuid())!.name)
        var logger = Logger(label: "web-test")
        logger.logLevel = .critical
        let components = try DaemonComponents(configuration, logger: logger, transports: TransportFactory { _, _ in me })
        var app = TapisApp(id: "hello", version: "1")
        app.jobType = "FORK"
        app.containerImage = directory.file("app/app.tgz")
        var attributes = TapisApp.JobAttributes()
        attributes.execSystemId = "local"
        attributes.nodeCount = 1
        attributes.parameterSet = AppParameterSet()
        attributes.parameterSet?.envVariables = [KeyValuePair(key: "GREETING", value: "hi")]
        attributes.parameterSet?.appArgs = [
            AppArgSpec(name: "verbose", inputMode: "INCLUDE_BY_DEFAULT", arg: "--verbose"), AppArgSpec(name: "debug", arg: "--debug"),
        ]
        app.jobAttributes = attributes
        try await components.catalog.create(app, by: try components.api.users.caller(name: "root"))
        let token = try await components.api.tokens.mint(for: user, lifetime: 600).token
        let router = buildRouter(components.api, identification: .token)
        try WebPortal(services: components.api, secure: false, keyPath: directory.file("web.key")).register(on: router)
        try await Application(router: router).test(.router) { client in
            try await body(Web(client: client, components: components, cookie: "tapisd_session=\(token)", directory: directory))
        }
    }

    @Test func pagesNeedASessionAndAnswerWithStrictHeaders() async throws {
        try await Self.withWeb { web in
            let anonymous = try await web.get("/jobs/x-007", cookie: "")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login?next=/jobs/x-007")
            let forged = try await web.get("/", cookie: "tapisd_session=not.a.token")
            #expect(forged.status == .seeOther)
            let page = try await web.get("/")
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"))
            #expect(String(buffer: page.body).contains("<span class=\"who\">\(Self.user)</span>"))
            let api = try await web.get("/v3/jobs/list")
            #expect(api.status == .unauthorized, "the API takes tokens in X-Tapis-Token, never the page's cookie")
            for path in ["//v3/systems/schedulerProfile", "//v3//jobs/list"] {
                #expect(try await web.get(path, cookie: "").status == .unauthorized, "\(path) is an API path: it needs a token")
            }
        }
    }

    @Test func aLoginFromAnotherSiteIsRefused() async throws {
        try await Self.withWeb { web in
            for (name, value) in [("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example")] {
                var headers = HTTPFields()
                headers[HTTPField.Name(name)!] = value
                let refused = try await web.post("/login", form: [("username", "nobody"), ("password", "x")], headers: headers)
                #expect(refused.status == .forbidden && refused.headers[.setCookie] == nil, "\(name)")
            }
            for forged in ["//evil.example/x", "/%09/evil.example", "/%5Cevil.example", "https://evil.example"] {
                let next = try await web.get("/login?next=\(forged)", cookie: "")
                #expect(!String(buffer: next.body).contains("evil.example"), "only this site's paths are kept to return to: \(forged)")
            }
        }
    }

    @Test func everyFormNeedsTheSessionsCSRFValue() async throws {
        try await Self.withWeb { web in
            let launched = try await web.post("/apps/hello/1", form: [("name", "no-csrf")])
            #expect(launched.status == .forbidden && String(buffer: launched.body).contains("out of date or did not come from this site"))
            let logout = try await web.post("/logout", form: [("_csrf", String(repeating: "0", count: 64))])
            #expect(logout.status == .forbidden)
            #expect(try await web.components.store.count(.init(owner: nil)) == 0)
        }
    }

    @Test func theLaunchFormBecomesTheRequestAndARefusalNamesItsField() async throws {
        try await Self.withWeb { web in
            let csrf = try await web.csrf()
            let form = String(buffer: try await web.get("/apps/hello/1").body)
            #expect(form.contains("<code>GREETING</code>") && form.contains("value=\"hi\""))
            let refused = try await web.post("/apps/hello/1", form: [("_csrf", csrf), ("name", "sweep"), ("nodeCount", "many")])
            let page = String(buffer: refused.body)
            #expect(refused.status == .badRequest && page.contains("id=\"error-nodeCount\"") && page.contains("value=\"sweep\""), "the form keeps what was typed")
            let tooBig = try await web.post("/apps/hello/1", form: [("_csrf", csrf), ("name", "sweep"), ("maxMinutes", "0"), ("memoryMB", "-5")])
            #expect(tooBig.status == .badRequest && String(buffer: tooBig.body).contains("class=\"field-error\""))
            let submitted = try await web.post("/apps/hello/1", form: [
                ("_csrf", csrf), ("name", "<b>sweep</b>"), ("env-0", "hello"), ("extra-key-0", "SLEEP_SECONDS"), ("extra-value-0", "5"),
                ("tags", "a, b\nc\n\n"), ("notes", #"{"project": "<i>x</i>"}"#), ("arg-1-include", "1"),
            ])
            #expect(submitted.status == .seeOther)
            let location = try #require(submitted.headers[.location])
            let job = try #require(try await web.components.store.job(JobUUID(rawValue: String(location.dropFirst("/jobs/".count)))))
            #expect(job.name == "<b>sweep</b>" && job.tags == ["a, b", "c"] && job.owner == Self.user, "tags go one a line")
            #expect(job.parameterSet.appArgs.map(\.arg) == ["--debug"], "an unticked optional argument is left out, a ticked one is in")
            let environment = Dictionary(job.parameterSet.envVariables.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { $1 })
            #expect(environment["GREETING"] == "hello" && environment["SLEEP_SECONDS"] == "5")
            let jobPage = String(buffer: try await web.get(location).body)
            #expect(jobPage.contains("<h1>&lt;b&gt;sweep&lt;/b&gt;</h1>") && !jobPage.contains("<b>sweep</b>") && !jobPage.contains("<i>x</i>"))
            let listed = String(buffer: try await web.get("/?q=%3Cb%3E").body)
            #expect(listed.contains("&lt;b&gt;sweep&lt;/b&gt;</a>"), "the text filter finds it, shown as text")
            let spaced = String(buffer: try await web.get("/?q=no+such+job&from=2001-01-01").body)
            #expect(spaced.contains("value=\"no such job\"") && spaced.contains("No jobs match."), "a form's + is a space; dates count without range=custom")
            let live = String(buffer: try await web.get(location).body)
            #expect(live.contains("/events?since=\(try await web.components.store.latestEventId())\""), "the live stream starts after the history shown")
        }
    }

    @Test func aBadFilterIsAPageThatSaysWhy() async throws {
        try await Self.withWeb { web in
            let page = try await web.get("/?range=custom&from=yesterday")
            #expect(page.status == .badRequest && String(buffer: page.body).contains("from: &quot;yesterday&quot; is not a date (YYYY-MM-DD)"))
            let missing = try await web.get("/jobs/5d3a-007")
            #expect(missing.status == .notFound && String(buffer: missing.body).contains("<h1>Not found</h1>"))
        }
    }

    @Test func theDashboardPagesWithACursorThatBreaksTiesByUUID() async throws {
        try await Self.withWeb { web in
            // A page and one more, all created in the same millisecond.
            let created = Job.now()
            for index in 0..<(DashboardFilter.pageSize + 1) {
                var job = try SampleJob.make(owner: Self.user)
                job.name = "job-\(index)"
                job.created = created
                try await web.components.store.insert(job, rawRequest: Data())
            }
            let first = String(buffer: try await web.get("/").body)
            let marker = "class=\"next\" href=\""
            let start = try #require(first.range(of: marker)).upperBound
            let next = String(first[start...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            #expect(next.contains("after=") && next.contains("afterId="))
            let second = String(buffer: try await web.get(next).body)
            #expect(second.components(separatedBy: "<tr><td><a href=\"/jobs/").count - 1 == 1, "the second page holds the one job left")
        }
    }

    @Test func aJobSharedWithTheViewerIsListedAndReadOnly() async throws {
        try await Self.withWeb { web in
            var job = try SampleJob.make(owner: "someone-else")
            job.name = "their-run"
            try await web.components.store.insert(job, rawRequest: Data())
            let path = "/jobs/\(job.uuid.rawValue)"
            #expect(try await web.get(path).status == .notFound, "not shared yet")
            try await web.components.store.share(job.uuid, with: Self.user, resources: [.history], grantor: "someone-else")
            #expect(!String(buffer: try await web.get("/").body).contains("their-run"), "their own jobs by default")
            #expect(String(buffer: try await web.get("/?shared=1").body).contains("their-run</a>"))
            let page = String(buffer: try await web.get(path).body)
            #expect(page.contains("Shared with you by someone-else") && !page.contains("/cancel\"") && !page.contains("/annotations\""), "read-only")
            #expect(try await web.get(path + "/outputs").status == .notFound, "history only, not its outputs")
            let csrf = try await web.csrf()
            #expect(try await web.post(path + "/cancel", form: [("_csrf", csrf)]).status == .notFound)
        }
    }

    @Test func aSessionIdlesOutUnlessAPersonUsesIt() async {
        let activity = SessionActivity(capacity: 100)
        let start = Date()
        #expect(await activity.check("a", isUse: true, now: start).live)
        // The open page's own fetches do not count as uses...
        #expect(await activity.check("a", isUse: false, now: start + WebSession.idleLimit - 60).live)
        let ended = await activity.check("a", isUse: false, now: start + WebSession.idleLimit + 1)
        #expect(!ended.live && ended.idle == ["a"], "...so a page left open ends its session")
        // Idle sessions dropped to bound the table are handed back to be revoked, never forgotten.
        for index in 0...100 { _ = await activity.check("s\(index)", isUse: true, now: start) }
        let pruned = await activity.check("fresh", isUse: true, now: start + WebSession.idleLimit + 1)
        #expect(pruned.live && pruned.idle.count == 101)
    }

    @Test func csrfValuesAndFileNamesAreHandledExactly() {
        #expect(WebSession.matches("abc", csrf: "abc") && !WebSession.matches("abd", csrf: "abc") && !WebSession.matches("ab", csrf: "abc"))
        #expect(WebSession.cookie(secure: true) == "__Host-tapisd_session" && WebSession.setCookie("t", lifetime: 5, secure: true).hasPrefix("__Host-tapisd_session=t; Path=/"))
        #expect(OutputRoutes.disposition("out.txt") == #"attachment; filename="out.txt""#)
        #expect(OutputRoutes.disposition(#"a"b\c é.txt"#) == #"attachment; filename="a_b_c _.txt"; filename*=UTF-8''a%22b%5Cc%20%C3%A9.txt"#)
    }

    @Test func aFailureInsideTheDaemonIsNotShownToTheBrowser() {
        struct Secret: Error { let path = "/var/lib/tapisd/jobs.sqlite" }
        let (page, status) = WebPage.failurePage(Secret(), nil, logger: Logger(label: "test"))
        #expect(status == .internalServerError && page.markup.contains("tapisd failed to handle the request") && !page.markup.contains("jobs.sqlite"))
        let (inside, _) = WebPage.failurePage(TapisError(.internal, "database disk image is malformed"), nil, logger: Logger(label: "test"))
        #expect(!inside.markup.contains("malformed"))
    }
}
