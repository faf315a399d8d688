import Crypto
import _CryptoExtras
public import Foundation
import Synchronization
import TapisCore
public import TapisStore

/// Mints, checks, lists and revokes the tokens of the TCP listener. They are RS256 JWTs signed with
/// an RSA key kept in the state directory (PEM, mode 0600) whose public half `/v3/tenants`
/// publishes. An administrator may rotate the key: every token signed before then stops working. A
/// token works only while its record exists unrevoked in the store, so revoking one takes effect at
/// once.
public final class TokenAuthority: Sendable {
    /// The longest life a token may be given.
    public static let maximumLifetime: TimeInterval = 30 * 24 * 3600
    /// The life a token gets when none is asked for.
    public static let defaultLifetime: TimeInterval = 4 * 3600

    private let store: JobStore
    private let keyPath: String
    private let tenant: String
    private let key: Mutex<_RSA.Signing.PrivateKey>

    /// Reads the signing key at `keyPath` (a PEM private key), creating it when missing or unreadable.
    /// - Throws: `TapisError.internal` naming the file when it cannot be written.
    public init(store: JobStore, keyPath: String, tenant: String) throws {
        self.store = store
        self.keyPath = keyPath
        self.tenant = tenant
        if let text = try? String(contentsOfFile: keyPath, encoding: .utf8), let existing = try? _RSA.Signing.PrivateKey(pemRepresentation: text) {
            key = Mutex(existing)
        } else {
            let fresh = try Self.freshKey()
            try Self.write(fresh, to: keyPath)
            key = Mutex(fresh)
        }
    }

    /// The public half of the signing key (PEM, `BEGIN PUBLIC KEY`), which verifies every token.
    public var publicKeyPEM: String { key.withLock { $0.publicKey.pemRepresentation } }

    /// A new access token for `username`, valid for `lifetime` seconds.
    /// - Parameter grant: how it was obtained (`tapis/grant_type`): nil when minted over the socket.
    /// - Throws: `TapisError.badRequest` for a lifetime out of bounds.
    public func mint(for username: String, lifetime: TimeInterval, grant: String? = nil, now: Date = Date()) async throws -> (token: String, record: TokenRecord) {
        guard lifetime >= 60, lifetime <= Self.maximumLifetime else {
            throw TapisError.invalid("ttl", "must be from 60 seconds to \(Int(Self.maximumLifetime)) seconds (30 days)")
        }
        let issued = Int(now.timeIntervalSince1970)
        let record = TokenRecord(
            jti: UUID().uuidString.lowercased(), username: username, created: Date(timeIntervalSince1970: TimeInterval(issued)),
            expires: Date(timeIntervalSince1970: TimeInterval(issued) + lifetime.rounded()))
        let claims = JSONWebToken.Claims(
            jti: record.jti, iss: "tapisd", sub: "\(username)@\(tenant)", iat: issued, exp: Int(record.expires.timeIntervalSince1970),
            username: username, tenant: tenant, tokenType: "access", accountType: "user", grantType: grant)
        let token = try JSONWebToken.sign(claims, key: key.withLock { $0 })
        try await store.insert(record)
        return (token, record)
    }

    /// The user an access token speaks for.
    /// - Throws: `TapisError.unauthorized` for a token that is malformed, altered, expired, revoked,
    ///   of another tenant or kind, or signed with a rotated key.
    public func user(of token: String, now: Date = Date()) async throws -> String {
        let claims: JSONWebToken.Claims
        do { claims = try JSONWebToken.verify(token, key: key.withLock { $0.publicKey }) } catch let error as TapisError {
            throw TapisError(.unauthorized, "X-Tapis-Token: \(error.message)")
        }
        guard claims.tenant == tenant else { throw TapisError(.unauthorized, "X-Tapis-Token is for tenant \(claims.tenant), not \(tenant)") }
        guard claims.tokenType == "access" else { throw TapisError(.unauthorized, "X-Tapis-Token is a \(claims.tokenType) token, not an access token") }
        guard TimeInterval(claims.exp) > now.timeIntervalSince1970 else {
            throw TapisError(.unauthorized, "X-Tapis-Token expired at \(Date(timeIntervalSince1970: TimeInterval(claims.exp)).ISO8601Format()); log in again (tapis login), or mint one with `tapis tokens create` on this host")
        }
        guard let record = try await store.token(claims.jti), record.username == claims.username else {
            throw TapisError(.unauthorized, "X-Tapis-Token is not one tapisd issued")
        }
        if let revoked = record.revoked {
            throw TapisError(.unauthorized, "X-Tapis-Token \(record.jti) was revoked at \(revoked.ISO8601Format())")
        }
        return claims.username
    }

    /// Replaces the signing key: every token minted before stops working.
    public func rotateKey() throws {
        let fresh = try Self.freshKey()
        try Self.write(fresh, to: keyPath)
        key.withLock { $0 = fresh }
    }

    private static func freshKey() throws -> _RSA.Signing.PrivateKey {
        do { return try _RSA.Signing.PrivateKey(keySize: .bits2048) } catch {
            throw TapisError(.internal, "cannot make a token signing key: \(error)")
        }
    }

    /// Writes `key` to `path` (PEM, mode 0600) through a temporary file and a rename.
    private static func write(_ key: _RSA.Signing.PrivateKey, to path: String) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0
        else { throw TapisError(.internal, "cannot write the token signing key \(path)") }
    }
}
