import TapisCore
public import TapisEngine
import TapisTransport

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
        guard let account = UserAccount.withUID(uid) else { throw TapisError(.unauthorized, "uid \(uid) has no user name on this host") }
        return caller(account)
    }

    /// The caller with this user name (a token's user).
    /// - Throws: `TapisError.unauthorized` for a name with no account on this host.
    public func caller(name: String) throws -> Caller {
        guard let account = UserAccount.named(name) else { throw TapisError(.unauthorized, "user \(name) has no account on this host") }
        return caller(account)
    }

    private func caller(_ account: UserAccount) -> Caller {
        let isAdmin = account.uid == 0 || adminGroup.flatMap(UserAccount.groupID(named:)).map(account.isMember(ofGroup:)) == true
        return Caller(uid: account.uid, name: account.name, isAdmin: isAdmin)
    }
}
