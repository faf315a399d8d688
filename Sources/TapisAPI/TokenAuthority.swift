import Crypto
public import Foundation
import Synchronization
import TapisCore
public import TapisStore

/// Mints, checks, lists and revokes the tokens of the TCP listener. They are HS256 JWTs signed with
/// a key kept in the state directory (mode 0600), which an administrator may rotate: every token
/// signed before then stops working. A token works only while its record exists unrevoked in the
/// store, so revoking one takes effect at once.
public final class TokenAuthority: Sendable {
    /// The longest life a token may be given.
    public static let maximumLifetime: TimeInterval = 30 * 24 * 3600
    /// The life a token gets when none is asked for.
    public static let defaultLifetime: TimeInterval = 4 * 3600

    private let store: JobStore
    private let keyPath: String
    private let tenant: String
    private let key: Mutex<SymmetricKey>

    /// Reads the signing key at `keyPath`, creating it when missing.
    /// - Throws: `TapisError.internal` naming the file when it cannot be read or written.
    public init(store: JobStore, keyPath: String, tenant: String) throws {
        self.store = store
        self.keyPath = keyPath
        self.tenant = tenant
        if let existing = FileManager.default.contents(atPath: keyPath), existing.count == 32 {
            key = Mutex(SymmetricKey(data: existing))
        } else {
            let fresh = SymmetricKey(size: .bits256)
            try Self.write(fresh, to: keyPath)
            key = Mutex(fresh)
        }
    }

    /// A new token for `username`, valid for `lifetime` seconds.
    /// - Throws: `TapisError.badRequest` for a lifetime out of bounds.
    public func mint(for username: String, lifetime: TimeInterval, now: Date = Date()) async throws -> (token: String, record: TokenRecord) {
        guard lifetime >= 60, lifetime <= Self.maximumLifetime else {
            throw TapisError.invalid("ttl", "must be from 60 seconds to \(Int(Self.maximumLifetime)) seconds (30 days)")
        }
        let issued = Int(now.timeIntervalSince1970)
        let record = TokenRecord(
            jti: UUID().uuidString.lowercased(), username: username, created: Date(timeIntervalSince1970: TimeInterval(issued)),
            expires: Date(timeIntervalSince1970: TimeInterval(issued) + lifetime.rounded()))
        let claims = JSONWebToken.Claims(
            jti: record.jti, iss: "tapisd", sub: "\(username)@\(tenant)", iat: issued, exp: Int(record.expires.timeIntervalSince1970),
            username: username, tenant: tenant, tokenType: "access", accountType: "user")
        let token = try JSONWebToken.sign(claims, key: key.withLock { $0 })
        try await store.insert(record)
        return (token, record)
    }

    /// The user a token speaks for.
    /// - Throws: `TapisError.unauthorized` for a token that is malformed, altered, expired, revoked,
    ///   of another tenant or signed with a rotated key.
    public func user(of token: String, now: Date = Date()) async throws -> String {
        let claims = try JSONWebToken.verify(token, key: key.withLock { $0 })
        guard claims.tenant == tenant else { throw TapisError(.unauthorized, "X-Tapis-Token is for tenant \(claims.tenant), not \(tenant)") }
        guard TimeInterval(claims.exp) > now.timeIntervalSince1970 else {
            throw TapisError(.unauthorized, "X-Tapis-Token expired at \(Date(timeIntervalSince1970: TimeInterval(claims.exp)).ISO8601Format()); mint a new one with `tapis tokens create`")
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
        let fresh = SymmetricKey(size: .bits256)
        try Self.write(fresh, to: keyPath)
        key.withLock { $0 = fresh }
    }

    /// Writes `key` to `path` (mode 0600) through a temporary file and a rename.
    private static func write(_ key: SymmetricKey, to path: String) throws {
        let temporary = path + ".tmp"
        let bytes = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: temporary, contents: bytes, attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0
        else { throw TapisError(.internal, "cannot write the token signing key \(path)") }
    }
}
