import Configuration
import Foundation
import Logging
import SystemPackage
import TapisCore
import TapisNotify
import TapisTransport

extension DaemonConfiguration {
    /// The keys a config file may hold, with what each allows.
    static let keys: [String: String] = [
        "socket": "a path", "socketMode": "an octal mode such as 0666", "stateDir": "a directory",
        "systemsDir": "a directory", "appsDir": "a directory", "localSystem": "true or false",
        "localScheduler": "local-process or systemd (each job a transient unit; needs systemd and root)",
        "localContainerEngine": "docker or podman", "localContainerEngineOptions": "a list of engine run options such as [--network=none]",
        "tenant": "an identifier", "adminGroup": "a Unix group name", "pollIntervalSeconds": "a whole number from 1 to 3600",
        "maxConcurrentJobs": "a whole number from 1 to 1024", "leaseSeconds": "a whole number from 10 to 3600",
        "logLevel": "one of trace, debug, info, notice, warning, error, critical",
        "knownHostsFile": "a path", "sshChannelsPerConnection": "a whole number from 1 to 64",
        "requeueGraceSeconds": "a whole number from 0 to 86400",
        "tcpPort": "a port number from 1 to 65535 (absent: no TCP listener)", "tcpHost": "an IP address to listen on",
        "publicURL": "an http:// or https:// URL with a host and no path, such as https://gateway.example.org",
        "loginGroup": "a Unix group name", "allowRootLogin": "true or false",
        "tlsCertificate": "the path of a PEM certificate chain (with tlsKey)", "tlsKey": "the path of a PEM private key (with tlsCertificate)",
        "allowPlainHTTP": "true or false", "corsOrigins": "a list of origins such as [https://portal.example.org] (no wildcard, no path)",
        "webPortal": "true or false (the web page on the TCP listener)",
        "metricsOpenToLoopback": "true or false (a Prometheus scraper on this host reads /metrics without a token)",
        "webhookAllowedNetworks": "a list of addresses or networks such as [10.1.0.0/16, 127.0.0.1]",
        "notificationAttempts": "a whole number from 1 to 20", "notificationRetrySeconds": "a whole number from 1 to 3600",
        "notificationRecoveryAttempts": "a whole number from 0 to 1000", "notificationRecoverySeconds": "a whole number from 1 to 86400",
        "smtpHost": "a host name or address", "smtpPort": "a port number from 1 to 65535", "smtpStartTLS": "true or false",
        "smtpCAFile": "the path of PEM certificates", "smtpUser": "a user name (with smtpPasswordFile)",
        "smtpPasswordFile": "the path of a file holding the SMTP password (mode 0600)", "smtpFrom": "a From: header such as Gateway <no-reply@gateway.example.org>",
    ]

