import Foundation
import TapisCore
import TapisTransport

#if canImport(Glibc)
import Glibc
#endif

/// A private directory on the daemon's host through which files pass between two systems: the
/// source transport downloads into it, the target transport uploads from it, nothing is held in
/// memory. When a local transport acts as another user, the area is handed to that user (a local
/// transport can touch only what its user can).
struct StagingArea {
    let path: String

    /// Creates the area below `root` (mode 0711 there, 0700 here) for the given transports.
    init(root: String, for transports: [any Transport]) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o711)
        path = root + "/" + UUID().uuidString
        guard mkdir(path, 0o700) == 0 else {
            throw TapisError(.internal, "cannot create the staging area \(path): \(String(cString: strerror(errno)))")
        }
        for transport in transports where transport is LocalTransport {
            guard let user = getpwnam(transport.login) else { continue }
            if user.pointee.pw_uid != geteuid() { chown(path, user.pointee.pw_uid, user.pointee.pw_gid) }
        }
    }

    /// The path of `name` in the area.
    func file(_ name: String) -> String { path + "/" + name }

    /// Gives the area's contents to the owner of the area itself (after a transport running as
    /// another user, or as the daemon, wrote into it).
    func handOverContents() throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard let uid = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value, let gid = (attributes[.groupOwnerAccountID] as? NSNumber)?.uint32Value,
            uid != geteuid()
        else { return }
        for entry in FileManager.default.enumerator(atPath: path)?.compactMap({ $0 as? String }) ?? [] {
            lchown(path + "/" + entry, uid, gid)
        }
    }

    /// Deletes the area.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Copies `sourcePath` on `source` to `targetPath` on `target` through a new area below `root`.
    static func transfer(_ sourcePath: String, from source: any Transport, to targetPath: String, on target: any Transport, root: String) async throws {
        let area = try StagingArea(root: root, for: [source, target])
        defer { area.remove() }
        let item = area.file("item")
        try await source.download(sourcePath, to: item)
        try area.handOverContents()
        try await target.upload(from: item, to: targetPath)
    }
}
