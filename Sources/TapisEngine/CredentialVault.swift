public import Crypto
import Foundation
public import TapisCore
public import TapisStore
import TapisTransport

/// Users' credentials for systems, sealed at rest: AES-GCM under a key file in the state
/// directory (outside the database file), the system and user bound in as authenticated data so a
/// sealed secret cannot be moved to another row. Secrets are opened only to log in.
public actor CredentialVault {
    private let store: JobStore
    private let keyPath: String
    private var key: SymmetricKey?

    /// The vault over `store`, with the key at `keyPath` (made there at the first start).
    public init(store: JobStore, keyPath: String) {
        self.store = store
        self.keyPath = keyPath
    }

    /// Reads the key and checks it against the stored credentials; the daemon does this at start
    /// and every use does it first.
    /// - Throws: `TapisError.internal`, and tapisd does not start, when credentials are stored but
    ///   the key file is missing, or when the key is not the one that sealed them: a new key is
    ///   never made over existing secrets.
    @discardableResult
    public func unlock() async throws -> SymmetricKey {
        if let key { return key }
        if !FileManager.default.fileExists(atPath: keyPath), try await store.credentialCount() > 0 {
            throw TapisError(.internal, "the credential key \(keyPath) is missing but users' credentials are stored; restore the key from a backup (tapisd will not make a new one over them)")
        }
        let key = SymmetricKey(data: try PrivateFile.secret(at: keyPath, purpose: "credential key"))
        let check = Self.check(of: key)
        guard try await store.credentialKeyCheck(storing: check) == check else {
            throw TapisError(.internal, "the credential key \(keyPath) is not the key that sealed the stored credentials; restore the right one from a backup")
        }
        self.key = key
        return key
    }

    /// A value that tells keys apart without revealing them.
    private static func check(of key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("tapisd credential key check".utf8), using: key).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    private static func context(system: String, user: String) -> Data { Data("\(system)\u{0}\(user)".utf8) }

    /// Stores `credential` for `user` on `system`, sealed, replacing an earlier one.
    public func save(_ credential: UserCredential, system: String, user: String) async throws {
        let plain = try TapisJSON.encoder().encode(credential)
        let box = try AES.GCM.seal(plain, using: try await unlock(), authenticating: Self.context(system: system, user: user))
        guard let sealed = box.combined else { throw TapisError(.internal, "sealing a credential failed") }
        try await store.saveCredential(SealedCredential(systemId: system, username: user, loginUser: credential.loginUser, sealed: sealed, updated: Date()))
    }

    /// The user's credential for the system, opened; nil when there is none.
    /// - Throws: `TapisError.internal` when the stored secret does not open under the key.
    public func credential(system: String, user: String) async throws -> UserCredential? {
        guard let stored = try await store.credential(system: system, user: user) else { return nil }
        let key = try await unlock()
        do {
            let box = try AES.GCM.SealedBox(combined: stored.sealed)
            let plain = try AES.GCM.open(box, using: key, authenticating: Self.context(system: system, user: user))
            return try TapisJSON.decode(UserCredential.self, from: plain)
        } catch {
            throw TapisError(.internal, "the stored credential of \(user) for system \(system) does not open under the credential key")
        }
    }

    /// The login the user's credential maps them to on the system (`loginUser`), if any.
    public func loginUser(system: String, user: String) async throws -> String? {
        try await store.credential(system: system, user: user)?.loginUser
    }

    /// Removes the user's credential for the system; false when there was none.
    public func remove(system: String, user: String) async throws -> Bool {
        try await store.deleteCredential(system: system, user: user)
    }
}