    /// Reads the YAML config file at `path` over the defaults. A missing file is an error only when
    /// `required`.
    /// - Throws: `TapisError.badRequest` naming the file, the key and what is allowed.
    public static func load(file path: String, required: Bool) async throws -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw TapisError(.badRequest, "\(path): no such config file") }
            return configuration
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in topLevelKeys(text) where keys[key] == nil {
            throw TapisError(.badRequest, "\(path): unknown key \(key.debugDescription); known keys: \(keys.keys.sorted().joined(separator: ", "))")
        }
        let reader: ConfigReader
        do {
            reader = ConfigReader(provider: try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
        } catch {
            throw TapisError(.badRequest, "\(path): not a valid YAML mapping: \(error)")
        }
        func value(_ key: String) -> String? { reader.string(forKey: ConfigKey(key)) }
        func invalid(_ key: String, _ text: String) -> TapisError {
            TapisError(.badRequest, "\(path): \(key) is \(text.debugDescription); it must be \(keys[key]!)")
        }
        func flag(_ key: String) throws -> Bool? {
            guard let text = value(key) else { return nil }
            guard let flag = Bool(text) else { throw invalid(key, text) }
            return flag
        }
        /// An http(s) URL with a host and nothing after it (a trailing slash only when `slash`).
        func isOrigin(_ text: String, slash: Bool) -> Bool {
            guard let url = URLComponents(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false else { return false }
            return (url.path.isEmpty || (slash && url.path == "/")) && url.query == nil && url.fragment == nil && url.user == nil
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = value(key) else { return nil }
            guard let number = Int(text), range.contains(number) else { throw invalid(key, text) }
            return number
        }
        for key in ["socket", "stateDir", "systemsDir", "appsDir", "knownHostsFile", "tlsCertificate", "tlsKey", "smtpCAFile", "smtpPasswordFile"] {
            if let text = value(key), !text.hasPrefix("/") { throw invalid(key, text) }
        }
        if let text = value("socket") { configuration.socketPath = text }
        if let text = value("socketMode") {
            guard let mode = mode_t(text, radix: 8), mode <= 0o777 else { throw invalid("socketMode", text) }
            configuration.socketMode = mode
        }
        if let text = value("stateDir") { configuration.stateDirectory = text }
        if let text = value("systemsDir") { configuration.systemsDirectory = text }
        if let text = value("appsDir") { configuration.appsDirectory = text }
        configuration.localSystemEnabled = try flag("localSystem") ?? configuration.localSystemEnabled
        if let text = value("localScheduler") {
            guard ["local-process", "systemd"].contains(text) else { throw invalid("localScheduler", text) }
            if text == "systemd", !FileManager.default.fileExists(atPath: "/run/systemd/system") {
                throw TapisError(.badRequest, "\(path): localScheduler is systemd, but this host does not run systemd (/run/systemd/system is missing)")
            }
            configuration.localScheduler = text
        }
        var engineSystem = TapisSystem(id: "local")
        engineSystem.containerEngine = value("localContainerEngine")
        engineSystem.containerEngineOptions = reader.stringArray(forKey: ConfigKey("localContainerEngineOptions")) ?? value("localContainerEngineOptions").map { [$0] }
        do {
            configuration.localContainerEngine = try ContainerEngine(system: engineSystem)
        } catch {
            throw TapisError(.badRequest, "\(path): \(error.message.replacingOccurrences(of: "containerEngine", with: "localContainerEngine"))")
        }
        if let text = value("tenant") {
            do { try Validation.identifier(text, field: "tenant") } catch { throw invalid("tenant", text) }
            configuration.tenant = text
        }
        if let text = value("adminGroup") { configuration.adminGroup = text }
        configuration.pollIntervalSeconds = try integer("pollIntervalSeconds", 1...3600) ?? configuration.pollIntervalSeconds
        configuration.maxConcurrentJobs = try integer("maxConcurrentJobs", 1...1024) ?? configuration.maxConcurrentJobs
        configuration.leaseSeconds = try integer("leaseSeconds", 10...3600) ?? configuration.leaseSeconds
        configuration.requeueGraceSeconds = try integer("requeueGraceSeconds", 0...86400) ?? configuration.requeueGraceSeconds
        if let text = value("knownHostsFile") { configuration.knownHostsFile = text }
        configuration.tcpPort = try integer("tcpPort", 1...65535) ?? configuration.tcpPort
        if let text = value("tcpHost") {
            guard IPAddressText.isValid(text) else { throw invalid("tcpHost", text) }
            configuration.tcpHost = text
        }
        if let text = value("publicURL") {
            guard isOrigin(text, slash: true) else { throw invalid("publicURL", text) }
            configuration.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        if let text = value("loginGroup") { configuration.loginGroup = text }
        configuration.allowRootLogin = try flag("allowRootLogin") ?? configuration.allowRootLogin
        configuration.tlsCertificate = value("tlsCertificate")
        configuration.tlsKey = value("tlsKey")
        guard (configuration.tlsCertificate == nil) == (configuration.tlsKey == nil) else {
            throw TapisError(.badRequest, "\(path): tlsCertificate and tlsKey go together; set both or neither")
        }
        configuration.allowPlainHTTP = try flag("allowPlainHTTP") ?? configuration.allowPlainHTTP
        configuration.webPortal = try flag("webPortal") ?? configuration.webPortal
        configuration.metricsOpenToLoopback = try flag("metricsOpenToLoopback") ?? configuration.metricsOpenToLoopback
        if configuration.tcpPort != nil, !configuration.usesTLS, !configuration.allowPlainHTTP, !IPAddressText.isLoopback(configuration.tcpHost) {
            throw TapisError(
                .badRequest,
                "\(path): tcpHost \(configuration.tcpHost) is reached from other hosts, where passwords and tokens would cross the network in clear; set tlsCertificate and tlsKey, or allowPlainHTTP: true if something else encrypts the traffic")
        }
        if let origins = reader.stringArray(forKey: ConfigKey("corsOrigins")) ?? value("corsOrigins").map({ [$0] }) {
            for origin in origins where !isOrigin(origin, slash: false) { throw invalid("corsOrigins", origin) }
            configuration.corsOrigins = origins
        }
        if let networks = reader.stringArray(forKey: ConfigKey("webhookAllowedNetworks")) ?? value("webhookAllowedNetworks").map({ [$0] }) {
            configuration.webhookAllowedNetworks = try networks.map { text in
                guard let range = NetworkRange(text) else { throw invalid("webhookAllowedNetworks", text) }
                return range
            }
        }
        configuration.notificationSchedule.attempts = try integer("notificationAttempts", 1...20) ?? configuration.notificationSchedule.attempts
        if let seconds = try integer("notificationRetrySeconds", 1...3600) { configuration.notificationSchedule.retryInterval = .seconds(seconds) }
        configuration.notificationSchedule.recoveryAttempts = try integer("notificationRecoveryAttempts", 0...1000) ?? configuration.notificationSchedule.recoveryAttempts
        if let seconds = try integer("notificationRecoverySeconds", 1...86400) { configuration.notificationSchedule.recoveryInterval = .seconds(seconds) }
        configuration.smtp = try smtpSettings(value: value, integer: integer, flag: flag, path: path)
        configuration.sshChannelsPerConnection = try integer("sshChannelsPerConnection", 1...64) ?? configuration.sshChannelsPerConnection
        if let text = value("logLevel") {
            guard let level = Logger.Level(rawValue: text) else { throw invalid("logLevel", text) }
            configuration.logLevel = level
        }
        return configuration
    }

    /// The SMTP relay, when `smtpHost` names one; its password is read from `smtpPasswordFile`,
    /// which only the daemon may read (the config file is often world-readable).
    private static func smtpSettings(
        value: (String) -> String?, integer: (String, ClosedRange<Int>) throws -> Int?, flag: (String) throws -> Bool?, path: String
    ) throws -> SMTPSettings? {
        guard let host = value("smtpHost") else {
            for key in ["smtpPort", "smtpStartTLS", "smtpCAFile", "smtpUser", "smtpPasswordFile", "smtpFrom"] where value(key) != nil {
                throw TapisError(.badRequest, "\(path): \(key) is set but smtpHost is not")
            }
            return nil
        }
        var smtp = SMTPSettings(host: host)
        smtp.port = try integer("smtpPort", 1...65535) ?? smtp.port
        smtp.startTLS = try flag("smtpStartTLS") ?? smtp.startTLS
        smtp.caFile = value("smtpCAFile")
        smtp.user = value("smtpUser")
        if let from = value("smtpFrom") { smtp.from = from }
        if let file = value("smtpPasswordFile") {
            guard smtp.user != nil else { throw TapisError(.badRequest, "\(path): smtpPasswordFile needs smtpUser") }
            var status = stat()
            guard stat(file, &status) == 0, let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw TapisError(.badRequest, "\(path): cannot read smtpPasswordFile \(file)")
            }
            guard status.st_mode & 0o077 == 0 else {
                throw TapisError(.badRequest, "\(path): smtpPasswordFile \(file) may be read by others (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it")
            }
            smtp.password = text.trimmingCharacters(in: .newlines)
        } else if smtp.user != nil {
            throw TapisError(.badRequest, "\(path): smtpUser needs smtpPasswordFile")
        }
        if smtp.user != nil, !smtp.startTLS {
            throw TapisError(.badRequest, "\(path): smtpUser with smtpStartTLS false would send the password in clear; use STARTTLS")
        }
        return smtp
    }

    /// The keys of a flat YAML mapping (lines that start with a key and a colon).
    private static func topLevelKeys(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            guard let first = line.first, first.isLetter || first == "_" || first == "\"" else { return nil }
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return line[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
    }
}
