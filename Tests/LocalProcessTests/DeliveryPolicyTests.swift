import TapisCore
import TapisTransport
import Testing

/// Where webhooks may go: this host, private networks and link-local addresses only when allowed.
@Suite struct DeliveryPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1",
        "::7f00:1", "::ffff:0:a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "2002:7f00:1::", "2002:a00:1::1", "fec0::1",
    ])
    func internalAddressesAreRefused(text: String) throws {
        #expect(!DeliveryPolicy().allows(try #require(IPAddress(text))))
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])
    func publicAddressesAreAllowed(text: String) throws {
        #expect(DeliveryPolicy().allows(try #require(IPAddress(text))))
    }

    @Test func anAllowedNetworkOpensOnlyItself() throws {
        let policy = DeliveryPolicy(allowedNetworks: [try #require(NetworkRange("127.0.0.1")), try #require(NetworkRange("10.20.0.0/16"))])
        #expect(policy.allows(try #require(IPAddress("127.0.0.1"))))
        #expect(policy.allows(try #require(IPAddress("::ffff:127.0.0.1"))))
        #expect(!policy.allows(try #require(IPAddress("127.0.0.2"))))
        #expect(policy.allows(try #require(IPAddress("10.20.255.1"))))
        #expect(!policy.allows(try #require(IPAddress("10.21.0.1"))))
    }

    @Test func rangesParseAndPrint() {
        #expect(NetworkRange("10.0.0.0/8")?.description == "10.0.0.0/8")
        #expect(NetworkRange("fd00::/8")?.description == "fd00::/8")
        #expect(NetworkRange("::1")?.prefixLength == 128)
        #expect(NetworkRange("10.0.0.0/33") == nil)
        #expect(NetworkRange("example.org/8") == nil)
        #expect(NetworkRange("10.0.0.0/x") == nil)
    }

    @Test func aSubscriptionToThisHostIsRefusedByNameToo() async throws {
        let local = JobSubscriptionRequest(eventCategoryFilter: .all, deliveryTargets: [DeliveryTarget(deliveryMethod: .webhook, deliveryAddress: "http://localhost:8080/hook")])
        let refused = await #expect(throws: TapisError.self) { try await DeliveryPolicy().check(local) }
        #expect(refused?.message.contains("webhookAllowedNetworks") == true)
        let allowed = DeliveryPolicy(allowedNetworks: ["127.0.0.1", "::1"].compactMap(NetworkRange.init))
        try await allowed.check(local)
    }

    @Test func emailNeedsARelay() async throws {
        let mail = JobSubscriptionRequest(eventCategoryFilter: .all, deliveryTargets: [DeliveryTarget(deliveryMethod: .email, deliveryAddress: "a@example.org")])
        let refused = await #expect(throws: TapisError.self) { try await DeliveryPolicy().check(mail) }
        #expect(refused?.message.contains("SMTP relay") == true)
        try await DeliveryPolicy(emailEnabled: true).check(mail)
    }
}
