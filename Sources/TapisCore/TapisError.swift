/// The one error type that crosses module boundaries: a kind (which maps to an HTTP status in the
/// API) and a message a person can act on. Compare on `code`, never on `message`.
public struct TapisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Equatable {
        /// The caller's input is wrong (HTTP 400).
        case badRequest
        /// The caller has no identity or a bad one (HTTP 401).
        case unauthorized
        /// The caller may not do this (HTTP 403).
        case forbidden
        /// No such thing, or not the caller's (HTTP 404).
        case notFound
        /// The thing is in a state that forbids this (HTTP 409).
        case conflict
        /// A remote host, transport or scheduler failed in a way that may pass (retry later).
        case unavailable
        /// A remote command or file operation failed for good.
        case remoteFailure
        /// tapisd itself is wrong (HTTP 500).
        case `internal`
        /// A Tapis call tapisd does not offer yet (HTTP 501).
        case notImplemented
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// A 400 that names the offending field.
    public static func invalid(_ field: String, _ rule: String) -> TapisError {
        TapisError(.badRequest, "\(field): \(rule)")
    }
}
