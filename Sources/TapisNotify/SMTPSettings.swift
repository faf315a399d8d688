/// The SMTP relay that EMAIL notifications go through.
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port = 587
    /// Whether the session is upgraded with STARTTLS before anything else is sent (required when
    /// credentials are set: a password never crosses in clear).
    public var startTLS = true
    /// PEM certificates to trust for the relay instead of the system's.
    public var caFile: String?
    public var user: String?
    public var password: String?
    /// The `From:` of every notification.
    public var from = "Tapis Notifications Service <no-reply@localhost>"

    public init(host: String) { self.host = host }

    /// The bare address inside `from` (for `MAIL FROM`).
    var fromAddress: String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }
}
