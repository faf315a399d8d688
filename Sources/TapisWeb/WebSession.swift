import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TapisCore

/// A browser's login: the session cookie holds the access token the password login minted (so a
/// session ends when the token does, or is revoked), and forms carry a value derived from it (CSRF).
enum WebSession {
    /// A session unused this long ends (its token is revoked).
    static let idleLimit: TimeInterval = 30 * 60

    /// The cookie's name: under TLS with the `__Host-` prefix, so that the browser takes it only
    /// from this host over HTTPS, for the whole site (never set by a sibling domain or plain HTTP).
    static func cookie(secure: Bool) -> String { secure ? "__Host-tapisd_session" : "tapisd_session" }

    /// The session cookie of a request, if any.
    static func token(in request: Request, secure: Bool) -> String? {
        let name = cookie(secure: secure)
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that starts a session (`lifetime` seconds at most) or, with nil, ends one.
    static func setCookie(_ token: String?, lifetime: Int = 0, secure: Bool) -> String {
        var attributes = ["\(cookie(secure: secure))=\(token ?? "")", "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=\(token == nil ? 0 : lifetime)"]
        if secure { attributes.append("Secure") }
        return attributes.joined(separator: "; ")
    }

    /// The CSRF value of a session: an HMAC of its token's id, under the portal's key.
    static func csrf(jti: String, key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(jti.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `sent` is the session's CSRF value, compared in constant time.
    static func matches(_ sent: String, csrf: String) -> Bool {
        let sent = Array(sent.utf8), expected = Array(csrf.utf8)
        guard sent.count == expected.count else { return false }
        return zip(sent, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// When each session was last used, to end idle ones. Only what a person does counts as a use (a
/// page opened, a form posted); what an open page fetches by itself (its events, its log's tail)
/// does not keep a session alive. A session the daemon has not seen since it started counts as
/// used now.
actor SessionActivity {
    private var lastSeen: [String: Date] = [:]
    private var lastPruned = Date.distantPast
    /// Past this many sessions, idle ones are dropped (and their tokens revoked), at most once a minute.
    let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    /// Looks session `jti` up and, for a use, records it. Answers whether it is live (used within
    /// the idle limit), and the sessions found idle, whose tokens the caller revokes.
    func check(_ jti: String, isUse: Bool, now: Date = Date()) -> (live: Bool, idle: [String]) {
        var idle: [String] = []
        let live = lastSeen[jti].map { now.timeIntervalSince($0) < WebSession.idleLimit } ?? true
        if !live {
            lastSeen[jti] = nil
            idle.append(jti)
        } else if isUse || lastSeen[jti] == nil {
            lastSeen[jti] = now
        }
        if lastSeen.count > capacity, now.timeIntervalSince(lastPruned) > 60 {
            lastPruned = now
            let stale = lastSeen.filter { now.timeIntervalSince($0.value) >= WebSession.idleLimit }.map(\.key)
            for key in stale { lastSeen[key] = nil }
            idle += stale
        }
        return (live, idle)
    }

    func forget(_ jti: String) { lastSeen[jti] = nil }
}
