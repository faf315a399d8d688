import Logging
import ServiceLifecycle
import TapisEngine
import UnixSignals

/// `systemctl reload` (SIGHUP): reads `systems.d` and `apps.d` again and puts what they say in
/// place of the administrator's definitions, without a restart; a bad file is skipped and named
/// in the log, as at start.
struct DefinitionReloader: Service, CustomStringConvertible {
    let description = "DefinitionReloader"
    let configuration: DaemonConfiguration
    let catalog: DefinitionCatalog
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            let (systems, apps) = DaemonComponents.adminDefinitions(configuration, logger: logger)
            catalog.replaceAdminDefinitions(systems: systems, apps: apps)
            logger.notice("definitions reloaded", metadata: ["systems": "\(systems.count)", "apps": "\(apps.count)"])
        }
    }
}
