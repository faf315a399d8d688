public import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// Records newly minted tokens, in one transaction.
    public func insert(_ tokens: [TokenRecord]) async throws {
        try await write { db in
            for token in tokens { try Self.insert(token, db) }
        }
    }

    private static func insert(_ token: TokenRecord, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO token (jti, username, created, expires, type, clientId) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [token.jti, token.username, token.created.timeIntervalSince1970, token.expires.timeIntervalSince1970, token.type, token.clientId])
    }

    /// Spends the refresh token `jti` (it is revoked at once) and records the tokens that replace
    /// it, in one transaction: of two refreshes with the same token, only one succeeds.
    /// - Returns: false when `jti` is unknown or already revoked (nothing is recorded then).
    public func spendRefreshToken(_ jti: String, for replacements: [TokenRecord], now: Date = Date()) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE token SET revoked = ? WHERE jti = ? AND type = 'refresh' AND revoked IS NULL", arguments: [now.timeIntervalSince1970, jti])
            guard db.changesCount == 1 else { return false }
            for token in replacements { try Self.insert(token, db) }
            return true
        }
    }

    /// Registers an OAuth client with the hash of its secret.
    /// - Throws: `TapisError.conflict` when the id is taken.
    public func insert(_ client: OAuthClient, secretHash: String) async throws {
        try await write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM oauthClient WHERE clientId = ?", arguments: [client.clientId]) == nil else {
                throw TapisError(.conflict, "an OAuth client \(client.clientId) exists")
            }
            try db.execute(
                sql: "INSERT INTO oauthClient (clientId, secretHash, description, createdBy, created) VALUES (?, ?, ?, ?, ?)",
                arguments: [client.clientId, secretHash, client.description, client.createdBy, client.created.timeIntervalSince1970])
        }
    }

    /// The hash of the secret of client `clientId`, if it is registered.
    public func clientSecretHash(_ clientId: String) async throws -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT secretHash FROM oauthClient WHERE clientId = ?", arguments: [clientId]) }
    }

    /// Every registered client, by id.
    public func clients() async throws -> [OAuthClient] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM oauthClient ORDER BY clientId").map(Self.client) }
    }

    /// Removes a client and revokes every refresh token issued through it.
    /// - Returns: false when there is no such client.
    public func deleteClient(_ clientId: String, now: Date = Date()) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM oauthClient WHERE clientId = ?", arguments: [clientId])
            guard db.changesCount == 1 else { return false }
            try db.execute(
                sql: "UPDATE token SET revoked = ? WHERE clientId = ? AND type = 'refresh' AND revoked IS NULL",
                arguments: [now.timeIntervalSince1970, clientId])
            return true
        }
    }

    private static func client(_ row: Row) -> OAuthClient {
        OAuthClient(clientId: row["clientId"], description: row["description"], createdBy: row["createdBy"], created: Date(timeIntervalSince1970: row["created"]))
    }

    /// The token named `jti`, if tapisd minted it.
    public func token(_ jti: String) async throws -> TokenRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM token WHERE jti = ?", arguments: [jti]).map(Self.tokenRecord)
        }
    }

    /// The tokens of `username` (everyone's when nil), newest first.
    public func tokens(of username: String?) async throws -> [TokenRecord] {
        try await read { db in
            let rows = if let username {
                try Row.fetchAll(db, sql: "SELECT * FROM token WHERE username = ? ORDER BY created DESC", arguments: [username])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM token ORDER BY created DESC")
            }
            return rows.map(Self.tokenRecord)
        }
    }

    /// Revokes the token named `jti`, if it belongs to `username` (any token when nil).
    /// - Returns: the token as revoked, or nil when there is no such token of that user.
    public func revokeToken(_ jti: String, of username: String?, now: Date = Date()) async throws -> TokenRecord? {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM token WHERE jti = ?", arguments: [jti]) else { return nil }
            var token = Self.tokenRecord(row)
            if let username, token.username != username { return nil }
            if token.revoked == nil {
                token.revoked = now
                try db.execute(sql: "UPDATE token SET revoked = ? WHERE jti = ?", arguments: [now.timeIntervalSince1970, jti])
            }
            return token
        }
    }

    private static func tokenRecord(_ row: Row) -> TokenRecord {
        TokenRecord(
            jti: row["jti"], username: row["username"], created: Date(timeIntervalSince1970: row["created"]),
            expires: Date(timeIntervalSince1970: row["expires"]), revoked: (row["revoked"] as Double?).map { Date(timeIntervalSince1970: $0) },
            type: row["type"], clientId: row["clientId"])
    }
}
