import TapisCore

extension SSHTransport {
    /// The transport for a Tapis system reached over SSH, as `login`.
    /// - Parameters:
    ///   - system: the system (host, port, `defaultAuthnMethod`, `authnCredential`).
    ///   - login: the remote user.
    ///   - knownHosts: the known_hosts file used unless the system names a `hostKeyFingerprint`.
    ///   - pool: the process-wide pool.
    /// - Throws: `TapisError.badRequest` when the system lacks what its method needs.
    public init(system: TapisSystem, login: String, knownHosts: String, pool: SSHConnectionPool) throws {
        guard let host = system.host, !host.isEmpty else { throw TapisError.invalid("host", "system \(system.id) has no host") }
        let secret = system.authnCredential
        let credential: SSHCredential
        switch system.defaultAuthnMethod {
        case "PKI_KEYS":
            if let file = secret?.privateKeyFile {
                credential = .keyFile(path: file, passphrase: secret?.passphrase)
            } else if let key = secret?.privateKey, !key.isEmpty {
                credential = .key(privateKey: key, passphrase: secret?.passphrase)
            } else {
                throw TapisError.invalid("authnCredential.privateKey", "system \(system.id) uses PKI_KEYS but has no key")
            }
        case "PASSWORD":
            guard let password = secret?.password, !password.isEmpty else {
                throw TapisError.invalid("authnCredential.password", "system \(system.id) uses PASSWORD but has none")
            }
            credential = .password(password)
        default:
            throw TapisError.invalid("defaultAuthnMethod", "system \(system.id) has no supported defaultAuthnMethod (PKI_KEYS or PASSWORD)")
        }
        let hostKeys = system.hostKeyFingerprint.map(HostKeyPolicy.fingerprint) ?? .knownHosts(path: knownHosts)
        self.init(endpoint: SSHEndpoint(host: host, port: system.port ?? 22, login: login), credential: credential, hostKeys: hostKeys, pool: pool)
    }
}
