import Foundation
import TapisCore

/// Where a download goes when it is saved to a file: `<path>.part` first, renamed over `path` only
/// once every byte is written and synced, removed when the download fails.
struct PartialFile {
    let path: String
    private let temporary: String
    private let handle: FileHandle

    /// - Throws: `TapisError.badRequest` when the file cannot be created.
    init(_ path: String, permissions: Int = 0o644) throws {
        self.path = path
        temporary = path + ".part"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: permissions]) else {
            throw TapisError(.badRequest, "cannot write \(temporary)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
    }

    func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }

    /// Syncs the bytes and puts the file in place of `path`.
    func commit() throws {
        try handle.synchronize()
        try handle.close()
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// Removes what was written.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}
