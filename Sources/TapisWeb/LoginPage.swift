import Foundation
import HTTPTypes
import Hummingbird
import TapisAPI
import TapisCore
import TapisStore

/// Logging in and out with the password of this host, through the API's own login service (PAM,
/// the back-off, the audit line, one answer for every refusal).
struct LoginPage: Sendable {
    let portal: WebPortal

    static func render(error: String?, next: String?, user: String = "") -> HTML {
        let message: HTML = error.map { "<p class=\"error\" role=\"alert\" id=\"login-error\">\($0)</p>" } ?? ""
        let back: HTML = next.map { "<input type=\"hidden\" name=\"next\" value=\"\($0)\">" } ?? ""
        return WebPage.page("Log in", nil, """
            <h1>Log in to tapisd</h1>\(message)
            <form method="post" action="/login" class="login">\(back)
            <label for="username">User name</label><input id="username" name="username" autocomplete="username" required value="\(user)" autofocus>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Log in</button></form>
            <p class="hint">Your account and password on this host.</p>
            """)
    }

    @Sendable func show(_ request: Request, context: TapisRequestContext) async throws -> Response {
        if await portal.session(of: request) != nil { return WebPage.redirect("/", secure: portal.secure) }
        return WebPage.response(Self.render(error: nil, next: Self.safeNext(request.uri.queryParameters["next"].map(String.init))))
    }

    @Sendable func submit(_ request: Request, context: TapisRequestContext) async throws -> Response {
        // No session yet to carry a CSRF value: a login posted from another site's page is refused
        // by what the browser says of its origin.
        if !Self.sameOrigin(request) {
            return WebPage.response(Self.render(error: "This login form did not come from this site.", next: nil), status: .forbidden)
        }
        var user = ""
        var next: String?
        do {
            let body = try await request.body.collect(upTo: 64 * 1024)
            let fields = FormFields(String(decoding: body.readableBytesView, as: UTF8.self))
            user = fields["username"] ?? ""
            next = Self.safeNext(fields["next"])
            switch try await portal.services.logins.passwordGrant(user: user, password: fields["password"] ?? "", client: nil, source: ClientAddress.of(context.channel)) {
            case .granted(let grant):
                let lifetime = Int(grant.access.record.expires.timeIntervalSinceNow)
                return WebPage.redirect(next ?? "/", cookie: WebSession.setCookie(grant.access.token, lifetime: lifetime, secure: portal.secure), secure: portal.secure)
            case .wait(let seconds):
                return WebPage.response(Self.render(error: "Too many failed logins: try again in \(seconds) s.", next: next, user: user), status: .tooManyRequests)
            }
        } catch let error as TapisError where error.code != .internal {
            return WebPage.response(Self.render(error: error.message, next: next, user: user), status: error.code.httpStatus)
        } catch {
            return WebPage.failure(error, nil, logger: context.logger)
        }
    }

    @Sendable func logout(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let frame = try portal.frame(context)
        return await WebPage.guarded(frame) {
            _ = try await portal.form(request, context)
            if let session = context.browserSession {
                _ = try await portal.services.store.revokeToken(session.jti, of: frame.user)
                await portal.activity.forget(session.jti)
            }
            return WebPage.redirect("/login", clearing: true, secure: portal.secure)
        }
    }

    /// Whether a post came from this site's own page: the browser's `Sec-Fetch-Site`, else its
    /// `Origin` against the host asked for (a client that sends neither is not a browser).
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] { return site == "same-origin" || site == "none" }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority, let originHost = URL(string: origin)?.host else { return false }
        return host == originHost || host.hasPrefix(originHost + ":") && URL(string: origin)?.port.map { host == "\(originHost):\($0)" } ?? false
    }

    /// Where to go after the login: a path of this site only (never `//elsewhere` or a URL).
    static func safeNext(_ next: String?) -> String? {
        // Printable ASCII only (browsers drop tabs and newlines, so `/\t/evil` would become `//evil`),
        // one leading slash, no backslash.
        guard let next, next.hasPrefix("/"), next.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" }),
            next.dropFirst().first != "/"
        else { return nil }
        return next
    }
}
