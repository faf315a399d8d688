import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TapisAPI
import TapisCore
import TapisDaemon
import TapisEngine
import TapisStore
import TapisTestSupport
import TapisTransport
import TapisWeb
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
                ("tags", "a, b"), ("notes", #"{"project": "<i>x</i>"}"#),
            ])
            #expect(submitted.status == .seeOther)
            let location = try #require(submitted.headers[.location])
            let job = try #require(try await web.components.store.job(JobUUID(rawValue: String(location.dropFirst("/jobs/".count)))))
            #expect(job.name == "<b>sweep</b>" && job.tags == ["a", "b"] && job.owner == Self.user)
            let environment = Dictionary(job.parameterSet.envVariables.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { $1 })
            #expect(environment["GREETING"] == "hello" && environment["SLEEP_SECONDS"] == "5")
            let jobPage = String(buffer: try await web.get(location).body)
            #expect(jobPage.contains("<h1>&lt;b&gt;sweep&lt;/b&gt;</h1>") && !jobPage.contains("<b>sweep</b>") && !jobPage.contains("<i>x</i>"))
            let listed = String(buffer: try await web.get("/?q=%3Cb%3E").body)
            #expect(listed.contains("&lt;b&gt;sweep&lt;/b&gt;</a>"), "the text filter finds it, shown as text")
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
}
