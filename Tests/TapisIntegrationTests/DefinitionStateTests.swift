import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Enabling and disabling systems and apps through the real daemon, and what it does to jobs.
@Suite(.serialized, .timeLimit(.minutes(2))) struct DefinitionStateTests {
    /// `curl` on the daemon's socket as `user`: the envelope, decoded.
    func call(_ daemon: DaemonHarness, _ method: String, _ path: String, as user: String, body: Data? = nil) throws -> [String: Any] {
        var arguments = ["/usr/bin/curl", "-s", "--unix-socket", daemon.socketPath, "-X", method, "http://localhost" + path]
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        let result = try ProgramRunner.run(arguments, as: user, input: body)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    @Test func aHangupReloadsTheAdministratorsDefinitionFiles() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        let daemon = try DaemonHarness(systemsDirectory: files.path)
        defer { daemon.shutdown() }
        func exists(_ id: String) async -> Bool { (try? await daemon.client.call(.get, "/v3/systems/\(id)")) != nil }
        #expect(await !exists("site-a"))
        let definition: [String: Any] = ["id": "site-a", "host": "localhost", "rootDir": "/", "jobWorkingDir": "/tmp/site-a/${apiUserId}", "canExec": true]
        try JSONSerialization.data(withJSONObject: definition).write(to: URL(fileURLWithPath: files.file("site-a.json")))
        try "{ not json".write(toFile: files.file("broken.json"), atomically: true, encoding: .utf8)
        func reloaded(_ times: Int) async throws {
            kill(daemon.pid, SIGHUP)
            for _ in 0..<100 where daemon.log.components(separatedBy: "definitions reloaded").count - 1 < times { try await Task.sleep(for: .milliseconds(50)) }
        }
        try await reloaded(1)
        #expect(await exists("site-a"), "a new file is served after SIGHUP, without a restart")
        #expect(daemon.log.contains("broken.json"), "a bad file is named and skipped")
        #expect(await exists("local"), "the built-in system stays")
        try FileManager.default.removeItem(atPath: files.file("site-a.json"))
        try await reloaded(2)
        #expect(await !exists("site-a"), "a removed file's system is gone")
        #expect(try daemon.cli(["apps", "list"]).status == 0, "the daemon runs on")
    }

    @Test func aDisabledSystemHoldsItsJobsBlockedUntilItIsEnabledAgain() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        let work = daemon.directory.file("site")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o1777])
        let system: [String: Any] = ["id": "alices-site", "host": "localhost", "rootDir": "/", "jobWorkingDir": work + "/${apiUserId}", "canExec": true]
        #expect(try call(daemon, "POST", "/v3/systems", as: "tapis-alice", body: try JSONSerialization.data(withJSONObject: system))["status"] as? String == "success")
        var app = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: daemon.appDefinition))) as? [String: Any])
        var attributes = try #require(app["jobAttributes"] as? [String: Any])
        attributes["execSystemId"] = "alices-site"
        app["jobAttributes"] = attributes
        app["maxJobs"] = 1
        #expect(try call(daemon, "POST", "/v3/apps", as: "tapis-alice", body: try JSONSerialization.data(withJSONObject: app))["status"] as? String == "success")

        func submit(sleep: Int) throws -> String {
            let request: [String: Any] = [
                "name": "held", "appId": "hello", "appVersion": "1.0",
                "parameterSet": ["envVariables": [["key": "SLEEP_SECONDS", "value": String(sleep)]]],
            ]
            let answer = try call(daemon, "POST", "/v3/jobs/submit", as: "tapis-alice", body: try JSONSerialization.data(withJSONObject: request))
            return try #require((answer["result"] as? [String: Any])?["uuid"] as? String, "\(answer)")
        }
        let first = try submit(sleep: 300)
        _ = try await daemon.waitFor(first, status: .running, seconds: 30)
        let second = try submit(sleep: 0)
        _ = try await daemon.waitFor(second, status: .blocked, seconds: 30)

        let bob = try call(daemon, "POST", "/v3/systems/alices-site/disable", as: "tapis-bob")
        #expect(bob["status"] as? String == "error" && (bob["message"] as? String)?.contains("no system") == true, "bob cannot even see it")
        let builtIn = await #expect(throws: TapisClientError.self) { _ = try await daemon.client.call(.post, "/v3/systems/local/disable") }
        #expect(builtIn?.status == 409)

        #expect(try call(daemon, "POST", "/v3/systems/alices-site/disable", as: "tapis-alice")["status"] as? String == "success")
        let enabled = try call(daemon, "GET", "/v3/systems/alices-site/isEnabled", as: "tapis-alice")["result"] as? [String: Any]
        #expect(enabled?["aBool"] as? Bool == false)
        _ = try await daemon.client.call(.post, "/v3/jobs/\(first)/cancel")
        _ = try await daemon.waitFor(first, status: .cancelled, seconds: 30)
        try await Task.sleep(for: .seconds(3))
        let held = try await daemon.job(second)
        #expect(held.status == .blocked && held.lastMessage == "Waiting for system alices-site to be enabled again.", "\(held.status) \(held.lastMessage ?? "")")
        let refused = try call(daemon, "POST", "/v3/jobs/submit", as: "tapis-alice", body: try JSONSerialization.data(withJSONObject: ["name": "x", "appId": "hello", "appVersion": "1.0"]))
        #expect((refused["message"] as? String)?.contains("system alices-site is disabled") == true, "\(refused)")

        #expect(try call(daemon, "POST", "/v3/systems/alices-site/enable", as: "tapis-alice")["status"] as? String == "success")
        let done = try await daemon.waitFor(second, seconds: 30)
        #expect(done.status == .finished, "\(done.lastMessage ?? "")")
        #expect(try await daemon.historyStatuses(second).contains("BLOCKED"))
    }

    @Test func anAppVersionDisabledByItsOwnerTakesNoJobs() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        var app = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: daemon.appDefinition))) as? [String: Any])
        app["id"] = "alices-app"
        #expect(try call(daemon, "POST", "/v3/apps", as: "tapis-alice", body: try JSONSerialization.data(withJSONObject: app))["status"] as? String == "success")
        #expect(try call(daemon, "POST", "/v3/apps/alices-app/1.0/disable", as: "tapis-bob")["status"] as? String == "error")
        #expect(try call(daemon, "POST", "/v3/apps/alices-app/1.0/disable", as: "tapis-alice")["status"] as? String == "success")
        let version = try call(daemon, "GET", "/v3/apps/alices-app/isEnabled?version=1.0", as: "tapis-alice")["result"] as? [String: Any]
        #expect(version?["aBool"] as? Bool == false)
        let whole = try call(daemon, "GET", "/v3/apps/alices-app/isEnabled", as: "tapis-alice")["result"] as? [String: Any]
        #expect(whole?["aBool"] as? Bool == true, "the app as a whole is still enabled")
        let request = try JSONSerialization.data(withJSONObject: ["name": "x", "appId": "alices-app", "appVersion": "1.0"])
        let refused = try call(daemon, "POST", "/v3/jobs/submit", as: "tapis-alice", body: request)
        #expect(refused["status"] as? String == "error", "\(refused)")
        #expect(try call(daemon, "POST", "/v3/apps/alices-app/1.0/enable", as: "tapis-alice")["status"] as? String == "success")
        #expect(try call(daemon, "POST", "/v3/jobs/submit", as: "tapis-alice", body: request)["status"] as? String == "success")
    }
}
