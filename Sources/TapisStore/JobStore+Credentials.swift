public import Foundation
import GRDB

/// A user's sealed credential for a system, as the store keeps it (the sealing is the vault's).
public struct SealedCredential: Sendable, Equatable {
    public var systemId: String
    public var username: String
    public var loginUser: String?
    public var sealed: Data
    public var updated: Date

    public init(systemId: String, username: String, loginUser: String?, sealed: Data, updated: Date) {
        self.systemId = systemId
        self.username = username
        self.loginUser = loginUser
        self.sealed = sealed
        self.updated = updated
    }
}

extension JobStore {
    /// Stores `credential`, replacing the user's earlier one for the system.
    public func saveCredential(_ credential: SealedCredential) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO credential (systemId, username, loginUser, sealed, updated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (systemId, username) DO UPDATE SET loginUser = excluded.loginUser, sealed = excluded.sealed, updated = excluded.updated
                    """,
                arguments: [credential.systemId, credential.username, credential.loginUser, credential.sealed, credential.updated.timeIntervalSince1970])
        }
    }

    /// The user's credential for the system, if there is one.
    public func credential(system: String, user: String) async throws -> SealedCredential? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE systemId = ? AND username = ?", arguments: [system, user]).map {
                SealedCredential(systemId: $0["systemId"], username: $0["username"], loginUser: $0["loginUser"], sealed: $0["sealed"],
                                 updated: Date(timeIntervalSince1970: $0["updated"]))
            }
        }
    }

    /// Removes the user's credential for the system; false when there was none. The row's bytes
    /// are zeroed in the file (`secure_delete`), not only unlinked.
    public func deleteCredential(system: String, user: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM credential WHERE systemId = ? AND username = ?", arguments: [system, user])
            return db.changesCount > 0
        }
    }

    /// How many credentials are stored (a start without the key that sealed them must refuse).
    public func credentialCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credential") ?? 0 }
    }

    /// The check value of the key that sealed the stored credentials; while none are stored,
    /// `check` becomes it (a key made when nothing is sealed replaces the old one's).
    public func credentialKeyCheck(storing check: String) async throws -> String {
        try await write { db in
            let sealed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credential") ?? 0
            if sealed > 0, let stored = try String.fetchOne(db, sql: "SELECT \"check\" FROM credentialKey WHERE id = 1") { return stored }
            try db.execute(sql: "INSERT INTO credentialKey (id, \"check\") VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET \"check\" = excluded.\"check\"", arguments: [check])
            return check
        }
    }
}
