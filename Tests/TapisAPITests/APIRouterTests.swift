import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import TapisAPI
import TapisCore
import TapisDaemon
import TapisEngine
import TapisTestSupport
import TapisTransport
import Testing

/// The API in-process (Hummingbird's test client, as its own router tests do) on the daemon's own
/// wiring (`DaemonComponents`) over a real store: the envelope, the error statuses, identity from
/// tokens, paging and `select`. The engine does not run, so submitted jobs stay PENDING.
@Suite(.timeLimit(.minutes(1))) struct APIRouterTests {
    /// Two ordinary accounts every Debian host has, and root (an administrator).
    static let alice = "nobody"
    static let bob = "daemon"

    /// Runs `body` with a client of the TCP router and a token per user.
    static func withAPI(_ body: @escaping @Sendable (any TestClientProtocol, [String: String], TemporaryDirectory) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("tapisd-api")
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("app"), withIntermediateDirectories: true)
        var configuration = DaemonConfiguration()
        configuration.stateDirectory = directory.file("state")
        configuration.systemsDirectory = directory.file("none")
        configuration.appsDirectory = directory.file("none")
        let me = try LocalTransport(login: UserAccount.withUID(geteuid())!.name)
        var logger = Logger(label: "api-test")
        logger.logLevel = .critical
        try TestSigningKey.install(for: configuration)
        let components = try DaemonComponents(configuration, logger: logger, transports: TransportFactory { _, _ in me })
        var tokens: [String: String] = [:]
        for user in [alice, bob, "root"] { tokens[user] = try await components.api.tokens.mint(for: user, lifetime: 600).token }
        let app = Application(router: buildRouter(components.api, identification: .token))
        let minted = tokens
        try await app.test(.router) { client in try await body(client, minted, directory) }
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any])
    }

    static func headers(_ token: String?) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        if let token { fields[HTTPField.Name("X-Tapis-Token")!] = token }
        return fields
    }

    /// An app the administrator registers, runnable by everyone on the built-in system.
    static func registerApp(_ client: any TestClientProtocol, _ tokens: [String: String], _ directory: TemporaryDirectory) async throws {
        let app: [String: Any] = [
            "id": "hello", "version": "1", "jobType": "FORK", "runtime": "ZIP", "containerImage": directory.file("app/app.tgz"),
            "isPublic": true, "jobAttributes": ["execSystemId": "local"],
        ]
        try await client.execute(uri: "/v3/apps", method: .post, headers: headers(tokens["root"]), body: ByteBuffer(string: String(decoding: try JSONSerialization.data(withJSONObject: app), as: UTF8.self))) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
        }
    }

    static func submit(_ client: any TestClientProtocol, token: String?, name: String) async throws -> String {
        let body = ByteBuffer(string: #"{"name": "\#(name)", "appId": "hello", "appVersion": "1"}"#)
        return try await client.execute(uri: "/v3/jobs/submit", method: .post, headers: headers(token), body: body) { response in
            let envelope = try json(response.body)
            #expect(response.status == .ok, "\(envelope)")
            return try #require((envelope["result"] as? [String: Any])?["uuid"] as? String)
        }
    }

    @Test func answersAreTapisEnvelopesAndErrorsHaveTheirStatus() async throws {
        try await Self.withAPI { client, tokens, directory in
            try await Self.registerApp(client, tokens, directory)
            let uuid = try await Self.submit(client, token: tokens[Self.alice], name: "one")
            try await client.execute(uri: "/v3/jobs/\(uuid)", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                let envelope = try Self.json(response.body)
                #expect(response.status == .ok && envelope["status"] as? String == "success" && envelope["version"] != nil)
                #expect((envelope["result"] as? [String: Any])?["status"] as? String == "PENDING")
            }
            let cases: [(String, HTTPRequest.Method, String?, String?, HTTPResponse.Status, String)] = [
                ("/v3/jobs/submit", .post, tokens[Self.alice], "{not json", .badRequest, ""),
                ("/v3/jobs/submit", .post, tokens[Self.alice], #"{"name": "n", "appId": "hello", "appVersion": "1", "memoryMB": 0}"#, .badRequest, "memoryMB"),
                ("/v3/jobs/list", .get, nil, nil, .unauthorized, "X-Tapis-Token"),
                ("/v3/jobs/list", .get, "not.a.token", nil, .unauthorized, ""),
                ("/v3/tapisd/metrics", .get, tokens[Self.alice], nil, .forbidden, ""),
                ("/v3/jobs/\(uuid)", .get, tokens[Self.bob], nil, .notFound, ""),
                ("/v3/jobs/\(uuid)/hide", .post, tokens[Self.alice], nil, .conflict, ""),
                ("/v3/jobs/\(uuid)/share", .post, tokens[Self.alice], "{}", .badRequest, "grantee"),
            ]
            for (uri, method, token, body, status, mention) in cases {
                try await client.execute(uri: uri, method: method, headers: Self.headers(token), body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(response.status == status, "\(method) \(uri)")
                    let envelope = try Self.json(response.body)
                    #expect(envelope["status"] as? String == "error" && (mention.isEmpty || (envelope["message"] as? String ?? "").contains(mention)), "\(method) \(uri): \(envelope)")
                }
            }
        }
    }

    @Test func aSubmitAnswerHoldsTheStoredJobAsAGetAnswersItAndPrettyIsTheSame() async throws {
        try await Self.withAPI { client, tokens, directory in
            try await Self.registerApp(client, tokens, directory)
            let body = ByteBuffer(string: #"{"name": "quote \" and \\ and ü", "appId": "hello", "appVersion": "1", "description": "</script>"}"#)
            var answers: [String] = []
            for uri in ["/v3/jobs/submit", "/v3/jobs/submit?pretty=true"] {
                try await client.execute(uri: uri, method: .post, headers: Self.headers(tokens[Self.alice]), body: body) { response in
                    #expect(response.status == .ok)
                    answers.append(String(buffer: response.body))
                }
            }
            for answer in answers {
                let envelope = try Self.json(ByteBuffer(string: answer))
                #expect(Set(envelope.keys) == ["status", "message", "result", "version"], "\(answer)")
                #expect(envelope["status"] as? String == "success" && envelope["version"] as? String == "tapisd-0.1.0")
                let submitted = try #require(envelope["result"] as? [String: Any])
                let uuid = try #require(submitted["uuid"] as? String)
                #expect(envelope["message"] as? String == "JOBS_CREATED Job \(uuid) was created.")
                #expect(submitted["name"] as? String == #"quote " and \ and ü"#)
                try await client.execute(uri: "/v3/jobs/\(uuid)", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                    let stored = try #require(try Self.json(response.body)["result"] as? [String: Any])
                    let canonical = { (object: [String: Any]) in try JSONSerialization.data(withJSONObject: object, options: .sortedKeys) }
                    #expect(try canonical(stored) == canonical(submitted))
                }
            }
            #expect(!answers[0].contains("\n  ") && answers[1].contains("\n  "))
            // Spliced or encoded, the envelope is the same text: its keys sorted, the job as stored.
            let uuid = try #require((try Self.json(ByteBuffer(string: answers[0]))["result"] as? [String: Any])?["uuid"] as? String)
            try await client.execute(uri: "/v3/jobs/\(uuid)", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                let got = String(buffer: response.body)
                let result = { (answer: String) in answer.firstRange(of: #","result":"#).map { answer[$0.upperBound...] }?.split(separator: #","status":"#).first }
                #expect(result(got) != nil && result(got) == result(answers[0]))
                #expect(answers[0].hasPrefix(#"{"message":"JOBS_CREATED Job "#) && got.hasPrefix(#"{"message":"JOBS_RETRIEVED Job "#))
            }
        }
    }

    @Test func aTokenIsItsUserAndSeesOnlyThatUsersJobs() async throws {
        try await Self.withAPI { client, tokens, directory in
            try await Self.registerApp(client, tokens, directory)
            let mine = try await Self.submit(client, token: tokens[Self.alice], name: "alice-job")
            let theirs = try await Self.submit(client, token: tokens[Self.bob], name: "bob-job")
            try await client.execute(uri: "/v3/jobs/list", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                let jobs = try #require(try Self.json(response.body)["result"] as? [[String: Any]])
                #expect(jobs.map { $0["uuid"] as? String } == [mine])
            }
            try await client.execute(uri: "/v3/jobs/\(mine)", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                let job = try Self.json(response.body)["result"] as? [String: Any]
                #expect(job?["owner"] as? String == Self.alice)
            }
            try await client.execute(uri: "/v3/jobs/\(theirs)/cancel", method: .post, headers: Self.headers(tokens[Self.alice])) { response in
                #expect(response.status == .notFound, "another user's job does not exist for alice")
            }
            try await client.execute(uri: "/v3/jobs/list?listType=ALL_JOBS", method: .get, headers: Self.headers(tokens["root"])) { response in
                let jobs = try #require(try Self.json(response.body)["result"] as? [[String: Any]])
                #expect(Set(jobs.compactMap { $0["uuid"] as? String }) == [mine, theirs])
            }
        }
    }

    @Test func listingsPageAndSelect() async throws {
        try await Self.withAPI { client, tokens, directory in
            try await Self.registerApp(client, tokens, directory)
            var uuids: [String] = []
            for index in 0..<7 { uuids.append(try await Self.submit(client, token: tokens[Self.alice], name: "job-\(index)")) }
            try await client.execute(
                uri: "/v3/jobs/list?limit=3&skip=2&orderBy=name(asc)&computeTotal=true", method: .get, headers: Self.headers(tokens[Self.alice])
            ) { response in
                let envelope = try Self.json(response.body)
                let jobs = try #require(envelope["result"] as? [[String: Any]])
                #expect(jobs.map { $0["name"] as? String } == ["job-2", "job-3", "job-4"])
                let metadata = try #require(envelope["metadata"] as? [String: Any])
                #expect(metadata["totalCount"] as? Int == 7 && metadata["recordCount"] as? Int == 3 && metadata["recordsSkipped"] as? Int == 2)
            }
            try await client.execute(uri: "/v3/jobs/search?name.like=job-*&select=uuid,name&limit=100", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                let jobs = try #require(try Self.json(response.body)["result"] as? [[String: Any]])
                #expect(jobs.count == 7 && jobs.allSatisfy { Set($0.keys) == ["uuid", "name"] }, "\(jobs)")
            }
        }
    }

    @Test func subscriptionsBelongToTheJobsOwnerAndTheirOwn() async throws {
        try await Self.withAPI { client, tokens, directory in
            try await Self.registerApp(client, tokens, directory)
            let uuid = try await Self.submit(client, token: tokens[Self.alice], name: "subscribed")
            let body = ByteBuffer(string: #"{"eventCategoryFilter":"JOB_NEW_STATUS","ttlminutes":30,"deliveryTargets":[{"deliveryMethod":"WEBHOOK","deliveryAddress":"https://portal.example.org/hook"}]}"#)
            try await client.execute(uri: "/v3/jobs/subscribe/\(uuid)", method: .post, headers: Self.headers(tokens[Self.bob]), body: body) { response in
                #expect(response.status == .notFound)
            }
            let subscription = try await client.execute(uri: "/v3/jobs/subscribe/\(uuid)", method: .post, headers: Self.headers(tokens[Self.alice]), body: body) { response in
                let envelope = try Self.json(response.body)
                #expect(response.status == .ok, "\(envelope)")
                #expect((envelope["message"] as? String)?.contains("type filter jobs.JOB_NEW_STATUS.*") == true)
                return try #require((envelope["result"] as? [String: Any])?["uuid"] as? String)
            }
            try await client.execute(uri: "/v3/jobs/subscribe/\(uuid)", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                let listed = try #require(try Self.json(response.body)["result"] as? [[String: Any]])
                #expect(listed.count == 1 && listed[0]["uuid"] as? String == subscription && listed[0]["ttlMinutes"] as? Int == 30)
                #expect((listed[0]["deliveries"] as? [[String: Any]])?.first?["pending"] as? Int == 0)
            }
            try await client.execute(uri: "/v3/jobs/subscribe/\(uuid)", method: .get, headers: Self.headers(tokens[Self.bob])) { response in
                #expect(response.status == .notFound)
            }
            for (user, status) in [(Self.bob, HTTPResponse.Status.notFound), (Self.alice, .ok)] {
                try await client.execute(uri: "/v3/jobs/subscribe/\(subscription)", method: .delete, headers: Self.headers(tokens[user])) { response in
                    #expect(response.status == status, "\(user): \(String(buffer: response.body))")
                }
            }
            try await client.execute(uri: "/v3/jobs/subscribe/\(uuid)", method: .delete, headers: Self.headers(tokens["root"])) { response in
                let result = try Self.json(response.body)["result"] as? [String: Any]
                #expect(result?["changes"] as? Int == 0)
            }
            try await client.execute(uri: "/v3/jobs/\(uuid)/events?since=x", method: .get, headers: Self.headers(tokens[Self.alice])) { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("Last-Event-ID"))
            }
        }
    }
}
