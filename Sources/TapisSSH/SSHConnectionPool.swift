import CoreMetrics
import Foundation
import Logging
import TapisCore

/// Every SSH connection of the process: one per endpoint (host, port, login) and credential, shared
/// by every job and worker. The credential is part of the key so that a system with wrong
/// credentials never rides on a connection another system's credentials opened. New connections to one host are spaced by a minimum interval; a host that keeps
/// refusing opens a circuit breaker, during which calls fail fast until a probe succeeds; idle
/// connections close.
public actor SSHConnectionPool {
    /// Limits and timings.
    public struct Configuration: Sendable {
        /// Operations holding a channel at once on one connection (keep it below sshd's MaxSessions, 10 by default).
        public var channelsPerConnection = 8
        public var connectTimeout: Duration = .seconds(15)
        /// A connection unused this long is closed.
        public var idleTimeout: Duration = .seconds(300)
        /// Least time between two new connections to the same host.
        public var minimumConnectInterval: Duration = .milliseconds(500)
        /// Consecutive failed connects that open the breaker, and how long it stays open.
        public var breakerThreshold = 3
        public var breakerCooldown: Duration = .seconds(30)

        public init() {}
    }

    private struct Breaker {
        var failures = 0
        var openUntil: ContinuousClock.Instant?
        var lastError = ""
    }

    private let configuration: Configuration
    private let logger: Logger
    /// What a connection is shared by: where, as whom, proven how.
    private struct Key: Hashable {
        var endpoint: SSHEndpoint
        var credential: SSHCredential
        var hostKeys: HostKeyPolicy
    }

    private var connections: [Key: SSHConnection] = [:]
    private var connecting: [Key: Task<SSHConnection, any Error>] = [:]
    private var lastConnect: [String: ContinuousClock.Instant] = [:]
    private var breakers: [String: Breaker] = [:]
    /// How many TCP connections this pool has opened, per endpoint (for tests and metrics).
    public private(set) var opened: [SSHEndpoint: Int] = [:]

    public init(configuration: Configuration = .init(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The live connection to `endpoint`, opening one if there is none.
    /// - Throws: `TapisError.unavailable` while the host's breaker is open or the connect fails;
    ///   `.remoteFailure` for a refused host key or login.
    func connection(to endpoint: SSHEndpoint, credential: SSHCredential, hostKeys: HostKeyPolicy) async throws -> SSHConnection {
        closeIdle()
        let key = Key(endpoint: endpoint, credential: credential, hostKeys: hostKeys)
        if let existing = connections[key], existing.state == .ready { return existing }
        connections[key] = nil
        if let pending = connecting[key] { return try await pending.value }
        let host = "\(endpoint.host):\(endpoint.port)"
        if let openUntil = breakers[host]?.openUntil, ContinuousClock.now < openUntil {
            throw TapisError(.unavailable, "\(host) is refusing connections (\(breakers[host]!.lastError)); tapisd tries again after a pause")
        }
        let wait = (lastConnect[host].map { $0 + configuration.minimumConnectInterval } ?? .now) - .now
        lastConnect[host] = .now + max(wait, .zero)
        let connection = SSHConnection(
            endpoint: endpoint, credential: credential, hostKeys: hostKeys, channelLimit: configuration.channelsPerConnection,
            connectTimeout: configuration.connectTimeout, logger: logger)
        let task = Task {
            if wait > .zero { try await Task.sleep(for: wait) }
            try await connection.start()
            return connection
        }
        connecting[key] = task
        defer { connecting[key] = nil }
        do {
            let ready = try await task.value
            connections[key] = ready
            opened[endpoint, default: 0] += 1
            breakers[host] = nil
            Counter(label: "tapisd_ssh_connects_total").increment()
            countConnections()
            logger.info("ssh connected", metadata: ["ssh.endpoint": "\(endpoint)"])
            return ready
        } catch let error as TapisError where error.code == .unavailable {
            Counter(label: "tapisd_ssh_connect_failures_total").increment()
            var breaker = breakers[host] ?? Breaker()
            breaker.failures += 1
            breaker.lastError = error.message
            if breaker.failures >= configuration.breakerThreshold {
                breaker.openUntil = .now + configuration.breakerCooldown
                logger.warning("ssh host unreachable; pausing connects", metadata: ["ssh.host": "\(host)", "error": "\(error.message)"])
            }
            breakers[host] = breaker
            throw error
        }
    }

    /// Closes connections that have been idle longer than the idle timeout.
    public func closeIdle() {
        let now = ContinuousClock.now
        let open = connections.count
        for (key, connection) in connections {
            let load = connection.load
            if connection.state != .ready || (load.operations == 0 && now - load.lastUsed > configuration.idleTimeout) {
                connection.close()
                connections[key] = nil
            }
        }
        if connections.count != open { countConnections() }
    }

    /// Publishes how many connections are open (`tapisd_ssh_connections`).
    private func countConnections() {
        Gauge(label: "tapisd_ssh_connections").record(connections.count)
    }

    /// Closes every connection (at shutdown).
    public func closeAll() {
        for connection in connections.values { connection.close() }
        connections.removeAll()
        countConnections()
    }
}
