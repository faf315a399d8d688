public import Foundation

/// A stored subscription as `GET /v3/jobs/subscribe/{uuid}` lists it (Tapis `TapisSubscription`),
/// with what Tapis lacks: how its deliveries went, target by target.
public struct JobSubscription: Codable, Sendable, Equatable {
    public var uuid: String
    public var name: String
    public var tenant: String
    public var owner: String
    public var description: String?
    public var enabled: Bool
    public var typeFilter: String
    public var subjectFilter: String
    public var deliveryTargets: [DeliveryTarget]
    public var ttlMinutes: Int
    public var expiry: Date
    public var created: Date
    public var updated: Date
    public var deliveries: [DeliveryStatus]

    public init(
        uuid: String, name: String, tenant: String, owner: String, description: String?, enabled: Bool, category: JobEventCategory,
        job: JobUUID, deliveryTargets: [DeliveryTarget], ttlMinutes: Int, expiry: Date, created: Date, updated: Date, deliveries: [DeliveryStatus]
    ) {
        self.uuid = uuid
        self.name = name
        self.tenant = tenant
        self.owner = owner
        self.description = description
        self.enabled = enabled
        typeFilter = category.typeFilter
        subjectFilter = job.rawValue
        self.deliveryTargets = deliveryTargets
        self.ttlMinutes = ttlMinutes
        self.expiry = expiry
        self.created = created
        self.updated = updated
        self.deliveries = deliveries
    }
}

/// How one target's notifications of a subscription went: counts, and the latest attempt.
public struct DeliveryStatus: Codable, Sendable, Equatable {
    public var deliveryTarget: DeliveryTarget
    public var delivered: Int
    public var pending: Int
    /// Notifications given up after every try.
    public var abandoned: Int
    public var lastAttempt: Date?
    /// What the latest attempt got: `HTTP 200`, `HTTP 500`, `timed out after 10 s`, `250 OK`, ….
    public var lastOutcome: String?
    /// When the next try of a pending notification is due.
    public var nextAttempt: Date?

    public init(deliveryTarget: DeliveryTarget, delivered: Int, pending: Int, abandoned: Int, lastAttempt: Date?, lastOutcome: String?, nextAttempt: Date?) {
        self.deliveryTarget = deliveryTarget
        self.delivered = delivered
        self.pending = pending
        self.abandoned = abandoned
        self.lastAttempt = lastAttempt
        self.lastOutcome = lastOutcome
        self.nextAttempt = nextAttempt
    }
}
