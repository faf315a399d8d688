import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TapisAPI
import TapisCore

/// The frame every page shares, and how pages are answered: HTML with a strict Content-Security-
/// Policy (scripts and styles from this site only, no inline code, no framing), errors as pages.
enum WebPage {
    /// Who is looking, for the navigation and the forms.
    struct Frame: Sendable {
        var user: String
        var isAdmin: Bool
        var csrf: String
        /// The request's logger, for failures.
        var logger: Logger
    }

    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        // Same-origin: other sites learn nothing, and this site's form posts carry their Origin.
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    /// A whole page: the navigation (with the log-out form) around `body`.
    static func page(_ title: String, _ frame: Frame?, _ body: HTML, live: Bool = false) -> HTML {
        let nav: HTML =
            frame.map { frame in
                """
                <nav aria-label="Main"><a class="brand" href="/">tapisd</a>
                <a href="/">Jobs</a><a href="/apps">Apps</a><a href="/systems">Systems</a>
                <span class="who">\(frame.user)\(frame.isAdmin ? " (administrator)" : "")</span>
                <form method="post" action="/logout" class="inline">\(csrfField(frame))<button type="submit">Log out</button></form></nav>
                """
            } ?? ""
        let script: HTML = live ? "<script src=\"/assets/live.js\" defer></script>" : ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · tapisd</title><link rel="stylesheet" href="/assets/style.css">\(script)</head>
            <body>\(nav)<main>\(body)</main></body></html>
            """
    }

    static func csrfField(_ frame: Frame) -> HTML { "<input type=\"hidden\" name=\"_csrf\" value=\"\(frame.csrf)\">" }

    static func response(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html.markup)))
    }

    /// A 303 to `location`, optionally setting or clearing the session cookie.
    static func redirect(_ location: String, cookie: String? = nil, clearing: Bool = false, secure: Bool) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        if let cookie { headers[.setCookie] = cookie } else if clearing { headers[.setCookie] = WebSession.setCookie(nil, secure: secure) }
        return Response(status: .seeOther, headers: headers)
    }

    /// The page for a refusal: the API's own message and status (`ErrorReport`), except that a
    /// failure inside the daemon says only that it happened (its detail goes to the log).
    static func failure(_ error: any Error, _ frame: Frame?, logger: Logger) -> Response {
        let (html, status) = failurePage(error, frame, logger: logger)
        return response(html, status: status)
    }

    static func failurePage(_ error: any Error, _ frame: Frame?, logger: Logger) -> (HTML, HTTPResponse.Status) {
        let (report, status) = ErrorReport.of(error, logger: logger)
        let message = report.code == .internal ? ErrorReport.internalMessage : report.message
        let title = report.code == .notFound ? "Not found" : "Something went wrong"
        return (page(title, frame, "<h1>\(title)</h1><p class=\"error\" role=\"alert\">\(message)</p><p><a href=\"/\">Back to the jobs</a></p>"), status)
    }

    /// Runs a page's work and answers a refusal with a page, not the API's JSON.
    static func guarded(_ frame: Frame, _ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch { return failure(error, frame, logger: frame.logger) }
    }

    /// A path segment or query value, percent-encoded.
    static func encoded(_ text: String) -> String {
        text.percentEncoded()
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: .gmt).year().month().day().time(includingFractionalSeconds: false)) + " UTC"
    }

    /// A duration as people read it: `42 s`, `3 min 5 s`, `2 h 7 min`, `3 d 4 h`.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded()))
        switch total {
        case ..<60: return "\(total) s"
        case ..<3600: return "\(total / 60) min \(total % 60) s"
        case ..<86_400: return "\(total / 3600) h \(total % 3600 / 60) min"
        default: return "\(total / 86_400) d \(total % 86_400 / 3600) h"
        }
    }
}
