/// What kind of job event a subscription listens to (Tapis `eventCategoryFilter`; `ALL` is every
/// kind). An event's Tapis type is `jobs.<category>.<detail>`.
public enum JobEventCategory: String, Codable, Sendable, CaseIterable {
    case newStatus = "JOB_NEW_STATUS"
    case inputTransactionId = "JOB_INPUT_TRANSACTION_ID"
    case archiveTransactionId = "JOB_ARCHIVE_TRANSACTION_ID"
    case subscription = "JOB_SUBSCRIPTION"
    case shareEvent = "JOB_SHARE_EVENT"
    case errorMessage = "JOB_ERROR_MESSAGE"
    case userEvent = "JOB_USER_EVENT"
    case all = "ALL"

    /// Whether a subscription with this filter receives events of `event` (a category name).
    public func matches(_ event: String) -> Bool { self == .all || rawValue == event }

    /// The Tapis Notifications type filter: `jobs.<category>.*`, or `jobs.*.*` for `ALL`.
    public var typeFilter: String { self == .all ? "jobs.*.*" : "jobs.\(rawValue).*" }

    /// The category a text names.
    /// - Throws: `TapisError.badRequest` naming `field` and the accepted values.
    public static func named(_ text: String, field: String) throws(TapisError) -> JobEventCategory {
        guard let category = JobEventCategory(rawValue: text) else {
            throw .invalid(field, "\(text.prefix(64).debugDescription) is not an event category; use one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return category
    }
}
