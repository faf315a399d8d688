import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TapisCore

/// A browser's login: the session cookie holds the access token the password login minted (so a
/// session ends when the token does, or is revoked), and forms carry a value derived from it (CSRF).
enum WebSession {
    static let cookie = "tapisd_session"
    /// A session unused this long ends (its token is revoked).
    static let idleLimit: TimeInterval = 30 * 60

    /// The session cookie of a request, if any.
    static func token(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == cookie { return String(pair[1]) }
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that starts a session (`lifetime` seconds at most) or, with nil, ends one.
    static func setCookie(_ token: String?, lifetime: Int = 0, secure: Bool) -> String {
        var attributes = ["\(cookie)=\(token ?? "")", "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=\(token == nil ? 0 : lifetime)"]
        if secure { attributes.append("Secure") }
        return attributes.joined(separator: "; ")
    }

    /// The CSRF value of a session: an HMAC of its token's id, under the portal's key.
    static func csrf(jti: String, key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(jti.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }
}

/// When each session was last used, to end idle ones; a session the daemon has not seen since it
/// started counts as used now.
actor SessionActivity {
    private var lastSeen: [String: Date] = [:]

    /// Records a use of session `jti`; false when it had been idle past the limit.
    func touch(_ jti: String, now: Date = Date()) -> Bool {
        defer { lastSeen[jti] = now }
        if lastSeen.count > 10_000 { lastSeen = lastSeen.filter { now.timeIntervalSince($0.value) < WebSession.idleLimit } }
        guard let seen = lastSeen[jti] else { return true }
        return now.timeIntervalSince(seen) < WebSession.idleLimit
    }

    func forget(_ jti: String) { lastSeen[jti] = nil }
}
