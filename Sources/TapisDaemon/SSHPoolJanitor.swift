import ServiceLifecycle
import TapisSSH

/// Closes idle SSH connections every half minute, and all of them at shutdown (after the engine,
/// which the service group stops first).
struct SSHPoolJanitor: Service, CustomStringConvertible {
    let pool: SSHConnectionPool
    let description = "SSHPoolJanitor"

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
            await pool.closeIdle()
        }
        await pool.closeAll()
    }
}
