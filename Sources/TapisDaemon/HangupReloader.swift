import Logging
import ServiceLifecycle
import TapisCore
import TapisEngine
import UnixSignals

/// `systemctl reload` (SIGHUP), without a restart or a dropped connection: reads `systems.d` and
/// `apps.d` again and puts what they say in place of the administrator's definitions (a bad file
/// is skipped and named in the log, as at start), and reads the TLS certificate and key again
/// (unreadable ones are named in the log and the ones in use stay).
struct HangupReloader: Service, CustomStringConvertible {
    let description = "HangupReloader"
    let configuration: DaemonConfiguration
    let catalog: DefinitionCatalog
    let certificates: TLSCertificates?
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            let (systems, apps) = DaemonComponents.adminDefinitions(configuration, logger: logger)
            catalog.replaceAdminDefinitions(systems: systems, apps: apps)
            logger.notice("definitions reloaded", metadata: ["systems": "\(systems.count)", "apps": "\(apps.count)"])
            guard let certificates else { continue }
            do {
                try certificates.reload()
                logger.notice("TLS certificate reloaded", metadata: ["file": "\(certificates.certificatePath)"])
            } catch {
                logger.error("TLS certificate not reloaded; the one in use stays", metadata: ["error": "\((error as? TapisError)?.message ?? "\(error)")"])
            }
        }
    }
}
