public import Foundation
import GRDB
public import TapisCore

extension JobStore {
    /// Records a newly minted token.
    public func insert(_ token: TokenRecord) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO token (jti, username, created, expires) VALUES (?, ?, ?, ?)",
                arguments: [token.jti, token.username, token.created.timeIntervalSince1970, token.expires.timeIntervalSince1970])
        }
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
            expires: Date(timeIntervalSince1970: row["expires"]), revoked: (row["revoked"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }
}
