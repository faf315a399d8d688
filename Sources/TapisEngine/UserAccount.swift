import Glibc

/// A user account of this host, as the system's user database (getpwnam/getpwuid) has it.
public struct UserAccount: Sendable, Equatable {
    public var name: String
    public var uid: UInt32
    public var primaryGroup: UInt32

    /// The account called `name`, if there is one.
    public static func named(_ name: String) -> UserAccount? {
        lookup { entry, buffer, result in getpwnam_r(name, &entry, buffer, 16_384, &result) }
    }

    /// The account with this uid, if there is one.
    public static func withUID(_ uid: UInt32) -> UserAccount? {
        lookup { entry, buffer, result in getpwuid_r(uid, &entry, buffer, 16_384, &result) }
    }

    private static func lookup(
        _ call: (inout passwd, UnsafeMutablePointer<CChar>, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> UserAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 16_384)
        defer { buffer.deallocate() }
        guard call(&entry, buffer, &result) == 0, result != nil else { return nil }
        return UserAccount(name: String(cString: entry.pw_name), uid: entry.pw_uid, primaryGroup: entry.pw_gid)
    }
}
