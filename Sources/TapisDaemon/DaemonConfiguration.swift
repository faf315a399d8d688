public import Foundation
public import Logging
public import TapisCore
public import TapisNotify
public import TapisTransport

/// Everything the daemon is told at start, resolved once: flags, then the config file, then
/// defaults. Validated here; the rest of the daemon gets plain values.
public struct DaemonConfiguration: Sendable, Equatable {
    /// The API's Unix socket.
    public var socketPath = "/run/tapisd/tapisd.sock"
    /// The socket file's mode; identity comes from the kernel (SO_PEERCRED), not from the mode.
    public var socketMode: mode_t = 0o666
    /// Holds the database and the built-in system's job working dirs.
    public var stateDirectory = "/var/lib/tapisd"
    /// Admin-defined systems, one Tapis JSON file each.
    public var systemsDirectory = "/etc/tapisd/systems.d"
    /// Admin-defined apps, one Tapis JSON file each.
    public var appsDirectory = "/etc/tapisd/apps.d"
    /// Whether the built-in `local` system (this host, no SSH) exists.
    public var localSystemEnabled = true
    /// The built-in system's container engine (`docker` or `podman`) and the options it needs on
    /// every `run` (its `containerEngine` and `containerEngineOptions`).
    public var localContainerEngine = ContainerEngine()
    /// The scheduler plugin that starts the built-in system's FORK jobs: `local-process`, or
    /// `systemd` (each job a transient unit, outside the daemon's own unit).
    public var localScheduler = "local-process"
    /// The tenant every job belongs to.
    public var tenant = "tapisd"
    /// Members of this Unix group see and act on every job, as root does.
    public var adminGroup: String?
    /// Seconds between status queries of one system's jobs.
    public var pollIntervalSeconds = 5
    /// How many jobs are stepped at once.
    public var maxConcurrentJobs = 8
    /// Seconds a job lease lasts without renewal.
    public var leaseSeconds = 60
    /// Seconds a node failure or preemption must last before the job counts as ended (the
    /// scheduler may requeue it meanwhile).
    public var requeueGraceSeconds = 120
    public var logLevel: Logger.Level = .info
    /// Host keys of SSH systems (OpenSSH format) for systems without a `hostKeyFingerprint`.
    public var knownHostsFile = "/etc/tapisd/known_hosts"
    /// Commands and transfers running at once on one SSH connection (below sshd's MaxSessions).
    public var sshChannelsPerConnection = 8

    /// The TCP listener's port (token-protected, for portals and tapipy); nil: no TCP listener.
    public var tcpPort: Int?
    /// The address the TCP listener binds: loopback unless the administrator says otherwise.
    public var tcpHost = "127.0.0.1"
    /// The URL users are told to use, when tapisd is reached by a name or proxy of its own.
    public var publicURL: String?
    /// Only members of this Unix group may log in with a password (nil: every account).
    public var loginGroup: String?
    /// Whether root may log in with a password over TCP.
    public var allowRootLogin = false
    /// The TCP listener's certificate chain and private key (PEM files): with both, it speaks TLS.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Whether the TCP listener may speak plain HTTP on an address other hosts reach.
    public var allowPlainHTTP = false
    /// The web origins (`https://portal.example.org`) whose pages may call the TCP listener.
    public var corsOrigins: [String] = []
    /// Whether the TCP listener also serves the web page at `/`.
    public var webPortal = true
    /// Whether a scraper on this host's loopback reads `/metrics` over TCP without a token.
    public var metricsOpenToLoopback = true
    /// Networks webhooks may reach although they are this host's or private (`10.1.0.0/16`, `127.0.0.1`).
    public var webhookAllowedNetworks: [NetworkRange] = []
    /// When failed notifications are tried again.
    public var notificationSchedule = DeliverySchedule()
    /// The relay for EMAIL notifications (nil: EMAIL subscriptions are refused).
    public var smtp: SMTPSettings?

    /// Whether the TCP listener speaks TLS.
    public var usesTLS: Bool { tlsCertificate != nil }

    public init() {}

    /// The database's directory, private to the daemon (SQLite's WAL and shared-memory files sit
    /// beside the database and hold the same data).
    public var databaseDirectory: String { stateDirectory + "/db" }

    /// The database file.
    public var databasePath: String { databaseDirectory + "/tapisd.sqlite" }

    /// The RSA key (PEM) that signs API tokens, beside the database (private to the daemon).
    public var tokenKeyPath: String { databaseDirectory + "/token-signing.pem" }

    /// The key that the web page's CSRF values are derived from, beside the database.
    public var webFormKeyPath: String { databaseDirectory + "/web-form.key" }

    /// The key that webhook secrets are derived from, beside the database (private to the daemon).
    public var webhookKeyPath: String { databaseDirectory + "/webhook-signing.key" }
    /// The key that seals users' credentials at rest (AES-GCM), beside the database, never in it.
    public var credentialKeyPath: String { databaseDirectory + "/credential.key" }

    /// The built-in system's `jobWorkingDir` parent: one directory per user below it.
    public var workDirectory: String { stateDirectory + "/work" }
}
