import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import TapisCore
import TapisNotify
import TapisStore
import TapisTestSupport
import TapisTransport
import Testing

/// Webhooks sent to a real HTTP server on loopback: the body, the headers and the signature, and
/// what a failing receiver comes to (500, a redirect, no answer), and addresses the policy refuses.
@Suite struct WebhookSenderTests {
    struct Received: Sendable {
        var body: Data
        var headers: HTTPFields
    }

    final class Inbox: Sendable {
        let received = Mutex<[Received]>([])
        var isEmpty: Bool { received.withLock { $0.isEmpty } }
        var first: Received? { received.withLock { $0.first } }
    }

    let directory: TemporaryDirectory
    let store: JobStore
    let signing: WebhookSigning

    init() throws {
        directory = try TemporaryDirectory("tapisd-webhook")
        store = try JobStore(path: directory.file("jobs.sqlite"))
        signing = try WebhookSigning(keyPath: directory.file("webhook.key"), store: store)
    }

    static func notification(to address: String) -> TapisNotification {
        let event = TapisEvent(uuid: "e1", job: .random(), tenant: "t", category: "JOB_NEW_STATUS", detail: "RUNNING", data: "{}", sequence: 7, at: Date())
        return TapisNotification(uuid: UUID().uuidString, subscriptionName: "s", event: event, target: DeliveryTarget(deliveryMethod: .webhook, deliveryAddress: address), created: Date())
    }

    /// A receiver on 127.0.0.1: `/ok` records, `/fail` answers 500, `/moved` redirects to `/ok`, `/hang` answers after 2 s.
    func withReceiver(_ body: @Sendable (Int, Inbox) async throws -> Void) async throws {
        let inbox = Inbox()
        let router = Router()
        router.post("ok") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            inbox.received.withLock { $0.append(Received(body: Data(bytes.readableBytesView), headers: request.headers)) }
            return .ok
        }
        router.post("fail") { _, _ -> HTTPResponse.Status in .internalServerError }
        router.post("moved") { _, _ in Response(status: .found, headers: [.location: "/ok"]) }
        router.post("trickle") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                for _ in 0..<60 {
                    try await writer.write(ByteBuffer(string: "."))
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await writer.finish(nil)
            })
        }
        router.post("hang") { _, _ -> HTTPResponse.Status in
            try await Task.sleep(for: .seconds(2))
            return .ok
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(try #require(client.port), inbox) }
    }

    @Test func aDeliveryIsSignedWithTheOwnersSecretAndNamesItself() async throws {
        let sender = WebhookSender(policy: DeliveryPolicy(allowedNetworks: [NetworkRange("127.0.0.1")!]), signing: signing, timeout: .seconds(20))
        try await withReceiver { port, received in
            let notification = Self.notification(to: "http://127.0.0.1:\(port)/ok")
            let outcome = await sender.send(notification, owner: "alice")
            #expect(outcome == SendOutcome(delivered: true, "HTTP 200"))
            let got = try #require(received.first)
            #expect(got.body == (try notification.body()))
            #expect(got.headers[HTTPField.Name("User-Agent")!] == "Tapis/v3")
            #expect(got.headers[HTTPField.Name("X-Tapis-Delivery")!] == notification.uuid)
            let secret = try await signing.secret(of: "alice")
            let mac = HMAC<SHA256>.authenticationCode(for: got.body, using: SymmetricKey(data: Data(secret.utf8)))
            #expect(got.headers[HTTPField.Name("X-Tapis-Signature")!] == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
            let bobs = try await signing.secret(of: "bob")
            #expect(bobs != secret)
            let rotated = try await signing.rotate(for: "alice")
            let current = try await signing.secret(of: "alice")
            #expect(rotated != secret && current == rotated)
        }
        await sender.shutdown()
    }

    @Test func failuresAreOutcomesNotErrors() async throws {
        let allowed = DeliveryPolicy(allowedNetworks: [NetworkRange("127.0.0.1")!])
        let sender = WebhookSender(policy: allowed, signing: signing, timeout: .seconds(20))
        let impatient = WebhookSender(policy: allowed, signing: signing, timeout: .seconds(1))
        try await withReceiver { port, received in
            #expect(await sender.send(Self.notification(to: "http://127.0.0.1:\(port)/fail"), owner: "alice") == SendOutcome(delivered: false, "HTTP 500"))
            #expect(await sender.send(Self.notification(to: "http://127.0.0.1:\(port)/moved"), owner: "alice") == SendOutcome(delivered: false, "HTTP 302 (redirects are not followed)"))
            #expect(received.isEmpty, "the redirect was not followed")
            let start = ContinuousClock.now
            #expect(await impatient.send(Self.notification(to: "http://127.0.0.1:\(port)/hang"), owner: "alice") == SendOutcome(delivered: false, "timed out after 1 s"))
            #expect(ContinuousClock.now - start < .seconds(10))
            let trickle = ContinuousClock.now
            #expect(await impatient.send(Self.notification(to: "http://127.0.0.1:\(port)/trickle"), owner: "alice") == SendOutcome(delivered: false, "timed out after 1 s"), "the deadline covers the answer's body")
            #expect(ContinuousClock.now - trickle < .seconds(8), "the answer trickles for 12 s")
        }
        let closed = await sender.send(Self.notification(to: "http://127.0.0.1:1/ok"), owner: "alice")
        #expect(!closed.delivered)
        await sender.shutdown()
        await impatient.shutdown()
    }

    @Test func addressesThePolicyRefusesAreNeverConnectedTo() async throws {
        let sender = WebhookSender(policy: DeliveryPolicy(), signing: signing, timeout: .seconds(1))
        try await withReceiver { port, received in
            for address in ["http://127.0.0.1:\(port)/ok", "http://localhost:\(port)/ok", "http://[::ffff:127.0.0.1]:\(port)/ok"] {
                let outcome = await sender.send(Self.notification(to: address), owner: "alice")
                #expect(!outcome.delivered && outcome.summary.hasPrefix("refused: ") && outcome.summary.contains("webhookAllowedNetworks"), "\(address): \(outcome.summary)")
            }
            #expect(received.isEmpty)
        }
        await sender.shutdown()
    }
}
