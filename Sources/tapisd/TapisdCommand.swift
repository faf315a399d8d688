import ArgumentParser
import Logging
import ServiceLifecycle
import TapisDaemon

/// `tapisd`: the job orchestration daemon.
@main
struct TapisdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapisd", abstract: "Runs Tapis-style jobs for the users of this host; serves the Tapis v3 Jobs API on a Unix socket.")

    @Option(help: "The YAML config file (default /etc/tapisd/tapisd.yaml, if present).")
    var config: String?
    @Option(help: "The API's Unix socket.")
    var socket: String?
    @Option(name: .customLong("state-dir"), help: "The directory for the database and the built-in system's job dirs.")
    var stateDir: String?
    @Option(help: "The directory of admin-defined systems (Tapis JSON, one per file).")
    var systems: String?
    @Option(help: "The directory of admin-defined apps (Tapis JSON, one per file).")
    var apps: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level?

    func run() async throws {
        var configuration = try await DaemonConfiguration.load(file: config ?? "/etc/tapisd/tapisd.yaml", required: config != nil)
        if let socket { configuration.socketPath = socket }
        if let stateDir { configuration.stateDirectory = stateDir }
        if let systems { configuration.systemsDirectory = systems }
        if let apps { configuration.appsDirectory = apps }
        if let logLevel { configuration.logLevel = logLevel }
        let level = configuration.logLevel
        let journal = DaemonLogHandler.standardErrorIsJournal()
        LoggingSystem.bootstrap { label in DaemonLogHandler(label: label, level: level, journal: journal) }
        let group = try await Daemon.buildServiceGroup(configuration, logger: Logger(label: "tapisd"))
        try await group.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
