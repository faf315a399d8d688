public import Foundation

/// A job event as Tapis Notifications carries it (`Event`): what webhooks and emails deliver and
/// what the event stream sends. `data` is a string holding JSON (for a user event, the user's text).
public struct TapisEvent: Codable, Sendable, Equatable {
    public var source = "https://tapis.io/jobs"
    public var type: String
    public var subject: String
    public var data: String
    public var seriesId: String
    public var seriesSeqCount: Int
    public var timestamp: String
    public var deleteSubscriptionsMatchingSubject: Bool
    public var endSeries = false
    public var tenant: String
    public var user = "jobs"
    public var received: String
    public var uuid: String

    /// - Parameters:
    ///   - category, detail: the event's kind (`JOB_NEW_STATUS`, `RUNNING`): its type is `jobs.<category>.<detail>`.
    ///   - sequence: its place among the job's events, from 1.
    public init(uuid: String, job: JobUUID, tenant: String, category: String, detail: String, data: String, sequence: Int, at date: Date) {
        type = "jobs.\(category).\(detail)"
        subject = job.rawValue
        self.data = data
        seriesId = job.rawValue
        seriesSeqCount = sequence
        timestamp = Job.timestamp(date)
        received = timestamp
        deleteSubscriptionsMatchingSubject = category == JobEventCategory.newStatus.rawValue && (JobStatus(rawValue: detail)?.isTerminal ?? false)
        self.tenant = tenant
        self.uuid = uuid
    }
}

/// One delivery of an event to one target (Tapis `Notification`), as a webhook receives it in its
/// body and an email in its text. `uuid` is the delivery's: the same on every retry, so that a
/// receiver can drop duplicates.
public struct TapisNotification: Codable, Sendable, Equatable {
    public var uuid: String
    public var tenant: String
    public var subscriptionName: String
    public var eventUuid: String
    public var event: TapisEvent
    public var deliveryTarget: DeliveryTarget
    public var created: String

    public init(uuid: String, subscriptionName: String, event: TapisEvent, target: DeliveryTarget, created: Date) {
        self.uuid = uuid
        tenant = event.tenant
        self.subscriptionName = subscriptionName
        eventUuid = event.uuid
        self.event = event
        deliveryTarget = target
        self.created = Job.timestamp(created)
    }

    /// The body Tapis sends: pretty-printed JSON.
    public func body() throws -> Data { try TapisJSON.encoder(pretty: true).encode(self) }

    /// Tapis's email subject.
    public var emailSubject: String { "Tapis v3 notification. Event type: \(event.type) subject: \(event.subject)" }
}
