public import TapisCore
public import TapisTransport

/// Makes the transport for a system and login. The daemon's wiring decides which transports exist
/// (this host, SSH; tests put recording ones in their place).
public struct TransportFactory: Sendable {
    private let make: @Sendable (TapisSystem, String) throws -> any Transport
    /// Users' own credentials; without a vault only systems' definitions carry credentials.
    public var credentials: CredentialVault?

    public init(credentials: CredentialVault? = nil, _ make: @escaping @Sendable (TapisSystem, String) throws -> any Transport) {
        self.credentials = credentials
        self.make = make
    }

    /// The transport that acts as `login` on `system`, with the credential the definition carries.
    /// - Throws: `TapisError` when the system cannot be reached as that login.
    public func transport(for system: TapisSystem, login: String) throws -> any Transport {
        try make(system, login)
    }

    /// The transport that acts as the daemon itself on `system`, for a scheduler whose commands
    /// start jobs for their logins themselves (`SchedulerDialect.runsAsDaemon`).
    /// - Throws: `TapisError.badRequest` unless `system` is this host.
    public func daemonTransport(for system: TapisSystem) throws -> any Transport {
        guard system.isLocal else {
            throw TapisError(.badRequest, "system \(system.id) is reached over SSH; its scheduler must run as the job's login, not as tapisd")
        }
        return try make(system, try UserAccount.daemon().name)
    }

    /// The transport that acts for `owner` on `system`: the one rule of who logs in with what.
    /// This host is reached as the login the system names (the owner by default). A remote host
    /// is reached with the credential stored for the owner (for a static `effectiveUserId`, the
    /// one stored for that login) as its `loginUser` or the system's login, else with the
    /// definition's own credential where it serves them; never with another user's.
    /// - Throws: `TapisError.badRequest` saying how to add a credential when there is none.
    public func transport(for system: TapisSystem, owner: String) async throws -> any Transport {
        let login = system.login(for: owner)
        // A static login, and the definition's own credential, are the system owner's: they serve
        // the owner, and everyone on an administrator's system (a file, or published); someone a
        // user's system was shared with logs in as themselves, with their own.
        let ownersServe = system.owner == nil || system.owner == owner || system.isPublic == true
        if system.isLocal {
            guard system.isDynamic || ownersServe else {
                throw TapisError(.forbidden, "system \(system.id) runs as \(login), \(system.owner ?? "its owner")'s login; only they run jobs there")
            }
            return try make(system, login)
        }
        let holder = system.isDynamic ? owner : login
        if let credentials, system.isDynamic || ownersServe, let stored = try await credentials.credential(system: system.id, user: holder) {
            return try make(system.loggingIn(with: stored), system.login(for: owner, with: stored))
        }
        guard system.authnCredential != nil, ownersServe else {
            throw TapisError(
                .badRequest,
                "\(holder) has no credential for system \(system.id); add one with `tapis systems credential add \(system.id)` or POST /v3/systems/credential/\(system.id)/user/\(holder) (privateKey and publicKey, or password)")
        }
        return try make(system, login)
    }
}
