import Glibc
import TapisCore

/// A user account of this host, as the system's user database has it. The only place tapisd reads
/// that database: every lookup uses the reentrant calls (`getpwnam_r`, `getpwuid_r`, `getgrnam_r`),
/// since the plain ones share one static buffer between threads.
public struct UserAccount: Sendable, Equatable {
    public var name: String
    public var uid: UInt32
    public var primaryGroup: UInt32
    public var home: String
    public var shell: String

    /// The account called `name`, if there is one.
    public static func named(_ name: String) -> UserAccount? {
        lookup { entry, buffer, size, result in getpwnam_r(name, &entry, buffer, size, &result) }
    }

    /// The account the daemon itself runs as.
    /// - Throws: `TapisError.internal` when its uid is not in the user database.
    public static func daemon() throws(TapisError) -> UserAccount {
        guard let account = withUID(geteuid()) else { throw TapisError(.internal, "tapisd's own uid \(geteuid()) is not in the user database") }
        return account
    }

    /// The account with this uid, if there is one.
    public static func withUID(_ uid: UInt32) -> UserAccount? {
        lookup { entry, buffer, size, result in getpwuid_r(uid, &entry, buffer, size, &result) }
    }

    /// The id of the group called `name`, if there is one.
    public static func groupID(named name: String) -> UInt32? {
        withBuffer { buffer, size in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            return getgrnam_r(name, &entry, buffer, size, &result) == 0 && result != nil ? entry.gr_gid : nil
        }
    }

    /// Whether this account is a member of the group with id `gid` (as its primary group or a
    /// supplementary one).
    public func isMember(ofGroup gid: UInt32) -> Bool { groupIDs.contains(gid) }

    /// The ids of the account's groups: its primary group and its supplementary ones.
    public var groupIDs: [UInt32] {
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, primaryGroup, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, primaryGroup, &groups, &count) >= 0 else { return [primaryGroup] }
        }
        return Array(groups.prefix(Int(max(count, 0))))
    }

    /// The names of the account's groups.
    public var groupNames: [String] { groupIDs.compactMap(Self.groupName) }

    /// The name of the group with id `gid`, if there is one.
    public static func groupName(_ gid: UInt32) -> String? {
        withBuffer { buffer, size in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            return getgrgid_r(gid, &entry, buffer, size, &result) == 0 && result != nil ? String(cString: entry.gr_name) : nil
        }
    }

    private static func lookup(
        _ call: (inout passwd, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> UserAccount? {
        withBuffer { buffer, size in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            guard call(&entry, buffer, size, &result) == 0, result != nil else { return nil }
            return UserAccount(
                name: String(cString: entry.pw_name), uid: entry.pw_uid, primaryGroup: entry.pw_gid,
                home: String(cString: entry.pw_dir), shell: String(cString: entry.pw_shell))
        }
    }

    /// Runs `body` with a buffer big enough for any entry of this host's databases.
    private static func withBuffer<T>(_ body: (UnsafeMutablePointer<CChar>, Int) -> T?) -> T? {
        let size = 64 * 1024
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
        defer { buffer.deallocate() }
        return body(buffer, size)
    }
}
