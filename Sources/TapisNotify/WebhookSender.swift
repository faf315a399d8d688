import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TapisCore
import TapisTransport

/// Sends webhooks: an HTTP POST of the notification's JSON, signed with the subscription owner's
/// secret. Every delivery resolves the URL's host and checks each address against the policy
/// first, then connects to the address it checked (a name cannot be made to point elsewhere
/// between the check and the connection); redirects are never followed.
public actor WebhookSender: NotificationSender {
    public static let userAgent = "Tapis/v3"

    private let policy: DeliveryPolicy
    private let signing: WebhookSigning
    private let timeout: Duration
    /// One HTTP client per host name and the address it was checked to have (the client connects
    /// there whatever the name resolves to later); literal addresses share `direct`. Clients are
    /// made at the first send, so a sender that never sends holds nothing to shut down.
    private var pinned: [String: (address: IPAddress, client: HTTPClient, used: ContinuousClock.Instant)] = [:]
    private var direct: HTTPClient?

    /// - Parameter timeout: how long one try may take in all (connecting, sending, the answer).
    public init(policy: DeliveryPolicy, signing: WebhookSigning, timeout: Duration = .seconds(15)) {
        self.policy = policy
        self.signing = signing
        self.timeout = timeout
    }

    public func send(_ notification: TapisNotification, owner: String) async -> SendOutcome {
        guard let url = URL(string: notification.deliveryTarget.deliveryAddress), let host = url.host else {
            return SendOutcome(delivered: false, "refused: \(notification.deliveryTarget.deliveryAddress.prefix(80)) is not a URL")
        }
        let client: HTTPClient
        do {
            let address = try await policy.webhookAddress(for: url)
            client = self.client(for: host, address: address)
        } catch let error as TapisError {
            return SendOutcome(delivered: false, "refused: \(error.message)")
        } catch {
            return SendOutcome(delivered: false, "refused: \(error)")
        }
        do {
            let body = try notification.body()
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.headers.add(name: "User-Agent", value: Self.userAgent)
            request.headers.add(name: WebhookSigning.deliveryHeader, value: notification.uuid)
            request.headers.add(name: WebhookSigning.signatureHeader, value: WebhookSigning.signature(of: body, secret: try await signing.secret(of: owner)))
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: TimeAmount.nanoseconds(Int64(timeout.seconds * 1e9)))
            // Read (and drop) a little of the answer, so the connection can be kept.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            let redirect = (300..<400).contains(code) ? " (redirects are not followed)" : ""
            return SendOutcome(delivered: (200..<300).contains(code), "HTTP \(code)\(redirect)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return SendOutcome(delivered: false, "timed out after \(Int(timeout.seconds)) s")
        } catch {
            return SendOutcome(delivered: false, "\(error)".prefix(200).description)
        }
    }

    public func shutdown() async {
        for (_, entry) in pinned { try? await entry.client.shutdown() }
        pinned = [:]
        try? await direct?.shutdown()
        direct = nil
    }

    private func client(for host: String, address: IPAddress) -> HTTPClient {
        if IPAddress(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) != nil {
            if let direct { return direct }
            let client = Self.client(pinning: [:], timeout: timeout)
            direct = client
            return client
        }
        let now = ContinuousClock.now
        for (name, entry) in pinned where now - entry.used > .seconds(300) || (name == host && entry.address != address) {
            pinned[name] = nil
            let client = entry.client
            Task { try? await client.shutdown() }
        }
        if let entry = pinned[host] {
            pinned[host] = (address, entry.client, now)
            return entry.client
        }
        let client = Self.client(pinning: [host: address.description], timeout: timeout)
        pinned[host] = (address, client, now)
        return client
    }

    private static func client(pinning dnsOverride: [String: String], timeout: Duration) -> HTTPClient {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        configuration.dnsOverride = dnsOverride
        configuration.timeout = .init(connect: .seconds(5), read: TimeAmount.nanoseconds(Int64(timeout.seconds * 1e9)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}
