import Foundation
import Logging
import TapisCore

/// Reads admin-defined systems and apps: one Tapis JSON file each (`*.json`) in a directory. A bad
/// file, or one that defines an id already taken, is reported with its name, the field and the
/// reason, and skipped; the daemon still starts.
struct DefinitionLoader {
    let logger: Logger

    /// The systems in `directory`; `reserved` ids (the built-in system's) are refused.
    func systems(in directory: String, reserved: Set<String> = []) -> [TapisSystem] {
        var taken = Dictionary(uniqueKeysWithValues: reserved.map { ($0, "tapisd (a built-in system)") })
        return load(TapisSystem.self, from: directory) { system, file throws(TapisError) in
            try system.validate()
            try Self.claim(system.id, in: &taken, by: file, what: "system \(system.id)")
        }
    }

    func apps(in directory: String) -> [TapisApp] {
        var taken: [String: String] = [:]
        return load(TapisApp.self, from: directory) { app, file throws(TapisError) in
            try app.validate()
            try Self.claim(app.id + " " + app.version, in: &taken, by: file, what: "app \(app.id) version \(app.version)")
        }
    }

    private static func claim(_ key: String, in taken: inout [String: String], by file: String, what: String) throws(TapisError) {
        if let owner = taken[key] { throw .invalid("id", "\(what) is already defined by \(owner)") }
        taken[key] = file
    }

    private func load<T: Decodable>(_ type: T.Type, from directory: String, validate: (T, String) throws(TapisError) -> Void) -> [T] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            logger.info("no definition directory", metadata: ["directory": "\(directory)"])
            return []
        }
        var loaded: [T] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = directory + "/" + name
            do {
                guard let data = FileManager.default.contents(atPath: path) else { throw TapisError(.badRequest, "cannot read the file") }
                let value = try TapisJSON.decode(type, from: data)
                try validate(value, name)
                loaded.append(value)
            } catch {
                logger.error("skipping a bad definition file", metadata: ["file": "\(path)", "reason": "\(error)"])
            }
        }
        return loaded
    }
}
