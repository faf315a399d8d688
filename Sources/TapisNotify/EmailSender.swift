import Foundation
import TapisCore

/// Sends EMAIL notifications through the configured SMTP relay, as Tapis writes them: the subject
/// names the event type and the job, the body is the notification's JSON, as plain text and as HTML.
public struct EmailSender: NotificationSender {
    let settings: SMTPSettings
    /// How long one message may take in all.
    var timeout: Duration = .seconds(30)

    public init(settings: SMTPSettings) { self.settings = settings }

    public func send(_ notification: TapisNotification, owner: String) async -> SendOutcome {
        do {
            let reply = try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask { try await deliver(notification) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw SMTPSession.Failure(description: "timed out after \(timeout.components.seconds) s")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
            return SendOutcome(delivered: true, reply)
        } catch {
            return SendOutcome(delivered: false, "\(error)".prefix(200).description)
        }
    }

    public func shutdown() async {}

    private func deliver(_ notification: TapisNotification) async throws -> String {
        let message = try EmailMessage(notification, from: settings.from)
        let settings = settings
        return try await SMTPSession.run(host: settings.host, port: settings.port) { session in
            try await session.command("EHLO tapisd", expect: 250)
            if settings.startTLS {
                try await session.command("STARTTLS", expect: 220)
                try await session.startTLS(host: settings.host, caFile: settings.caFile)
                try await session.command("EHLO tapisd", expect: 250)
            }
            if let user = settings.user, let password = settings.password {
                let token = Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
                try await session.command("AUTH PLAIN \(token)", expect: 235, shown: "AUTH PLAIN")
            }
            try await session.command("MAIL FROM:<\(settings.fromAddress)>", expect: 250)
            try await session.command("RCPT TO:<\(notification.deliveryTarget.deliveryAddress)>", expect: 250, also: [251])
            try await session.command("DATA", expect: 354)
            try await session.data(Array(message.text.utf8), expect: 250)
            _ = try? await session.command("QUIT", expect: 221)
            return "SMTP 250 accepted by \(settings.host)"
        }
    }
}

/// An email as the relay receives it after `DATA`: headers, a plain and an HTML part (base64, so
/// no line of it can end the data early), and the closing `.`.
struct EmailMessage {
    let text: String

    /// - Throws: when the address would break a header (`DeliveryTarget.validate` refuses such addresses).
    init(_ notification: TapisNotification, from: String) throws {
        let to = notification.deliveryTarget.deliveryAddress
        guard !to.contains(where: { $0.isNewline || "<>".contains($0) }) else { throw SMTPSession.Failure(description: "refused: \(to.prefix(80)) is not an email address") }
        let body = String(decoding: try notification.body(), as: UTF8.self)
        let html = "<html><body><pre>\(HTML.escape(body))</pre></body></html>"
        let boundary = "tapisd-" + notification.uuid
        func base64(_ text: String) -> String {
            Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let lines = [
            "From: \(Self.header(from))", "To: <\(to)>", "Subject: \(Self.header(notification.emailSubject))",
            "Date: \(formatter.string(from: Date()))", "Message-ID: <\(notification.uuid)@tapisd>", "MIME-Version: 1.0",
            "X-Tapis-Delivery: \(notification.uuid)",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "",
            "--\(boundary)", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", base64(body),
            "--\(boundary)", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "", base64(html),
            "--\(boundary)--", ".", "",
        ]
        text = lines.joined(separator: "\r\n")
    }

    /// A header value on one line: control characters become spaces, and text beyond ASCII is an
    /// RFC 2047 encoded word.
    static func header(_ value: String) -> String {
        let flat = String(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        guard flat.unicodeScalars.contains(where: { !$0.isASCII }) else { return flat }
        return "=?utf-8?B?\(Data(flat.utf8).base64EncodedString())?="
    }
}
