public import TapisCore
import TapisTransport

/// The rules of users' credentials for systems (Tapis's `createUserCredential` and friends), the
/// same for the API and the CLI: who may set, check or remove whose, what `userName` means on a
/// dynamic or a static system, and that a credential is tried on the host before it is kept.
public struct SystemCredentials: Sendable {
    let catalog: DefinitionCatalog
    let transports: TransportFactory
    let vault: CredentialVault

    public init(catalog: DefinitionCatalog, transports: TransportFactory, vault: CredentialVault) {
        self.catalog = catalog
        self.transports = transports
        self.vault = vault
    }

    /// Stores `user`'s credential for the system (replacing an earlier one), after it logged in
    /// unless `skipCheck`.
    /// - Throws: `TapisError` naming the field for a bad credential, `.forbidden` for someone
    ///   else's, `.unauthorized` when it cannot log in.
    public func save(_ credential: UserCredential, system id: String, user: String, by caller: Caller, skipCheck: Bool) async throws {
        let system = try await authorize(system: id, user: user, caller: caller, storing: true)
        try credential.validate()
        if credential.loginUser != nil, !system.isDynamic {
            throw TapisError.invalid("loginUser", "system \(id) logs in as \(system.login(for: user)) (a static effectiveUserId); loginUser is for systems with ${apiUserId}")
        }
        if !skipCheck { try await tryLogin(system, credential, user: user) }
        try await vault.save(credential, system: id, user: user)
    }

    /// Makes a new ed25519 key pair for `user` on the system and stores it (replacing an earlier
    /// credential); the public half is for the login's `~/.ssh/authorized_keys` on the host.
    /// - Returns: the public key line and the login it is for.
    public func generateKey(system id: String, user: String, by caller: Caller) async throws -> (publicKey: String, login: String) {
        let system = try await authorize(system: id, user: user, caller: caller, storing: true)
        let pair = SSHKeyPair(comment: "tapisd:\(id):\(user)")
        let earlier = system.isDynamic ? try await vault.loginUser(system: id, user: user) : nil
        let credential = UserCredential(loginUser: earlier, privateKey: pair.privateKey, publicKey: pair.publicKey)
        try await vault.save(credential, system: id, user: user)
        return (pair.publicKey, system.login(for: user, with: credential))
    }

    /// Logs in with the stored credential of `user` and runs `true`.
    /// - Throws: `.notFound` when there is none, `.unauthorized` when it cannot log in.
    public func check(system id: String, user: String, by caller: Caller) async throws {
        let system = try await authorize(system: id, user: user, caller: caller)
        guard let credential = try await vault.credential(system: id, user: user) else {
            throw TapisError(.notFound, "\(user) has no credential for system \(id)")
        }
        try await tryLogin(system, credential, user: user)
    }

    /// Removes `user`'s credential for the system.
    /// - Throws: `.notFound` when there is none.
    public func remove(system id: String, user: String, by caller: Caller) async throws {
        _ = try await authorize(system: id, user: user, caller: caller)
        guard try await vault.remove(system: id, user: user) else { throw TapisError(.notFound, "\(user) has no credential for system \(id)") }
    }

    /// The system, once `caller` may handle `user`'s credential there: `user` themselves on a
    /// system with `${apiUserId}` they may use, else the system's owner or an administrator. With
    /// `storing`, on a `${apiUserId}` system only the user or an administrator: an owner who set
    /// a user's credential could point it at the owner's own account and see that user's jobs.
    private func authorize(system id: String, user: String, caller: Caller, storing: Bool = false) async throws -> TapisSystem {
        try Validation.loginName(user, field: "userName")
        guard let system = try await caller.isAdmin ? catalog.system(id) : catalog.system(id, usableBy: caller) else {
            throw TapisError(.notFound, "no system \(id.debugDescription) that you may use")
        }
        if system.isLocal { throw TapisError.invalid("systemId", "system \(id) is this host, reached without SSH; it takes no credentials") }
        if system.isDynamic {
            guard UserAccount.named(user) != nil else { throw TapisError.invalid("userName", "there is no user \(user.debugDescription) on this host") }
        } else if user != system.login(for: user) {
            throw TapisError.invalid("userName", "system \(id) logs in as \(system.login(for: user)) (a static effectiveUserId); its credential is that login's")
        }
        guard caller.isAdmin || (system.isDynamic && user == caller.name) || (system.owner == caller.name && !(storing && system.isDynamic)) else {
            throw TapisError(.forbidden, "only \(user)\(storing && system.isDynamic ? "" : ", the owner of system \(id)") or an administrator may \(storing ? "set" : "handle") \(user)'s credential there")
        }
        return system
    }

    private func tryLogin(_ system: TapisSystem, _ credential: UserCredential, user: String) async throws {
        let login = system.login(for: user, with: credential)
        let result: CommandResult
        do {
            result = try await transports.transport(for: system.loggingIn(with: credential), login: login).run("true", input: nil, timeout: .seconds(30))
        } catch let error as TapisError {
            throw TapisError(.unauthorized, "the credential could not log in to \(system.host ?? system.id) as \(login): \(error.message)")
        }
        guard result.status == 0 else {
            throw TapisError(.unauthorized, "the credential logged in to \(system.host ?? system.id) as \(login), but a command failed there: \(result.errorText)")
        }
    }
}
