/// A request to be notified of a job's events (Tapis `ReqSubscribe`): in a submit request's
/// `subscriptions`, as the body of `POST /v3/jobs/subscribe/{uuid}`, and (as `AppSubscription`)
/// in an app's `jobAttributes`. Decoding is strict, as Tapis's schema is.
public struct JobSubscriptionRequest: Codable, Sendable, Equatable {
    public var description: String?
    public var enabled: Bool?
    public var ttlMinutes: Int?
    public var eventCategoryFilter: JobEventCategory
    public var deliveryTargets: [DeliveryTarget]

    /// A subscription lives a week unless it asks otherwise, and four weeks at most (Tapis's rule).
    public static let defaultTTLMinutes = 10_080
    public static let maxTTLMinutes = 40_320
    /// Bounds of tapisd's own: a subscription's targets, and a job's subscriptions.
    public static let maxTargets = 10
    public static let maxPerJob = 50

    public init(eventCategoryFilter: JobEventCategory, deliveryTargets: [DeliveryTarget], description: String? = nil, enabled: Bool? = nil, ttlMinutes: Int? = nil) {
        self.eventCategoryFilter = eventCategoryFilter
        self.deliveryTargets = deliveryTargets
        self.description = description
        self.enabled = enabled
        self.ttlMinutes = ttlMinutes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case description, enabled, ttlMinutes, eventCategoryFilter, deliveryTargets
        /// tapipy's spelling (its bundled spec names the field so).
        case ttlminutes
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue), in: "a Tapis subscription request")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
        ttlMinutes = try container.decodeIfPresent(Int.self, forKey: .ttlMinutes) ?? container.decodeIfPresent(Int.self, forKey: .ttlminutes)
        guard let category = try container.decodeIfPresent(String.self, forKey: .eventCategoryFilter) else {
            throw TapisError.invalid("eventCategoryFilter", "is required")
        }
        eventCategoryFilter = try JobEventCategory.named(category, field: "eventCategoryFilter")
        guard let targets = try container.decodeIfPresent([DeliveryTarget].self, forKey: .deliveryTargets) else {
            throw TapisError.invalid("deliveryTargets", "is required: at least one {deliveryMethod, deliveryAddress}")
        }
        deliveryTargets = targets
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encodeIfPresent(enabled, forKey: .enabled)
        try container.encodeIfPresent(ttlMinutes, forKey: .ttlMinutes)
        try container.encode(eventCategoryFilter, forKey: .eventCategoryFilter)
        try container.encode(deliveryTargets, forKey: .deliveryTargets)
    }

    /// The TTL a subscription gets: unset or below 1 is a week, above four weeks is four weeks.
    public var effectiveTTLMinutes: Int {
        guard let ttlMinutes, ttlMinutes >= 1 else { return Self.defaultTTLMinutes }
        return min(ttlMinutes, Self.maxTTLMinutes)
    }

    /// Checks everything that needs no network: description, TTL, the targets' number, uniqueness and form.
    /// - Throws: `TapisError.badRequest` naming the field.
    public func validate() throws(TapisError) {
        if let description {
            guard (1...2048).contains(description.count) else { throw .invalid("description", "must be 1 to 2048 characters") }
            try Validation.rejectControlCharacters(description, field: "description")
        }
        if let ttlMinutes, ttlMinutes < 0 { throw .invalid("ttlMinutes", "must be 0 or more (0: the default of \(Self.defaultTTLMinutes) minutes)") }
        guard !deliveryTargets.isEmpty else { throw .invalid("deliveryTargets", "needs at least one target") }
        guard deliveryTargets.count <= Self.maxTargets else { throw .invalid("deliveryTargets", "at most \(Self.maxTargets) targets in one subscription") }
        guard Set(deliveryTargets).count == deliveryTargets.count else { throw .invalid("deliveryTargets", "names the same target twice") }
        for target in deliveryTargets { try target.validate() }
    }
}

/// A subscription as an app's `jobAttributes` carry it: the category field is `jobEventCategoryFilter`.
public struct AppSubscription: Codable, Sendable, Equatable {
    public var description: String?
    public var enabled: Bool?
    public var ttlMinutes: Int?
    public var jobEventCategoryFilter: String
    public var deliveryTargets: [DeliveryTarget]

    public init(jobEventCategoryFilter: String, deliveryTargets: [DeliveryTarget], description: String? = nil, enabled: Bool? = nil, ttlMinutes: Int? = nil) {
        self.jobEventCategoryFilter = jobEventCategoryFilter
        self.deliveryTargets = deliveryTargets
        self.description = description
        self.enabled = enabled
        self.ttlMinutes = ttlMinutes
    }

    /// The same subscription as a job request carries it.
    /// - Throws: `TapisError.badRequest` for an unknown category.
    public func request() throws(TapisError) -> JobSubscriptionRequest {
        JobSubscriptionRequest(
            eventCategoryFilter: try JobEventCategory.named(jobEventCategoryFilter, field: "jobAttributes.subscriptions.jobEventCategoryFilter"),
            deliveryTargets: deliveryTargets, description: description, enabled: enabled, ttlMinutes: ttlMinutes)
    }
}
