import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TapisAPI
import TapisCore
import TapisDaemon
import TapisTestSupport
import TapisTransport
import Testing

/// Logging in on the TCP router in-process, through the host's real PAM and the test bed's
/// accounts: the tenant tapipy finds, password and refresh grants, OAuth clients, the one answer
/// every refusal gets, bad bodies, and CORS.
@Suite(.timeLimit(.minutes(2))) struct LoginRouterTests {
    static let bob = "tapis-bob"

    /// Runs `body` with a client of the TCP router (configured by `adjust`) and a root token.
    static func withAPI(
        _ adjust: (inout DaemonConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, _ rootToken: String, _ password: String) async throws -> Void
    ) async throws {
        let password = try SSHTestbed.running().password
        let directory = try TemporaryDirectory("tapisd-login")
        defer { directory.remove() }
        var configuration = DaemonConfiguration()
        configuration.stateDirectory = directory.file("state")
        configuration.systemsDirectory = directory.file("none")
        configuration.appsDirectory = directory.file("none")
        adjust(&configuration)
        var logger = Logger(label: "login-test")
        logger.logLevel = .critical
        try TestSigningKey.install(for: configuration)
        let components = try DaemonComponents(configuration, logger: logger)
        let root = try await components.api.tokens.mint(for: "root", lifetime: 600).token
        let app = Application(router: buildRouter(components.api, identification: .token, corsOrigins: configuration.corsOrigins))
        try await app.test(.router) { client in try await body(client, root, password) }
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any])
    }

    static func body(_ object: [String: String]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    static func headers(token: String? = nil, basic: (String, String)? = nil, type: String = "application/json") -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = type
        if let token { fields[HTTPField.Name("X-Tapis-Token")!] = token }
        if let (id, key) = basic { fields[.authorization] = "Basic " + Data("\(id):\(key)".utf8).base64EncodedString() }
        return fields
    }

    /// A password login; the answer's status and envelope.
    static func login(_ client: any TestClientProtocol, _ user: String, _ password: String, basic: (String, String)? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(
            uri: "/v3/oauth2/tokens", method: .post, headers: headers(basic: basic),
            body: try body(["grant_type": "password", "username": user, "password": password])
        ) { ($0.status, try json($0.body)) }
    }

    static func token(_ envelope: [String: Any], _ kind: String) -> String? {
        ((envelope["result"] as? [String: Any])?[kind] as? [String: Any])?[kind] as? String
    }

    @Test func theTenantsBaseURLIsTheAddressTheClientUsedAndNothingHostileIsEchoed() {
        let tenancy = TenantSettings(tenant: "tapisd", publicURL: "https://gateway.example.org")
        let cases: [(String?, String)] = [
            ("127.0.0.1:8443", "http://127.0.0.1:8443"), ("localhost:8443", "http://localhost:8443"), ("[::1]:8443", "http://[::1]:8443"),
            ("gateway.example.org", "https://gateway.example.org"), ("GATEWAY.example.org", "https://gateway.example.org"),
            ("evil\"><script>", "https://gateway.example.org"), ("a b", "https://gateway.example.org"), ("x/y", "https://gateway.example.org"),
            (nil, "https://gateway.example.org"), (String(repeating: "a", count: 300), "https://gateway.example.org"),
        ]
        for (authority, expected) in cases {
            #expect(tenancy.baseURL(authority: authority, scheme: "http") == expected, "\(authority ?? "no Host")")
        }
        #expect(TenantSettings(tenant: "tapisd").baseURL(authority: nil, scheme: "https") == "https://localhost")
    }

    @Test func sitesAndTenantsNeedNoTokenAndPublishTheKey() async throws {
        try await Self.withAPI { client, _, _ in
            for path in ["/v3/tenants", "/v3/sites"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok && response.headers[.contentType] == "application/json", "\(path)")
                    let first = try #require((try Self.json(response.body)["result"] as? [[String: Any]])?.first)
                    #expect(first["base_url"] as? String == "http://localhost" && first["site_id"] as? String == "tapisd")
                    if path == "/v3/tenants" {
                        #expect(first["tenant_id"] as? String == "tapisd")
                        #expect((first["public_key"] as? String)?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true)
                    }
                }
            }
            try await client.execute(uri: "/v3/tenants/tapisd", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v3/tenants/other", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v3/tenants/tapisd/extra", method: .get) { #expect($0.status == .unauthorized, "only the tenant paths are open") }
        }
    }

    @Test func aPasswordLoginGivesATokenAndEveryRefusalTheSameAnswerAndTime() async throws {
        try await Self.withAPI { client, _, password in
            let (status, envelope) = try await Self.login(client, Self.bob, password)
            #expect(status == .created && envelope["message"] as? String == "Token created successfully.")
            let token = try #require(Self.token(envelope, "access_token"))
            #expect(Self.token(envelope, "refresh_token") == nil, "no client, no refresh token (Tapis's rule)")
            try await client.execute(uri: "/v3/jobs/list", method: .get, headers: Self.headers(token: token)) { #expect($0.status == .ok) }

            var answers: Set<String> = []
            for (user, guess) in [(Self.bob, "wrong"), ("no-such-user", password), ("tapis-locked", password), ("tapis-expired", password), ("root", password)] {
                let started = ContinuousClock.now
                let (status, envelope) = try await Self.login(client, user, guess)
                let took = ContinuousClock.now - started
                #expect(status == .unauthorized, "\(user)")
                answers.insert(envelope["message"] as? String ?? "")
                // Padded to the same second (what PAM takes is below it); only the floor is checked
                // here, as the suite shares the machine with everything else.
                #expect(took >= .milliseconds(950), "\(user): \(took)")
            }
            #expect(answers == [LoginService.refusal.message], "one answer for every refusal")
        }
    }

    @Test func theLoginGroupAndAMissingPAMServiceRefuseWithTheirOwnAnswers() async throws {
        try await Self.withAPI({ $0.loginGroup = "tapis-bob" }) { client, _, password in
            let (status, _) = try await Self.login(client, Self.bob, password)
            #expect(status == .created, "a member of the login group logs in")
        }
        try await Self.withAPI({ $0.loginGroup = "root" }) { client, _, password in
            let (status, envelope) = try await Self.login(client, Self.bob, password)
            #expect(status == .unauthorized && envelope["message"] as? String == LoginService.refusal.message, "outside it, the one refusal")
        }
        let missing = try await PasswordCheck(service: "tapisd-no-such-service").check(user: Self.bob, password: "x", source: nil)
        guard case .failed(let reason) = missing else {
            Issue.record("a missing PAM service must not fall back to PAM's other service: \(missing)")
            return
        }
        #expect(reason.contains("/etc/pam.d/tapisd-no-such-service is missing"))
    }

    @Test func aClientsLoginIsRefreshedOnceAndOnlyByThatClient() async throws {
        try await Self.withAPI { client, root, password in
            let bobToken = try #require(Self.token(try await Self.login(client, Self.bob, password).1, "access_token"))
            try await client.execute(uri: "/v3/oauth2/clients", method: .post, headers: Self.headers(token: bobToken), body: try Self.body(["client_id": "mine"])) {
                #expect($0.status == .forbidden, "only administrators register clients")
            }
            let key = try await client.execute(uri: "/v3/oauth2/clients", method: .post, headers: Self.headers(token: root), body: try Self.body(["client_id": "portal"])) { response in
                #expect(response.status == .created)
                return try #require((try Self.json(response.body)["result"] as? [String: Any])?["client_key"] as? String)
            }
            try await client.execute(uri: "/v3/oauth2/clients", method: .get, headers: Self.headers(token: root)) { response in
                #expect(!String(buffer: response.body).contains(key), "the key is never shown again")
            }
            let (_, wrongClient) = try await Self.login(client, Self.bob, password, basic: ("portal", "not-the-key"))
            #expect(wrongClient["message"] as? String == "the OAuth client's id or key is wrong")
            let (status, envelope) = try await Self.login(client, Self.bob, password, basic: ("portal", key))
            #expect(status == .created)
            let refresh = try #require(Self.token(envelope, "refresh_token"))

            func spend(_ token: String, basic: (String, String)?) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(
                    uri: "/v3/oauth2/tokens", method: .post, headers: Self.headers(basic: basic), body: try Self.body(["grant_type": "refresh_token", "refresh_token": token])
                ) { ($0.status, try Self.json($0.body)) }
            }
            #expect(try await spend(refresh, basic: nil).0 == .unauthorized, "a refresh needs the client's credentials")
            try await client.execute(uri: "/v3/oauth2/clients", method: .post, headers: Self.headers(token: root), body: try Self.body(["client_id": "other"])) { _ in }
            #expect(try await spend(refresh, basic: ("other", key)).0 == .unauthorized)
            let (refreshed, pair) = try await spend(refresh, basic: ("portal", key))
            #expect(refreshed == .created)
            let access = try #require(Self.token(pair, "access_token"))
            try await client.execute(uri: "/v3/jobs/list", method: .get, headers: Self.headers(token: access)) { #expect($0.status == .ok) }
            #expect(try await spend(refresh, basic: ("portal", key)).1["message"] as? String == "the refresh token was already used or has been revoked; log in again")
            #expect(try await spend(access, basic: ("portal", key)).0 == .unauthorized, "an access token refreshes nothing")
            let next = try #require(Self.token(pair, "refresh_token"))
            try await client.execute(uri: "/v3/oauth2/clients/portal", method: .delete, headers: Self.headers(token: root)) { #expect($0.status == .ok) }
            #expect(try await spend(next, basic: ("portal", key)).0 == .unauthorized, "a deleted client's refresh tokens are void")
        }
    }

    @Test func aLoginStormIsHeldBackWhileEveryoneElseIsServed() async throws {
        try await Self.withAPI { client, root, _ in
            let (statuses, servedFirst) = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<40 {
                    group.addTask { try await Self.login(client, "storm-\(index % 8)", "guess-\(index)").0 }
                }
                // Meanwhile a user with a token is served: before the storm's refusals are through.
                try await client.execute(uri: "/v3/jobs/list", method: .get, headers: Self.headers(token: root)) { #expect($0.status == .ok) }
                var statuses: [HTTPResponse.Status] = []
                var pendingAfterList = 0
                while let status = try await group.next() {
                    statuses.append(status)
                    if status == .unauthorized { pendingAfterList += 1 }
                }
                return (statuses, pendingAfterList > 0)
            }
            #expect(servedFirst, "the job list was answered while checked logins were still pending")
            #expect(Set(statuses).isSubset(of: [.unauthorized, .tooManyRequests]))
            #expect(statuses.contains(.tooManyRequests), "checks beyond the few at once wait their turn")
        }
    }

    @Test func badBodiesGetAClearErrorAndAFormWorks() async throws {
        try await Self.withAPI { client, _, password in
            let cases: [(String, String, HTTPResponse.Status, String)] = [
                ("{not json", "application/json", .badRequest, "JSON object"),
                (#"{"grant_type": "password", "password": "x"}"#, "application/json", .badRequest, "username"),
                (#"{"grant_type": "password", "username": "tapis-bob"}"#, "application/json", .badRequest, "password"),
                (#"{"grant_type": "client_credentials"}"#, "application/json", .badRequest, "grant_type"),
                (#"{"username": "tapis-bob", "password": "x"}"#, "application/json", .badRequest, "grant_type"),
                (#"{"grant_type": "password", "username": "../../etc/passwd", "password": "x"}"#, "application/json", .badRequest, "username"),
                (#"{"grant_type": "refresh_token", "refresh_token": "a.b.c"}"#, "application/json", .unauthorized, ""),
                (String(repeating: "x", count: 100_000), "application/json", .contentTooLarge, "larger than"),
            ]
            for (body, type, status, mention) in cases {
                try await client.execute(uri: "/v3/oauth2/tokens", method: .post, headers: Self.headers(type: type), body: ByteBuffer(string: body)) { response in
                    let envelope = try Self.json(response.body)
                    #expect(response.status == status, "\(body.prefix(60))")
                    #expect(envelope["status"] as? String == "error" && (mention.isEmpty || (envelope["message"] as? String ?? "").contains(mention)), "\(envelope)")
                }
            }
            let form = "grant_type=password&username=tapis-bob&password=" + password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/v3/oauth2/tokens", method: .post, headers: Self.headers(type: "application/x-www-form-urlencoded"), body: ByteBuffer(string: form)) {
                #expect($0.status == .created)
            }
        }
    }

    @Test func onlyTheConfiguredOriginsPassAPreflight() async throws {
        try await Self.withAPI({ $0.corsOrigins = ["https://portal.example.org"] }) { client, root, _ in
            func preflight(_ origin: String) -> HTTPFields {
                var fields = HTTPFields()
                fields[.origin] = origin
                fields[.accessControlRequestMethod] = "POST"
                fields[.accessControlRequestHeaders] = "x-tapis-token, content-type"
                return fields
            }
            try await client.execute(uri: "/v3/jobs/submit", method: .options, headers: preflight("https://portal.example.org")) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://portal.example.org")
                #expect(response.headers[.accessControlAllowHeaders]?.contains("X-Tapis-Token") == true)
                #expect(response.headers[.accessControlAllowCredentials] == nil, "no cookies, ever")
            }
            for origin in ["https://evil.example", "null", "https://portal.example.org.evil.example", "http://portal.example.org"] {
                try await client.execute(uri: "/v3/jobs/submit", method: .options, headers: preflight(origin)) { response in
                    #expect(response.status == .forbidden, "\(origin)")
                    #expect(response.headers[.accessControlAllowOrigin] == nil)
                }
            }
            var fields = Self.headers(token: root)
            fields[.origin] = "https://portal.example.org"
            try await client.execute(uri: "/v3/jobs/list", method: .get, headers: fields) { response in
                #expect(response.status == .ok && response.headers[.accessControlAllowOrigin] == "https://portal.example.org")
            }
            fields[.origin] = "https://evil.example"
            try await client.execute(uri: "/v3/jobs/list", method: .get, headers: fields) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil, "another origin's page cannot read the answer")
            }
            var anonymous = HTTPFields()
            anonymous[.origin] = "https://portal.example.org"
            try await client.execute(uri: "/v3/jobs/list", method: .get, headers: anonymous) { response in
                #expect(response.status == .unauthorized && response.headers[.accessControlAllowOrigin] == "https://portal.example.org", "an allowed page reads errors too")
            }
        }
    }
}
