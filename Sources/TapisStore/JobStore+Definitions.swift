import Foundation
import GRDB
public import TapisCore

/// Systems and apps created through the API, owned by their creator.
extension JobStore {
    /// Every stored system.
    public func systems() async throws -> [TapisSystem] {
        try await bodies(TapisSystem.self, "SELECT body FROM system ORDER BY id")
    }

    /// The stored system with this id, if any.
    public func system(_ id: String) async throws -> TapisSystem? {
        try await bodies(TapisSystem.self, "SELECT body FROM system WHERE id = ?", [id]).first
    }

    /// Stores a new system.
    /// - Throws: `TapisError.conflict` when the id is taken.
    public func insert(_ system: TapisSystem, owner: String) async throws {
        let body = String(decoding: try TapisJSON.encoder().encode(system), as: UTF8.self)
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM system WHERE id = ?", arguments: [system.id]) == true {
                throw TapisError(.conflict, "a system named \(system.id) already exists")
            }
            try db.execute(sql: "INSERT INTO system (id, owner, body) VALUES (?, ?, ?)", arguments: [system.id, owner, body])
        }
    }

    /// Applies `change` to the stored system `id`, and wakes blocked jobs to be judged by it anew.
    /// - Returns: whether there was such a system.
    public func updateSystem(_ id: String, _ change: @escaping @Sendable (inout TapisSystem) -> Void) async throws -> Bool {
        try await write { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM system WHERE id = ?", arguments: [id]) else { return false }
            var system = try TapisJSON.decoder().decode(TapisSystem.self, from: Data(body.utf8))
            change(&system)
            let updated = String(decoding: try TapisJSON.encoder().encode(system), as: UTF8.self)
            try db.execute(sql: "UPDATE system SET body = ? WHERE id = ?", arguments: [updated, id])
            try Self.wakeAllBlocked(db)
            return true
        }
    }

    /// Applies `change` to the stored versions of app `id` (only `version`, when given), and wakes
    /// blocked jobs to be judged by them anew.
    /// - Returns: how many versions changed.
    public func updateApps(_ id: String, version: String?, _ change: @escaping @Sendable (inout TapisApp) -> Void) async throws -> Int {
        try await write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT version, body FROM app WHERE id = ? AND (? IS NULL OR version = ?)", arguments: [id, version, version])
            for row in rows {
                var app = try TapisJSON.decoder().decode(TapisApp.self, from: Data((row["body"] as String).utf8))
                change(&app)
                let updated = String(decoding: try TapisJSON.encoder().encode(app), as: UTF8.self)
                try db.execute(sql: "UPDATE app SET body = ? WHERE id = ? AND version = ?", arguments: [updated, id, row["version"] as String])
            }
            if !rows.isEmpty { try Self.wakeAllBlocked(db) }
            return rows.count
        }
    }

    /// Every stored app version.
    public func apps() async throws -> [TapisApp] {
        try await bodies(TapisApp.self, "SELECT body FROM app ORDER BY id, version")
    }

    /// The stored app `id` at `version`, if any.
    public func app(_ id: String, version: String) async throws -> TapisApp? {
        try await bodies(TapisApp.self, "SELECT body FROM app WHERE id = ? AND version = ?", [id, version]).first
    }

    /// Stores a new app version.
    /// - Throws: `TapisError.conflict` when that id and version exist.
    public func insert(_ app: TapisApp, owner: String) async throws {
        let body = String(decoding: try TapisJSON.encoder().encode(app), as: UTF8.self)
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM app WHERE id = ? AND version = ?", arguments: [app.id, app.version]) == true {
                throw TapisError(.conflict, "app \(app.id) version \(app.version) already exists")
            }
            try db.execute(sql: "INSERT INTO app (id, version, owner, body) VALUES (?, ?, ?, ?)", arguments: [app.id, app.version, owner, body])
        }
    }
}

/// Scheduler profiles created through the API.
extension JobStore {
    /// Every stored scheduler profile.
    public func schedulerProfiles() async throws -> [SchedulerProfile] {
        try await bodies(SchedulerProfile.self, "SELECT body FROM schedulerProfile ORDER BY name")
    }

    /// The stored scheduler profile called `name`, if any.
    public func schedulerProfile(_ name: String) async throws -> SchedulerProfile? {
        try await bodies(SchedulerProfile.self, "SELECT body FROM schedulerProfile WHERE name = ?", [name]).first
    }

    /// Stores a new scheduler profile.
    /// - Throws: `TapisError.conflict` when the name is taken.
    public func insert(_ profile: SchedulerProfile, owner: String) async throws {
        let body = String(decoding: try TapisJSON.encoder().encode(profile), as: UTF8.self)
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM schedulerProfile WHERE name = ?", arguments: [profile.name]) == true {
                throw TapisError(.conflict, "a scheduler profile named \(profile.name) already exists")
            }
            try db.execute(sql: "INSERT INTO schedulerProfile (name, owner, body) VALUES (?, ?, ?)", arguments: [profile.name, owner, body])
        }
    }
}

extension JobStore {
    /// The definitions in the `body` column of the rows `sql` selects, decoded.
    private func bodies<Definition: Decodable & Sendable>(
        _ type: Definition.Type, _ sql: String, _ arguments: StatementArguments = []
    ) async throws -> [Definition] {
        try await read { db in
            try String.fetchAll(db, sql: sql, arguments: arguments).map { try TapisJSON.decoder().decode(Definition.self, from: Data($0.utf8)) }
        }
    }
}
