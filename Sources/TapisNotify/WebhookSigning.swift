public import Foundation
import Crypto
import Synchronization
import TapisCore
public import TapisStore
import TapisTransport

/// Each user's webhook secret, and the signature it puts on a webhook's body. A secret is derived
/// from one key file (mode 0600, beside the store) with the user's name and generation, so no
/// secret is kept in the store or its backups; rotating moves the user to the next generation.
public struct WebhookSigning: Sendable {
    /// The header a webhook's signature travels in: `sha256=` and the hex HMAC-SHA256 of the body,
    /// keyed with the subscription owner's secret (its text, as UTF-8).
    public static let signatureHeader = "X-Tapis-Signature"
    /// The header naming the notification: the same on every retry, for receivers to drop duplicates.
    public static let deliveryHeader = "X-Tapis-Delivery"

    private let key: SymmetricKey
    private let store: JobStore
    /// Secrets already derived, by user: a webhook needs its owner's at every delivery.
    private let known = Known()

    private final class Known: Sendable {
        let secrets = Mutex<[String: (generation: Int, secret: String)]>([:])

        /// The secret to use: `secret`, unless a later generation is known (a rotation that came
        /// between reading the generation and getting here).
        func keep(_ user: String, generation: Int, secret: String) -> String {
            secrets.withLock { known in
                if let current = known[user], current.generation > generation { return current.secret }
                known[user] = (generation, secret)
                return secret
            }
        }
    }

    /// Reads the key at `keyPath`, making it first if there is none.
    /// - Throws: `TapisError.internal` when the key cannot be written, or exists but cannot be
    ///   read or is not a key (replacing it would change every user's secret).
    public init(keyPath: String, store: JobStore) throws {
        self.store = store
        key = SymmetricKey(data: try PrivateFile.secret(at: keyPath, purpose: "webhook signing key"))
    }

    /// The user's current secret.
    public func secret(of user: String) async throws -> String {
        if let known = known.secrets.withLock({ $0[user] }) { return known.secret }
        let generation = try await store.webhookSecretGeneration(of: user)
        return known.keep(user, generation: generation, secret: Self.secret(key: key, user: user, generation: generation))
    }

    /// Replaces the user's secret; webhooks are signed with the new one from now on.
    public func rotate(for user: String) async throws -> String {
        let generation = try await store.rotateWebhookSecret(of: user)
        return known.keep(user, generation: generation, secret: Self.secret(key: key, user: user, generation: generation))
    }

    /// The signature header's value for `body`, signed with `secret`.
    public static func signature(of body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    private static func secret(key: SymmetricKey, user: String, generation: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("tapisd webhook secret\u{0}\(user)\u{0}\(generation)".utf8), using: key)
        return "whsec_" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
