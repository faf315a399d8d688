public import Foundation
public import TapisCore

/// What notifications may be sent where: the one rule that the submit, the subscribe call and the
/// delivery worker all apply. A webhook may not reach this host, its private networks or
/// link-local addresses (a request forged on a user's behalf) unless the administrator allows
/// the network (`webhookAllowedNetworks`); email needs a relay.
public struct DeliveryPolicy: Sendable {
    public var allowedNetworks: [NetworkRange]
    public var emailEnabled: Bool

    public init(allowedNetworks: [NetworkRange] = [], emailEnabled: Bool = false) {
        self.allowedNetworks = allowedNetworks
        self.emailEnabled = emailEnabled
    }

    /// Addresses no webhook reaches unless allowed: unspecified, loopback, private, shared (CGNAT),
    /// link-local, benchmarking, multicast and reserved blocks, and local-use NAT64 (IPv6 forms
    /// that carry an IPv4 address are judged by that address).
    public static let internalNetworks: [NetworkRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b:1::/48", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].compactMap(NetworkRange.init)

    /// Whether a webhook may be sent to `address`.
    public func allows(_ address: IPAddress) -> Bool {
        if allowedNetworks.contains(where: { $0.contains(address) }) { return true }
        if let embedded = address.embeddedIPv4 { return allows(embedded) }
        return !Self.internalNetworks.contains { $0.contains(address) }
    }

    /// Checks a subscription's targets when it is made: their form, that email has a relay, and
    /// that no webhook host is (or resolves to) a refused address. A host that does not resolve
    /// now is accepted: the worker checks again at every delivery.
    /// - Throws: `TapisError.badRequest` naming the field.
    public func check(_ subscription: JobSubscriptionRequest) async throws {
        try subscription.validate()
        var resolved: Set<String> = []
        for target in subscription.deliveryTargets {
            switch target.deliveryMethod {
            case .email:
                guard emailEnabled else {
                    throw TapisError.invalid("deliveryMethod", "EMAIL notifications need an SMTP relay, and this tapisd has none configured (smtpHost); use WEBHOOK")
                }
            case .webhook:
                guard let host = target.webhookURL?.host, resolved.insert(host).inserted else { continue }
                guard let addresses = try? await HostAddresses.resolve(host) else { continue }
                if let refused = addresses.first(where: { !allows($0) }) { throw refusal(target.deliveryAddress, refused) }
            }
        }
    }

    /// The addresses a webhook may be sent to now: all its host resolves to, after checking that
    /// none is refused (a name that also resolves to an internal address is refused whole).
    /// - Throws: `TapisError.badRequest` for a refused address; `.unavailable` when the host does not resolve.
    public func webhookAddresses(for url: URL) async throws -> [IPAddress] {
        guard let host = url.host, !host.isEmpty else { throw TapisError.invalid("deliveryAddress", "\(url.absoluteString) has no host") }
        let addresses = try await HostAddresses.resolve(host)
        if let refused = addresses.first(where: { !allows($0) }) { throw refusal(url.absoluteString, refused) }
        guard !addresses.isEmpty else { throw TapisError(.unavailable, "host \(host) has no address") }
        return addresses
    }

    private func refusal(_ address: String, _ refused: IPAddress) -> TapisError {
        .invalid(
            "deliveryAddress",
            "\(address.prefix(80).debugDescription) reaches \(refused), an address of this host or a private network, which webhooks may not reach (an administrator can allow it with webhookAllowedNetworks)")
    }
}
