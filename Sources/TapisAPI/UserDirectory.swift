import Glibc
import TapisCore
public import TapisEngine

/// Turns a uid into a `Caller`: its user name, and whether it is an administrator (root, or a
/// member of the configured admin group).
public struct UserDirectory: Sendable {
    /// Members of this group see and act on every job.
    public var adminGroup: String?

    public init(adminGroup: String?) {
        self.adminGroup = adminGroup
    }

    /// The caller with this uid.
    /// - Throws: `TapisError.unauthorized` for a uid with no user name.
    public func caller(uid: UInt32) throws -> Caller {
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 16_384)
        var result: UnsafeMutablePointer<passwd>?
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil else {
            throw TapisError(.unauthorized, "uid \(uid) has no user name on this host")
        }
        let name = String(cString: entry.pw_name)
        return Caller(uid: uid, name: name, isAdmin: uid == 0 || isInAdminGroup(name: name, primaryGroup: entry.pw_gid))
    }

    /// The caller with this user name (a token's user).
    /// - Throws: `TapisError.unauthorized` for a name with no account on this host.
    public func caller(name: String) throws -> Caller {
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 16_384)
        var result: UnsafeMutablePointer<passwd>?
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else {
            throw TapisError(.unauthorized, "user \(name) has no account on this host")
        }
        return try caller(uid: entry.pw_uid)
    }

    private func isInAdminGroup(name: String, primaryGroup: gid_t) -> Bool {
        guard let adminGroup, let group = getgrnam(adminGroup) else { return false }
        let adminGid = group.pointee.gr_gid
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, primaryGroup, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, primaryGroup, &groups, &count)
        }
        return groups.prefix(Int(max(count, 0))).contains(adminGid)
    }
}
