import Crypto
import Foundation
import TapisAPI
import TapisCore
import TapisStore
import TapisTestSupport
import Testing

/// Token minting and checking on a real SQLite store.
@Suite struct TokenAuthorityTests {
    @Test func aTokenIsCheckedForSignatureExpiryRevocationAndKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try JobStore(path: directory.file("tapisd.sqlite"))
        let tokens = try TokenAuthority(store: store, keyPath: directory.file("key"), tenant: "tapisd")
        #expect(!FileManager.default.fileExists(atPath: directory.file("key")), "no key is made before one is needed")
        let now = Date()
        let (token, record) = try await tokens.mint(for: "tapis-alice", lifetime: 3600, now: now)
        var info = stat()
        #expect(stat(directory.file("key"), &info) == 0 && info.st_mode & 0o777 == 0o600, "the signing key is private")
        #expect(try await tokens.user(of: token) == "tapis-alice")
        let claims = try #require(try JSONSerialization.jsonObject(with: Self.payload(token)) as? [String: Any])
        #expect(claims["tapis/username"] as? String == "tapis-alice" && claims["tapis/tenant_id"] as? String == "tapisd")
        #expect((claims["exp"] as? Int).map { $0 - (claims["iat"] as? Int ?? 0) } == 3600)

        let expired = await #expect(throws: TapisError.self) { try await tokens.user(of: token, now: now.addingTimeInterval(3601)) }
        #expect(expired?.code == .unauthorized && expired?.message.contains("expired") == true)

        var parts = token.split(separator: ".").map(String.init)
        let forged = String(decoding: Self.payload(token), as: UTF8.self).replacingOccurrences(of: "tapis-alice", with: "tapis-bob")
        parts[1] = Data(forged.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let tampered = await #expect(throws: TapisError.self) { try await tokens.user(of: parts.joined(separator: ".")) }
        #expect(tampered?.message.contains("signature is not valid") == true)
        let none = "eyJhbGciOiJub25lIn0." + token.split(separator: ".")[1] + "."
        let unsigned = await #expect(throws: TapisError.self) { try await tokens.user(of: none) }
        #expect(unsigned?.message.contains("RS256") == true)
        // The classic forgery: HS256 "signed" with the published public key as the HMAC secret.
        let confused = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + token.split(separator: ".")[1]
        let mac = HMAC<SHA256>.authenticationCode(for: Data(confused.utf8), using: SymmetricKey(data: Data(try await tokens.publicKeyPEM().utf8)))
        let forgedWithPublicKey = confused + "." + Data(mac).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let algorithmConfusion = await #expect(throws: TapisError.self) { try await tokens.user(of: forgedWithPublicKey) }
        #expect(algorithmConfusion?.message.contains("RS256") == true)

        #expect(try await store.revokeToken(record.jti, of: "tapis-bob") == nil, "only its owner (or an administrator) revokes it")
        #expect(try await store.revokeToken(record.jti, of: "tapis-alice")?.revoked != nil)
        let revoked = await #expect(throws: TapisError.self) { try await tokens.user(of: token) }
        #expect(revoked?.message.contains("was revoked") == true)

        let (second, _) = try await tokens.mint(for: "tapis-alice", lifetime: 600)
        try await tokens.rotateKey()
        let rotated = await #expect(throws: TapisError.self) { try await tokens.user(of: second) }
        #expect(rotated?.message.contains("rotated") == true)
        let (third, _) = try await tokens.mint(for: "tapis-alice", lifetime: 600)
        #expect(try await tokens.user(of: third) == "tapis-alice", "tokens minted after a rotation work")
        let restarted = try TokenAuthority(store: store, keyPath: directory.file("key"), tenant: "tapisd")
        #expect(try await restarted.user(of: third) == "tapis-alice", "the rotated key survives a restart")
        let tooLong = await #expect(throws: TapisError.self) { _ = try await tokens.mint(for: "tapis-alice", lifetime: 31 * 24 * 3600) }
        #expect(tooLong?.message.hasPrefix("ttl:") == true)
    }

    @Test func aDamagedSigningKeyStopsTheStartInsteadOfBeingReplaced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try JobStore(path: directory.file("tapisd.sqlite"))
        try "not a key".write(toFile: directory.file("key"), atomically: true, encoding: .utf8)
        let damaged = #expect(throws: TapisError.self) { _ = try TokenAuthority(store: store, keyPath: directory.file("key"), tenant: "tapisd") }
        #expect(damaged?.message.contains("cannot be read as a PEM RSA key") == true)
        #expect(try String(contentsOfFile: directory.file("key"), encoding: .utf8) == "not a key", "left for the administrator to restore")
    }

    @Test func aRefreshTokenIsSpentOnceAndIsNoAccessToken() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try JobStore(path: directory.file("tapisd.sqlite"))
        let tokens = try TokenAuthority(store: store, keyPath: directory.file("key"), tenant: "tapisd")
        let first = try await tokens.grant(for: "tapis-bob", lifetime: 600, grant: "password", client: "portal")
        let refresh = try #require(first.refresh)
        #expect(refresh.record.type == "refresh" && refresh.record.clientId == "portal")
        #expect(try await tokens.user(of: first.access.token) == "tapis-bob")
        let misuse = await #expect(throws: TapisError.self) { try await tokens.user(of: refresh.token) }
        #expect(misuse?.message.contains("not an access token") == true, "a refresh token opens nothing")
        await #expect(throws: TapisError.self) { try await tokens.refreshClaims(of: first.access.token) }

        let claims = try await tokens.refreshClaims(of: refresh.token)
        #expect(claims == .init(jti: refresh.record.jti, username: "tapis-bob", clientId: "portal", refreshCount: 0, expires: refresh.record.expires))
        // Two refreshes with the same token at once: exactly one gets a new pair.
        async let one = try? tokens.grant(
            for: "tapis-bob", lifetime: 600, grant: "refresh_token", client: "portal", refreshCount: 1, spending: claims.jti, refreshUntil: claims.expires)
        async let two = try? tokens.grant(
            for: "tapis-bob", lifetime: 600, grant: "refresh_token", client: "portal", refreshCount: 1, spending: claims.jti, refreshUntil: claims.expires)
        let winners = [await one, await two].compactMap { $0 }
        #expect(winners.count == 1)
        let nextToken = try #require(winners.first?.refresh?.token)
        let next = try await tokens.refreshClaims(of: nextToken)
        #expect(next.refreshCount == 1)
        #expect(abs(next.expires.timeIntervalSince(claims.expires)) <= 1, "a refreshed chain ends when its login's did")
        let spent = await #expect(throws: TapisError.self) {
            _ = try await tokens.grant(for: "tapis-bob", lifetime: 600, grant: "refresh_token", client: "portal", spending: claims.jti)
        }
        #expect(spent?.message.contains("already used") == true)
        #expect(try await store.deleteClient("portal") == false, "no such client was registered in this store")
        #expect(try #require(try await store.token(refresh.record.jti)).revoked != nil)
        await #expect(throws: TapisError.self, "expired") { try await tokens.refreshClaims(of: refresh.token, now: Date().addingTimeInterval(TokenAuthority.refreshLifetime + 1)) }
    }

    static func payload(_ token: String) -> Data {
        var text = String(token.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: text) ?? Data()
    }
}
