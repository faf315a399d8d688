import Foundation
import Logging
import TapisCore

/// Reads admin-defined systems and apps: one Tapis JSON file each (`*.json`) in a directory. A bad
/// file is reported with its name, the field and the reason, and skipped; the daemon still starts.
struct DefinitionLoader {
    let logger: Logger

    func systems(in directory: String) -> [TapisSystem] {
        load(TapisSystem.self, from: directory) { system throws(TapisError) in try system.validate() }
    }

    func apps(in directory: String) -> [TapisApp] {
        load(TapisApp.self, from: directory) { app throws(TapisError) in try app.validate() }
    }

    private func load<T: Decodable>(_ type: T.Type, from directory: String, validate: (T) throws(TapisError) -> Void) -> [T] {
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
                try validate(value)
                loaded.append(value)
            } catch {
                logger.error("skipping a bad definition file", metadata: ["file": "\(path)", "reason": "\(error)"])
            }
        }
        return loaded
    }
}
