import GRDB
import TapisCore

extension JobStore {
    /// Copies the whole store as of one moment into a new SQLite file at `path` with SQLite's online
    /// backup (jobs go on meanwhile), and checks the copy before returning.
    /// - Throws: `TapisError.internal` when the copy cannot be made or is not whole.
    public func backup(to path: String) async throws {
        let damage = try await read { db -> String? in
            let copy = try DatabaseQueue(path: path)
            try copy.writeWithoutTransaction { target in try db.backup(to: target) }
            let damage = try Self.damage(of: copy)
            try copy.close()
            return damage
        }
        if let damage { throw TapisError(.internal, "the backup at \(path) is not whole (quick_check: \(damage))") }
    }

    /// What SQLite's `PRAGMA quick_check` finds wrong with a database, or nil when it is whole.
    static func damage(of database: some DatabaseReader) throws -> String? {
        let check = try database.read { try String.fetchAll($0, sql: "PRAGMA quick_check") }
        return check == ["ok"] ? nil : check.prefix(5).joined(separator: "; ")
    }
}
