import Foundation

/// One user's secret for one system (Tapis `ReqCreateCredential`): a key pair or a password, and
/// the login it is for (`loginUser`, dynamic systems only). tapisd keeps it sealed and never returns it.
public struct UserCredential: Codable, Sendable, Equatable {
    public var loginUser: String?
    public var password: String?
    public var privateKey: String?
    public var publicKey: String?
    /// tapisd: the passphrase of an encrypted private key.
    public var passphrase: String?

    public init(loginUser: String? = nil, password: String? = nil, privateKey: String? = nil, publicKey: String? = nil) {
        self.loginUser = loginUser
        self.password = password
        self.privateKey = privateKey
        self.publicKey = publicKey
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case loginUser, password, privateKey, publicKey, passphrase }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue), in: "a credential tapisd logs in with (SSH: privateKey with publicKey, or password)")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        loginUser = try container.decodeIfPresent(String.self, forKey: .loginUser)
        password = try container.decodeIfPresent(String.self, forKey: .password)
        privateKey = try container.decodeIfPresent(String.self, forKey: .privateKey)
        publicKey = try container.decodeIfPresent(String.self, forKey: .publicKey)
        passphrase = try container.decodeIfPresent(String.self, forKey: .passphrase)
    }

    /// Checks the credential as a request gives it.
    /// - Throws: `TapisError.badRequest` naming the field: nothing to log in with, an incomplete
    ///   key pair, a private key that is not OpenSSH or PEM text, a login name that is not a plain
    ///   account name.
    public func validate() throws(TapisError) {
        if let loginUser { try Validation.loginName(loginUser, field: "loginUser") }
        let key = privateKey ?? "", pub = publicKey ?? ""
        guard !key.isEmpty || !pub.isEmpty || !(password ?? "").isEmpty else {
            throw .invalid("privateKey", "give a privateKey (with its publicKey) or a password")
        }
        if !key.isEmpty || !pub.isEmpty {
            guard !key.isEmpty, !pub.isEmpty else { throw .invalid(key.isEmpty ? "privateKey" : "publicKey", "a key pair needs both privateKey and publicKey") }
            guard key.hasPrefix("-----BEGIN ") && key.contains("PRIVATE KEY-----") else {
                throw .invalid("privateKey", "must be a private key as OpenSSH or PEM text (-----BEGIN … PRIVATE KEY-----)")
            }
            let parts = pub.split(separator: " ")
            guard parts.count >= 2, parts[0].hasPrefix("ssh-") || parts[0].hasPrefix("ecdsa-"), !pub.contains("\n") || pub.hasSuffix("\n") else {
                throw .invalid("publicKey", "must be one OpenSSH public key line (ssh-ed25519 AAAA… or ssh-rsa AAAA…)")
            }
            // An OpenSSH private key holds its public half in clear (even when encrypted): they must agree.
            if let held = Self.publicBlob(ofOpenSSHKey: key), Data(base64Encoded: String(parts[1])) != held {
                throw .invalid("publicKey", "does not match privateKey (it is another key's public half)")
            }
        }
    }

    /// The public key blob an `openssh-key-v1` private key carries; nil for other formats.
    static func publicBlob(ofOpenSSHKey text: String) -> Data? {
        let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard text.contains("BEGIN OPENSSH PRIVATE KEY"), let data = Data(base64Encoded: body) else { return nil }
        let bytes = [UInt8](data)
        let magic = Array("openssh-key-v1".utf8) + [0]
        guard bytes.starts(with: magic) else { return nil }
        var offset = magic.count
        func field() -> [UInt8]? {
            guard offset + 4 <= bytes.count else { return nil }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            guard length >= 0, offset + length <= bytes.count else { return nil }
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }
        // cipher, kdf name, kdf options, then the count of keys and the first public key.
        guard field() != nil, field() != nil, field() != nil, offset + 4 <= bytes.count else { return nil }
        offset += 4
        return field().map { Data($0) }
    }

    /// The credential as the system's definition carries it for a login.
    public var authn: TapisSystem.AuthnCredential {
        var authn = TapisSystem.AuthnCredential(privateKey: privateKey, password: password)
        authn.publicKey = publicKey
        authn.passphrase = passphrase
        return authn
    }
}

extension TapisSystem {
    /// The login `user`'s jobs use here with `credential`: its `loginUser` on a `${apiUserId}`
    /// system, else the system's login for them.
    public func login(for user: String, with credential: UserCredential?) -> String {
        isDynamic ? credential?.loginUser ?? user : login(for: user)
    }

    /// The system as `credential` logs in to it: that secret, by key or password.
    public func loggingIn(with credential: UserCredential) -> TapisSystem {
        var own = self
        own.authnCredential = credential.authn
        own.defaultAuthnMethod = (credential.privateKey ?? "").isEmpty ? "PASSWORD" : "PKI_KEYS"
        return own
    }
}
