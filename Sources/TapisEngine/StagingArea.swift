import Foundation
import TapisCore
import TapisTransport

#if canImport(Glibc)
import Glibc
#endif

/// A private directory on the daemon's host through which files pass between two systems: the
/// source transport downloads into it, the target transport uploads from it, nothing is held in
/// memory. When a local transport acts as another user, the area is handed to that user (a local
/// transport can touch only what its user can). Its disk work runs on `BlockingPool`.
struct StagingArea: Sendable {
    let path: String

    /// Creates an area below `root` (mode 0711 there, 0700 here) for the given transports, runs
    /// `body` with it and deletes it, whatever `body` does.
    static func using<T: Sendable>(root: String, for transports: [any Transport], _ body: (StagingArea) async throws -> T) async throws -> T {
        let owner = transports.lazy.filter { $0 is LocalTransport }.compactMap { UserAccount.named($0.login) }.first { $0.uid != geteuid() }
        let area = try await BlockingPool.run { try StagingArea(root: root, owner: owner) }
        do {
            let result = try await body(area)
            try? await LocalFiles.remove([area.path])
            return result
        } catch {
            try? await LocalFiles.remove([area.path])
            throw error
        }
    }

    private init(root: String, owner: UserAccount?) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o711)
        path = root + "/" + UUID().uuidString
        guard mkdir(path, 0o700) == 0 else {
            throw TapisError(.internal, "cannot create the staging area \(path): \(String(cString: strerror(errno)))")
        }
        if let owner { chown(path, owner.uid, owner.primaryGroup) }
    }

    /// The path of `name` in the area.
    func file(_ name: String) -> String { path + "/" + name }

    /// Gives the area's contents to the owner of the area itself (after a transport running as
    /// another user, or as the daemon, wrote into it).
    func handOverContents() async throws {
        try await BlockingPool.run { [path] in
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard let uid = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value, let gid = (attributes[.groupOwnerAccountID] as? NSNumber)?.uint32Value,
                uid != geteuid()
            else { return }
            for entry in try FileManager.default.subpathsOfDirectory(atPath: path) {
                lchown(path + "/" + entry, uid, gid)
            }
        }
    }

    /// Copies `sourcePath` on `source` to `targetPath` on `target` through a new area below `root`.
    static func transfer(_ sourcePath: String, from source: any Transport, to targetPath: String, on target: any Transport, root: String) async throws {
        try await using(root: root, for: [source, target]) { area in
            let item = area.file("item")
            try await source.download(sourcePath, to: item)
            try await area.handOverContents()
            try await target.upload(from: item, to: targetPath)
        }
    }
}
