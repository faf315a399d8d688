public import Foundation
public import Logging
import TapisCore
import TapisTransport

/// Password logins (`POST /v3/oauth2/tokens`): who may log in, PAM's check, the back-off and the
/// audit line, in one place for every client (tapipy, the web page, `tapis login`). Every refusal
/// gets the same answer and takes at least `refusalTime`, so neither the message nor the timing
/// tells an unknown user from a wrong password or a locked account.
public final class LoginService: Sendable {
    /// Who may log in with a password.
    public struct Rules: Sendable {
        /// Only members of this group may log in (nil: every account).
        public var loginGroup: String?
        /// Whether root may log in over the network.
        public var allowRoot = false
        /// The life of a token a login returns (Tapis's default: 4 hours).
        public var tokenLifetime: TimeInterval = TokenAuthority.defaultLifetime

        public init(loginGroup: String? = nil, allowRoot: Bool = false) {
            self.loginGroup = loginGroup
            self.allowRoot = allowRoot
        }
    }

    /// The answer to a login attempt that was not refused outright.
    public enum Outcome: Sendable {
        case granted(TokenAuthority.Grant)
        /// Too many recent failures (or checks at once): retry after this many seconds.
        case wait(Int)
    }

    /// The one answer every refused login gets.
    public static let refusal = TapisError(.unauthorized, "the user name or password is wrong, or this account may not log in here")

    private let passwords: PasswordCheck
    private let throttle: LoginThrottle
    private let tokens: TokenAuthority
    private let clients: OAuthClients
    private let rules: Rules
    private let logger: Logger
    private let refusalTime: Duration

    public init(
        passwords: PasswordCheck, throttle: LoginThrottle = LoginThrottle(), tokens: TokenAuthority, clients: OAuthClients, rules: Rules,
        logger: Logger, refusalTime: Duration = .seconds(1)
    ) {
        self.passwords = passwords
        self.clients = clients
        self.throttle = throttle
        self.tokens = tokens
        self.rules = rules
        self.logger = logger
        self.refusalTime = refusalTime
    }

    /// Checks `password` for `user` and, if it is right and the account may log in, mints an
    /// access token, and a refresh token when the login came through an OAuth client.
    /// - Parameters:
    ///   - client: the OAuth client's Basic credentials, if any.
    ///   - source: the client's address (the back-off and the audit line are per address).
    /// - Throws: `TapisError.badRequest` for a malformed name or password, `.unauthorized` (always
    ///   `refusal` for the account) for any refusal, `.unavailable` when PAM cannot check.
    public func passwordGrant(user typed: String, password: String, client: OAuthClients.Credentials?, source: String) async throws -> Outcome {
        try Self.validate(user: typed, password: password)
        let started = ContinuousClock.now
        // The account's own name from here on: the back-off, PAM, the token and the audit line all
        // see one name, however a directory service lets it be typed.
        let account = UserAccount.named(typed)
        let user = account?.name ?? typed
        try await check(client, user: user, source: source)
        if case .wait(let seconds) = await throttle.begin(user: user, source: source) {
            audit(user, source, "throttled", "retry in \(seconds) s")
            return .wait(seconds)
        }
        let outcome: PasswordCheck.Outcome
        do {
            if let reason = barred(account) {
                outcome = .refused(reason)
            } else {
                outcome = try await passwords.check(user: user, password: password, source: source)
            }
        } catch {
            await throttle.finish(user: user, source: source, .unchecked)
            throw error
        }
        switch outcome {
        case .accepted:
            await throttle.finish(user: user, source: source, .accepted)
            let grant = try await tokens.grant(for: user, lifetime: rules.tokenLifetime, grant: "password", client: client?.id)
            audit(user, source, "accepted", client.map { "client \($0.id)" }, jti: grant.access.record.jti)
            return .granted(grant)
        case .refused(let reason), .accountUnusable(let reason):
            await throttle.finish(user: user, source: source, .refused)
            audit(user, source, "refused", reason)
            // Even a cancelled request answers only after the padding: its timing tells nothing.
            try? await Task.sleep(until: started + refusalTime)
            throw Self.refusal
        case .failed(let reason):
            // A PAM that cannot check is not the client's failure: it does not count toward a back-off.
            await throttle.finish(user: user, source: source, .unchecked)
            audit(user, source, "error", reason)
            try? await Task.sleep(until: started + refusalTime)
            throw TapisError(.unavailable, "tapisd cannot check passwords now; its log says why")
        }
    }

