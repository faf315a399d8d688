import Crypto
import Foundation
public import TapisCore
public import TapisEngine
public import TapisStore

/// The OAuth clients administrators register (a portal, the CLI of a site): a login made with a
/// client's Basic credentials also gets a refresh token, which only that client can spend. A
/// client's secret is random, shown once at registration and stored only as its SHA-256 hash.
public struct OAuthClients: Sendable {
    let store: JobStore

    public init(store: JobStore) {
        self.store = store
    }

    /// A client id and secret as a client presents them (HTTP Basic).
    public struct Credentials: Sendable, Equatable {
        public var id: String
        public var secret: String

        public init(id: String, secret: String) {
            self.id = id
            self.secret = secret
        }

        /// The credentials of an `Authorization: Basic …` header, if it is one.
        public init?(authorization: String?) {
            guard let authorization, authorization.lowercased().hasPrefix("basic "),
                  let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return nil }
            self.init(id: String(text[..<colon]), secret: String(text[text.index(after: colon)...]))
        }
    }

    /// Registers a client; administrators only.
    /// - Returns: the client and its secret (`client_key`), which is never shown again.
    /// - Throws: `TapisError.forbidden` for anyone else, `.badRequest` for a bad id, `.conflict` when it exists.
    public func register(_ id: String, description: String, by caller: Caller) async throws -> (client: OAuthClient, secret: String) {
        try Self.requireAdmin(caller)
        try Validation.identifier(id, field: "client_id")
        guard !id.contains(":") else { throw TapisError.invalid("client_id", "must not contain ':' (it separates the id from the secret in Basic credentials)") }
        guard description.count <= 1024 else { throw TapisError.invalid("description", "is longer than 1024 characters") }
        // The prefix marks the text as a client key, and keeps it from starting with '-' (a command line would read an option).
        let secret = "tck_" + JSONWebToken.base64URL(Data(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }))
        let client = OAuthClient(clientId: id, description: description, createdBy: caller.name, created: Date())
        try await store.insert(client, secretHash: Self.hash(secret))
        return (client, secret)
    }

    /// Every client; administrators only.
    public func list(by caller: Caller) async throws -> [OAuthClient] {
        try Self.requireAdmin(caller)
        return try await store.clients()
    }

    /// Removes a client and revokes the refresh tokens issued through it; administrators only.
    /// - Throws: `TapisError.notFound` when there is no such client.
    public func delete(_ id: String, by caller: Caller) async throws {
        try Self.requireAdmin(caller)
        guard try await store.deleteClient(id) else { throw TapisError(.notFound, "no OAuth client \(id.debugDescription)") }
    }

    /// Whether `credentials` are those of a registered client (compared in constant time).
    public func authenticate(_ credentials: Credentials) async throws -> Bool {
        guard let stored = try await store.clientSecretHash(credentials.id) else { return false }
        let given = Array(Self.hash(credentials.secret).utf8)
        let expected = Array(stored.utf8)
        return given.count == expected.count && zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func requireAdmin(_ caller: Caller) throws {
        guard caller.isAdmin else { throw TapisError(.forbidden, "only root or the admin group manage OAuth clients") }
    }
}
