import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// The daemon's start-up checks, on the real binary.
@Suite(.timeLimit(.minutes(1))) struct DaemonConfigurationTests {
    func start(config: String, extra: [String] = []) throws -> ProgramRunner.Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try config.write(toFile: directory.file("tapisd.yaml"), atomically: true, encoding: .utf8)
        return try ProgramRunner.run(
            [try TestEnvironment.binary("tapisd"), "--config", directory.file("tapisd.yaml"), "--socket", directory.file("s"),
             "--state-dir", directory.file("state")] + extra)
    }

    @Test func anUnknownKeyIsNamed() throws {
        let result = try start(config: "pollIntervalSecs: 3\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("tapisd.yaml: unknown key \"pollIntervalSecs\""))
    }

    @Test func aBadValueIsNamedWithWhatIsAllowed() throws {
        let result = try start(config: "pollIntervalSeconds: often\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("pollIntervalSeconds is \"often\"; it must be a whole number from 1 to 3600"))
    }

    /// The TCP listener's safety rules, each refused at start with what to do.
    @Test(arguments: [
        ("tcpPort: 18999\ntcpHost: 0.0.0.0\n", "is reached from other hosts, where passwords and tokens would cross the network in clear; set tlsCertificate and tlsKey, or allowPlainHTTP: true"),
        ("tcpPort: 18999\ntlsCertificate: /etc/ssl/none.pem\n", "tlsCertificate and tlsKey go together"),
        ("tcpPort: 18999\ntlsCertificate: /nonexistent/cert.pem\ntlsKey: /nonexistent/key.pem\n", "tlsCertificate /nonexistent/cert.pem: not a readable PEM certificate chain"),
        ("tcpPort: 18999\ntlsCertificate: relative.pem\ntlsKey: /k.pem\n", "tlsCertificate is \"relative.pem\""),
        ("publicURL: ftp://gateway.example.org\n", "publicURL is \"ftp://gateway.example.org\"; it must be an http:// or https:// URL"),
        ("publicURL: https://gateway.example.org/portal?x=1\n", "publicURL is"),
        ("corsOrigins: ['*']\n", "corsOrigins is \"*\"; it must be a list of origins"),
        ("corsOrigins: [https://portal.example.org/app]\n", "corsOrigins is \"https://portal.example.org/app\""),
        ("allowRootLogin: sometimes\n", "allowRootLogin is \"sometimes\"; it must be true or false"),
        ("localContainerEngine: lxc\n", "localContainerEngine: \"lxc\" is not supported; use docker or podman"),
        ("localContainerEngineOptions: [--name=x]\n", "localContainerEngineOptions: --name is set by tapisd for every container"),
    ])
    func anUnsafeOrMalformedListenerIsRefused(config: String, message: String) throws {
        let result = try start(config: config)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    /// Notification settings, each refused at start with what to do.
    @Test(arguments: [
        ("webhookAllowedNetworks: [10.0.0.0/33]\n", "webhookAllowedNetworks is \"10.0.0.0/33\"; it must be a list of addresses or networks"),
        ("webhookAllowedNetworks: [intranet.example.org]\n", "webhookAllowedNetworks is \"intranet.example.org\""),
        ("notificationAttempts: 0\n", "notificationAttempts is \"0\"; it must be a whole number from 1 to 20"),
        ("smtpPort: 25\n", "smtpPort is set but smtpHost is not"),
        ("smtpHost: smtp.example.org\nsmtpUser: gateway\n", "smtpUser needs smtpPasswordFile"),
        ("smtpHost: smtp.example.org\nsmtpUser: gateway\nsmtpPasswordFile: /etc/hostname\n", "may be read by others"),
        ("smtpHost: smtp.example.org\nsmtpPasswordFile: /etc/hostname\n", "smtpPasswordFile needs smtpUser"),
        ("smtpHost: smtp.example.org\nsmtpPasswordFile: relative\nsmtpUser: u\n", "smtpPasswordFile is \"relative\""),
    ])
    func badNotificationSettingsAreRefused(config: String, message: String) throws {
        let result = try start(config: config)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func anSMTPPasswordIsRefusedInClear() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "secret\n".write(toFile: directory.file("password"), atomically: true, encoding: .utf8)
        chmod(directory.file("password"), 0o600)
        let result = try start(config: "smtpHost: smtp.example.org\nsmtpUser: u\nsmtpPasswordFile: \(directory.file("password"))\nsmtpStartTLS: false\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("would send the password in clear"), "\(result.stderr)")
        #expect(!result.stderr.contains("secret"))
    }

    @Test func aMissingExplicitConfigIsAnError() throws {
        let result = try ProgramRunner.run([try TestEnvironment.binary("tapisd"), "--config", "/nonexistent/tapisd.yaml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/tapisd.yaml: no such config file"))
    }

    @Test func aSecondDaemonOnTheSameStateDirIsRefused() throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        let second = try ProgramRunner.run(
            [try TestEnvironment.binary("tapisd"), "--socket", daemon.directory.file("other.sock"), "--state-dir", daemon.stateDirectory])
        #expect(second.status != 0)
        #expect(second.stderr.contains("another tapisd is using"))
    }

    @Test func aBadDefinitionFileIsReportedAndSkipped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("apps.d"), withIntermediateDirectories: true)
        try #"{"id": "broken", "version": "1", "runtime": "SINGULARITY", "containerImage": "x"}"#.write(
            toFile: directory.file("apps.d/broken.json"), atomically: true, encoding: .utf8)
        let daemon = try DaemonHarness(appsDirectory: directory.file("apps.d"))
        defer { daemon.shutdown() }
        #expect(daemon.log.contains("skipping a bad definition file"))
        #expect(daemon.log.contains("broken.json"))
        #expect(daemon.log.contains("SINGULARITY is not supported"))
        #expect(try daemon.cli(["apps", "list"]).status == 0, "the daemon runs on")
    }

    @Test func systemFilesLoadAndBadOrDuplicateOnesAreReportedAndSkipped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let systems = directory.file("systems.d")
        try FileManager.default.createDirectory(atPath: systems, withIntermediateDirectories: true)
        let files = [
            "a-good.json": #"{"id": "site", "host": "localhost", "rootDir": "/", "jobWorkingDir": "/tmp/site", "canExec": true}"#,
            "b-same-id.json": #"{"id": "site", "host": "localhost", "rootDir": "/", "jobWorkingDir": "/tmp/other", "canExec": true}"#,
            "c-remote.json": #"{"id": "remote", "host": "cluster.example.org", "canExec": true, "jobWorkingDir": "/x"}"#,
            "d-local.json": #"{"id": "local", "host": "localhost", "rootDir": "/", "jobWorkingDir": "/tmp/l", "canExec": true}"#,
            "e-not-json.json": "{",
        ]
        for (name, text) in files { try text.write(toFile: systems + "/" + name, atomically: true, encoding: .utf8) }
        let daemon = try DaemonHarness(systemsDirectory: systems)
        defer { daemon.shutdown() }
        let site = try await daemon.client.result(TapisSystem.self, .get, "/v3/systems/site")
        #expect(site.jobWorkingDir == "/tmp/site", "the first file with an id wins")
        #expect(site.isPublic == true, "an administrator's file serves every user")
        #expect(try daemon.cli(["systems", "show", "site"], as: "tapis-alice").status == 0)
        let log = daemon.log
        #expect(log.contains("b-same-id.json") && log.contains("id: system site is already defined by a-good.json"))
        #expect(log.contains("c-remote.json") && log.contains("defaultAuthnMethod: required for a remote host"))
        #expect(log.contains("d-local.json") && log.contains("id: system local is already defined by tapisd (a built-in system)"))
        #expect(log.contains("e-not-json.json"))
        let local = try await daemon.client.result(TapisSystem.self, .get, "/v3/systems/local")
        #expect(local.jobWorkingDir == daemon.stateDirectory + "/work/${apiUserId}", "the built-in system stands")
        let missing = await #expect(throws: TapisClientError.self) { _ = try await daemon.client.call(.get, "/v3/systems/remote") }
        #expect(missing?.status == 404)
    }
}
