import TapisCore

/// What one try of sending a notification came to: delivered or not, and in a few words why.
public struct SendOutcome: Sendable, Equatable {
    public var delivered: Bool
    /// `HTTP 200`, `HTTP 500`, `timed out after 15 s`, `250 2.0.0 Ok`, `refused: …`.
    public var summary: String

    public init(delivered: Bool, _ summary: String) {
        self.delivered = delivered
        self.summary = summary
    }
}

/// Sends notifications of one delivery method.
public protocol NotificationSender: Sendable {
    /// One try; never throws: every fault is an outcome to record.
    func send(_ notification: TapisNotification, owner: String) async -> SendOutcome
    /// Closes what the sender holds open.
    func shutdown() async
}
