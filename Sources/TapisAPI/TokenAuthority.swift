import Crypto
import _CryptoExtras
public import Foundation
import Synchronization
import TapisCore
import TapisTransport
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
    private let key: Mutex<KeyState>

    /// The signing key: read at start, or made at first use (an RSA key takes a few hundred
    /// milliseconds of CPU; a process that never signs or checks a token never makes one).
    private enum KeyState {
        case ready(_RSA.Signing.PrivateKey)
        case making(Task<_RSA.Signing.PrivateKey, any Error>)
        case absent
    }

    /// Reads the signing key at `keyPath` (a PEM private key); without one, one is made (and
    /// written, mode 0600) when first needed.
    /// - Throws: `TapisError.internal` for a key file that cannot be read as one.
    public init(store: JobStore, keyPath: String, tenant: String) throws {
        self.store = store
        self.keyPath = keyPath
        self.tenant = tenant
        guard FileManager.default.fileExists(atPath: keyPath) else {
            key = Mutex(.absent)
            return
        }
        guard let text = try? String(contentsOfFile: keyPath, encoding: .utf8), let existing = try? _RSA.Signing.PrivateKey(pemRepresentation: text) else {
            throw TapisError(
                .internal,
                "the token signing key \(keyPath) cannot be read as a PEM RSA key; restore it, or remove it to make a new one (every token signed with it then stops working)")
        }
        key = Mutex(.ready(existing))
    }

    /// Makes the signing key now if there is none yet (the daemon does at start, so that the first
    /// login does not wait for it).
    public func prepare() async throws {
        _ = try await signingKey()
    }

    /// The public half of the signing key (PEM, `BEGIN PUBLIC KEY`), which verifies every token.
    public func publicKeyPEM() async throws -> String {
        try await signingKey().publicKey.pemRepresentation
    }

    /// The key, made once however many callers ask for it at the same time.
    private func signingKey() async throws -> _RSA.Signing.PrivateKey {
        enum Next {
            case have(_RSA.Signing.PrivateKey)
            case wait(Task<_RSA.Signing.PrivateKey, any Error>)
        }
        let path = keyPath
        let next: Next = key.withLock { state in
            switch state {
            case .ready(let key): return .have(key)
            case .making(let task): return .wait(task)
            case .absent:
                let task = Task {
                    let fresh = try await Self.freshKey()
                    try Self.write(fresh, to: path)
                    return fresh
                }
                state = .making(task)
                return .wait(task)
            }
        }
        switch next {
        case .have(let key): return key
        case .wait(let task):
            do {
                let made = try await task.value
                key.withLock { state in
                    if case .making = state { state = .ready(made) }
                }
                return made
            } catch {
                key.withLock { $0 = .absent }
                throw error
            }
        }
    }

    /// A token as handed out, with its record.
    public typealias Minted = (token: String, record: TokenRecord)

    /// What a login or a refresh hands out: an access token and, through an OAuth client, a
    /// refresh token for that client.
    public struct Grant: Sendable {
        public var access: Minted
        public var refresh: Minted?
    }

    /// What a valid refresh token says.
    public struct RefreshClaims: Sendable, Equatable {
        public var jti: String
        public var username: String
        public var clientId: String
        public var refreshCount: Int
        public var expires: Date

        public init(jti: String, username: String, clientId: String, refreshCount: Int, expires: Date) {
            self.jti = jti
            self.username = username
            self.clientId = clientId
            self.refreshCount = refreshCount
            self.expires = expires
        }
    }

    /// A new access token for `username`, valid for `lifetime` seconds.
    /// - Parameter grant: how it was obtained (`tapis/grant_type`): nil when minted over the socket.
    /// - Throws: `TapisError.badRequest` for a lifetime out of bounds.
    public func mint(for username: String, lifetime: TimeInterval, grant: String? = nil, now: Date = Date()) async throws -> Minted {
        try await self.grant(for: username, lifetime: lifetime, grant: grant, client: nil, now: now).access
    }

    /// An access token and, when `client` is given, a refresh token for it (for
    /// `refreshLifetime`, or until `refreshUntil`), recorded together. With `spending`, that
    /// refresh token is revoked in the same transaction, and nothing is handed out if it was
    /// already spent or revoked.
    /// - Throws: `TapisError.unauthorized` when `spending` names a spent or revoked token, or the
    ///   refresh chain has run out.
    public func grant(
        for username: String, lifetime: TimeInterval, grant: String?, client: String?, refreshCount: Int = 0, spending: String? = nil,
        refreshUntil: Date? = nil, now: Date = Date()
    ) async throws -> Grant {
        let access = try await make(.access, for: username, lifetime: lifetime, grant: grant, client: client, refreshCount: client.map { _ in refreshCount }, now: now)
        let refreshLife = min(Self.refreshLifetime, refreshUntil.map { $0.timeIntervalSince(now).rounded(.down) } ?? Self.refreshLifetime)
        guard client == nil || refreshLife >= 60 else { throw TapisError(.unauthorized, "the refresh token is about to expire; log in again") }
        var refresh: Minted?
        if let client {
            refresh = try await make(.refresh, for: username, lifetime: refreshLife, grant: grant, client: client, refreshCount: refreshCount, now: now)
        }
        let records = [access.record] + (refresh.map { [$0.record] } ?? [])
        if let spending {
            guard try await store.spendRefreshToken(spending, for: records, now: now) else {
                throw TapisError(.unauthorized, "the refresh token was already used or has been revoked; log in again")
            }
        } else {
            try await store.insert(records)
        }
        return Grant(access: access, refresh: refresh)
    }

    /// The life of a refresh token.
    public static let refreshLifetime: TimeInterval = maximumLifetime

    /// The claims of a refresh token this tapisd signed, unexpired (whether it is spent is the
    /// store's to say, when it is spent).
    /// - Throws: `TapisError.unauthorized` for anything else.
    public func refreshClaims(of token: String, now: Date = Date()) async throws -> RefreshClaims {
        let claims = try await verified(token, as: .refresh, named: "refresh_token", now: now)
        guard let clientId = claims.clientId else { throw TapisError(.unauthorized, "refresh_token names no OAuth client") }
        return RefreshClaims(
            jti: claims.jti, username: claims.username, clientId: clientId, refreshCount: claims.refreshCount ?? 0,
            expires: Date(timeIntervalSince1970: TimeInterval(claims.exp)))
    }

    /// The claims of `token` once its signature, tenant, kind and expiry check out; `name` is how
    /// the client sent it, for the messages.
    private func verified(_ token: String, as kind: TokenKind, named name: String, now: Date) async throws -> JSONWebToken.Claims {
        let publicKey = try await signingKey().publicKey
        let claims: JSONWebToken.Claims
        do { claims = try JSONWebToken.verify(token, key: publicKey) } catch let error as TapisError {
            throw TapisError(.unauthorized, "\(name): \(error.message)")
        }
        guard claims.tenant == tenant else { throw TapisError(.unauthorized, "\(name) is for tenant \(claims.tenant), not \(tenant)") }
        guard claims.tokenType == kind.rawValue else { throw TapisError(.unauthorized, "\(name) is a \(claims.tokenType) token, not an \(kind.rawValue) token") }
        guard TimeInterval(claims.exp) > now.timeIntervalSince1970 else {
            let again = kind == .access ? "log in again (tapis login), or mint one with `tapis tokens create` on this host" : "log in again"
            throw TapisError(.unauthorized, "\(name) expired at \(Date(timeIntervalSince1970: TimeInterval(claims.exp)).ISO8601Format()); \(again)")
        }
        return claims
    }

    private enum TokenKind: String {
        case access, refresh
    }

    private func make(_ kind: TokenKind, for username: String, lifetime: TimeInterval, grant: String?, client: String?, refreshCount: Int?, now: Date) async throws -> Minted {
        guard lifetime >= 60, lifetime <= Self.maximumLifetime else {
            throw TapisError.invalid("ttl", "must be from 60 seconds to \(Int(Self.maximumLifetime)) seconds (30 days)")
        }
        let issued = Int(now.timeIntervalSince1970)
        let record = TokenRecord(
            jti: UUID().uuidString.lowercased(), username: username, created: Date(timeIntervalSince1970: TimeInterval(issued)),
            expires: Date(timeIntervalSince1970: TimeInterval(issued) + lifetime.rounded()), type: kind.rawValue, clientId: client)
        let claims = JSONWebToken.Claims(
            jti: record.jti, iss: "tapisd", sub: "\(username)@\(tenant)", iat: issued, exp: Int(record.expires.timeIntervalSince1970),
            username: username, tenant: tenant, tokenType: kind.rawValue, accountType: "user", clientId: client, grantType: grant,
            refreshCount: refreshCount)
        return (try JSONWebToken.sign(claims, key: try await signingKey()), record)
    }

    /// The user an access token speaks for.
    /// - Throws: `TapisError.unauthorized` for a token that is malformed, altered, expired, revoked,
    ///   of another tenant or kind, or signed with a rotated key.
    public func user(of token: String, now: Date = Date()) async throws -> String {
        try await holder(of: token, now: now).username
    }

    /// The user an access token speaks for, and its id (`jti`).
    /// - Throws: as `user(of:)`.
    public func holder(of token: String, now: Date = Date()) async throws -> (username: String, jti: String) {
        let claims = try await verified(token, as: .access, named: "X-Tapis-Token", now: now)
        guard let record = try await store.token(claims.jti), record.username == claims.username, record.type == TokenKind.access.rawValue else {
            throw TapisError(.unauthorized, "X-Tapis-Token is not one tapisd issued")
        }
        if let revoked = record.revoked {
            throw TapisError(.unauthorized, "X-Tapis-Token \(record.jti) was revoked at \(revoked.ISO8601Format())")
        }
        return (claims.username, claims.jti)
    }

    /// Replaces the signing key: every token minted before stops working.
    public func rotateKey() async throws {
        let fresh = try await Self.freshKey()
        try Self.write(fresh, to: keyPath)
        key.withLock { $0 = .ready(fresh) }
    }

    /// A new RSA key, made on the blocking pool: it takes a few hundred milliseconds of CPU, which
    /// would stall the cooperative pool's few threads.
    private static func freshKey() async throws -> _RSA.Signing.PrivateKey {
        try await BlockingPool.run {
            do { return try _RSA.Signing.PrivateKey(keySize: .bits2048) } catch {
                throw TapisError(.internal, "cannot make a token signing key: \(error)")
            }
        }
    }

    /// Writes `key` to `path` (PEM, mode 0600).
    private static func write(_ key: _RSA.Signing.PrivateKey, to path: String) throws {
        do { try PrivateFile.write(Data(key.pemRepresentation.utf8), to: path) } catch {
            throw TapisError(.internal, "cannot write the token signing key: \(error)")
        }
    }
}
