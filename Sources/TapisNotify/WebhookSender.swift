import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TapisCore
import TapisTransport

/// Sends webhooks: an HTTP POST of the notification's JSON, signed with the subscription owner's
/// secret. Every delivery resolves the URL's host and checks each address against the policy
/// first, then connects to an address it checked (a name cannot be made to point elsewhere between
/// the check and the connection); redirects are never followed; one deadline bounds the whole try,
/// the lookup and the answer's body included.
public actor WebhookSender: NotificationSender {
    public static let userAgent = "Tapis/v3"
    /// HTTP clients kept at most (one per host name and checked address); idle ones beyond go first.
    static let maxClients = 256

    private struct Pinned {
        var client: HTTPClient
        var inUse = 0
        var used = ContinuousClock.now
    }

    private let policy: DeliveryPolicy
    private let signing: WebhookSigning
    private let timeout: Duration
    /// One HTTP client per host name and the address it was checked to have: it connects there
    /// whatever the name resolves to later. Made at the first send to it, so a sender that never
    /// sends holds nothing to shut down; shut down only once idle.
    private var pinned: [String: Pinned] = [:]

    /// - Parameter timeout: how long one try may take in all (the lookup, connecting, sending, the answer).
    public init(policy: DeliveryPolicy, signing: WebhookSigning, timeout: Duration = .seconds(15)) {
        self.policy = policy
        self.signing = signing
        self.timeout = timeout
    }

    public func send(_ notification: TapisNotification, owner: String) async -> SendOutcome {
        let timeout = timeout
        do {
            return try await withThrowingTaskGroup(of: SendOutcome.self) { group in
                group.addTask { try await self.attempt(notification, owner: owner) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return SendOutcome(delivered: false, "timed out after \(timeout.components.seconds) s")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as TapisError {
            return SendOutcome(delivered: false, "refused: \(error.message)")
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return SendOutcome(delivered: false, "timed out after \(timeout.components.seconds) s")
        } catch {
            return SendOutcome(delivered: false, "\(error)".prefix(200).description)
        }
    }

    private func attempt(_ notification: TapisNotification, owner: String) async throws -> SendOutcome {
        guard let url = URL(string: notification.deliveryTarget.deliveryAddress), let host = url.host else {
            return SendOutcome(delivered: false, "refused: \(notification.deliveryTarget.deliveryAddress.prefix(80)) is not a URL")
        }
        let addresses = try await policy.webhookAddresses(for: url)
        let body = try notification.body()
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        request.headers.add(name: WebhookSigning.deliveryHeader, value: notification.uuid)
        request.headers.add(name: WebhookSigning.signatureHeader, value: WebhookSigning.signature(of: body, secret: try await signing.secret(of: owner)))
        request.body = .bytes(ByteBuffer(bytes: body))
        let key = checkout(host: host, among: addresses)
        defer { checkin(key) }
        let response = try await pinned[key]!.client.execute(request, timeout: TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        // Read (and drop) a little of the answer, so the connection can be kept.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        let code = Int(response.status.code)
        let redirect = (300..<400).contains(code) ? " (redirects are not followed)" : ""
        return SendOutcome(delivered: (200..<300).contains(code), "HTTP \(code)\(redirect)")
    }

    public func shutdown() async {
        for (_, entry) in pinned { try? await entry.client.shutdown() }
        pinned = [:]
    }

    /// The client for `host` pinned to one of `addresses` (the one it already uses, if still
    /// among them), marked in use.
    private func checkout(host: String, among addresses: [IPAddress]) -> String {
        let keys = addresses.map { "\(host)|\($0)" }
        let key = keys.first { pinned[$0] != nil } ?? keys[0]
        if pinned[key] == nil {
            retireIdle()
            let literal = IPAddress(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) != nil
            let address = addresses[keys.firstIndex(of: key)!]
            pinned[key] = Pinned(client: Self.client(pinning: literal ? [:] : [host: address.description], timeout: timeout))
        }
        pinned[key]!.inUse += 1
        pinned[key]!.used = .now
        return key
    }

    private func checkin(_ key: String) {
        pinned[key]?.inUse -= 1
        pinned[key]?.used = .now
    }

    /// Shuts down clients idle for a minute, and, beyond `maxClients`, the longest idle.
    private func retireIdle() {
        let now = ContinuousClock.now
        var idle = pinned.filter { $0.value.inUse == 0 }.sorted { $0.value.used < $1.value.used }
        while let (key, entry) = idle.first, now - entry.used > .seconds(60) || pinned.count >= Self.maxClients {
            idle.removeFirst()
            pinned[key] = nil
            let client = entry.client
            Task { try? await client.shutdown() }
        }
    }

    private static func client(pinning dnsOverride: [String: String], timeout: Duration) -> HTTPClient {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        configuration.dnsOverride = dnsOverride
        let seconds = TimeAmount.seconds(timeout.components.seconds)
        configuration.timeout = .init(connect: min(.seconds(5), seconds), read: seconds)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}
