public import Foundation

/// Where and how a notification is delivered (Tapis `deliveryTarget`).
public struct DeliveryTarget: Codable, Sendable, Hashable {
    /// How a notification travels: Tapis Notifications accepts these two.
    public enum Method: String, Codable, Sendable, CaseIterable {
        case webhook = "WEBHOOK"
        case email = "EMAIL"
    }

    public var deliveryMethod: Method
    public var deliveryAddress: String

    public init(deliveryMethod: Method, deliveryAddress: String) {
        self.deliveryMethod = deliveryMethod
        self.deliveryAddress = deliveryAddress
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case deliveryMethod, deliveryAddress }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue), in: "a delivery target")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let method = try container.decodeIfPresent(String.self, forKey: .deliveryMethod) else {
            throw TapisError.invalid("deliveryMethod", "is required (WEBHOOK or EMAIL)")
        }
        guard let known = Method(rawValue: method) else {
            throw TapisError.invalid("deliveryMethod", "\(method.prefix(32).debugDescription) is not supported; use WEBHOOK or EMAIL")
        }
        deliveryMethod = known
        deliveryAddress = try container.decodeIfPresent(String.self, forKey: .deliveryAddress) ?? ""
    }

    /// The webhook's URL, once `validate()` passed for a webhook.
    public var webhookURL: URL? { deliveryMethod == .webhook ? URL(string: deliveryAddress) : nil }

    /// Checks the address's form: an http(s) URL with a host and no credentials for a webhook, an
    /// address with one `@` and no spaces for email.
    /// - Throws: `TapisError.badRequest` naming `deliveryAddress`.
    public func validate() throws(TapisError) {
        let address = deliveryAddress
        guard (1...2048).contains(address.count) else { throw .invalid("deliveryAddress", "must be 1 to 2048 characters") }
        guard !address.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalid("deliveryAddress", "must not contain spaces or control characters")
        }
        switch deliveryMethod {
        case .webhook:
            guard let components = URLComponents(string: address), let scheme = components.scheme?.lowercased(),
                ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
            else {
                throw .invalid("deliveryAddress", "\(address.prefix(80).debugDescription) is not an http or https URL with a host")
            }
            guard components.user == nil, components.password == nil else {
                throw .invalid("deliveryAddress", "a webhook URL must not carry a user name or password; receivers check the X-Tapis-Signature header instead")
            }
            guard components.fragment == nil else { throw .invalid("deliveryAddress", "a webhook URL has no #fragment") }
        case .email:
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
                !address.contains(where: { "<>,;:\"()[]\\".contains($0) })
            else {
                throw .invalid("deliveryAddress", "\(address.prefix(80).debugDescription) is not an email address (user@host.domain)")
            }
        }
    }
}