    /// Spends a refresh token of `client` for a new access token and a new refresh token (the old
    /// one no longer works: a stolen copy used after its owner refreshed is refused, and so is the
    /// owner's copy after a thief refreshed first).
    /// - Throws: `TapisError.unauthorized` for missing or wrong client credentials, a token that is
    ///   not a valid refresh token of that client, already spent or revoked, or an account that may
    ///   no longer log in.
    public func refreshGrant(refreshToken: String, client: OAuthClients.Credentials?, source: String) async throws -> Outcome {
        guard let client else {
            throw TapisError(.unauthorized, "a refresh needs the OAuth client's credentials (Authorization: Basic client_id:client_key)")
        }
        try await check(client, user: nil, source: source)
        let claims = try await tokens.refreshClaims(of: refreshToken)
        guard claims.clientId == client.id else {
            audit(claims.username, source, "refresh refused", "token of client \(claims.clientId) presented by client \(client.id)")
            throw TapisError(.unauthorized, "refresh_token was issued to another OAuth client")
        }
        if let reason = barred(UserAccount.named(claims.username)) {
            audit(claims.username, source, "refresh refused", reason)
            throw Self.refusal
        }
        do {
            // The new refresh token ends when the old one did: a chain of refreshes lives as long
            // as the password login that started it, never longer.
            let grant = try await tokens.grant(
                for: claims.username, lifetime: rules.tokenLifetime, grant: "refresh_token", client: client.id,
                refreshCount: claims.refreshCount + 1, spending: claims.jti, refreshUntil: claims.expires)
            audit(claims.username, source, "refreshed", "client \(client.id)", jti: grant.access.record.jti)
            return .granted(grant)
        } catch let error as TapisError where error.code == .unauthorized {
            audit(claims.username, source, "refresh refused", "refresh token \(claims.jti) was already spent or revoked")
            throw error
        }
    }

    /// Refuses wrong client credentials (nil: no client, nothing to check).
    private func check(_ client: OAuthClients.Credentials?, user: String?, source: String) async throws {
        guard let client else { return }
        guard try await clients.authenticate(client) else {
            audit(user ?? "-", source, "refused", "wrong credentials for OAuth client \(client.id.debugDescription)")
            throw TapisError(.unauthorized, "the OAuth client's id or key is wrong")
        }
    }

    /// Why an account may not log in whatever its password: none on this host, root, or outside
    /// the login group.
    private func barred(_ account: UserAccount?) -> String? {
        guard let account else { return "no such account" }
        if account.uid == 0, !rules.allowRoot { return "root may not log in over the network (allowRootLogin)" }
        if let group = rules.loginGroup {
            guard let gid = UserAccount.groupID(named: group), account.isMember(ofGroup: gid) else { return "not a member of the login group \(group)" }
        }
        return nil
    }

    private static func validate(user: String, password: String) throws {
        guard !user.isEmpty else { throw TapisError.invalid("username", "is required") }
        guard user.utf8.count <= 64, user.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || "0123456789._-$".unicodeScalars.contains($0)) })
        else { throw TapisError.invalid("username", "is not a user name of this host (letters, digits, '.', '_', '-', at most 64)") }
        guard !password.isEmpty else { throw TapisError.invalid("password", "is required") }
        guard password.utf8.count <= 1024, !password.utf8.contains(0) else { throw TapisError.invalid("password", "is longer than 1024 bytes or holds a NUL") }
    }

    /// One audit line per attempt: never the password, never the token (its `jti` names it).
    private func audit(_ user: String, _ source: String, _ result: String, _ reason: String?, jti: String? = nil) {
        var metadata: Logger.Metadata = ["source": "\(source)", "result": "\(result)"]
        if let reason { metadata["reason"] = "\(reason)" }
        if let jti { metadata["token.jti"] = "\(jti)" }
        Audit.record(logger, "login \(result)", kind: "login", user: user, metadata)
    }
}
