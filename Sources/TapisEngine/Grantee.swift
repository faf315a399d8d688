public import TapisCore
import TapisTransport

/// Whom a share names: a user of this host, or `@group` for every member of one of its groups.
/// The one rule of job, system and app shares.
public enum Grantee {
    /// Checks that `name` is a login name (after its `@`) of a user or group this host has.
    /// - Throws: `TapisError.badRequest` naming `field`.
    public static func check(_ name: String, field: String) throws(TapisError) {
        let isGroup = name.hasPrefix("@")
        let bare = isGroup ? String(name.dropFirst()) : name
        try Validation.loginName(bare, field: field)
        let known = isGroup ? UserAccount.groupID(named: bare) != nil : UserAccount.named(bare) != nil
        if !known { throw .invalid(field, "there is no \(isGroup ? "group" : "user") \(bare.debugDescription) on this host") }
    }
}

extension Caller {
    /// The grantees this caller answers to: their name, and `@group` for each group of theirs.
    public var grantees: [String] { [name] + (UserAccount.named(name)?.groupNames ?? []).map { "@" + $0 } }
}
