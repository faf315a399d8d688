/// Who is asking: a Unix user identified by the kernel (SO_PEERCRED) on the API socket.
public struct Caller: Sendable, Equatable {
    public var uid: UInt32
    public var name: String
    /// Root, or a member of the configured admin group: sees and acts on every job.
    public var isAdmin: Bool

    public init(uid: UInt32, name: String, isAdmin: Bool) {
        self.uid = uid
        self.name = name
        self.isAdmin = isAdmin
    }

    /// Whether this caller may see and act on a job owned by `owner`.
    public func mayAccess(jobOwnedBy owner: String) -> Bool { isAdmin || owner == name }

    /// Whether this caller may see and use a system or app: the administrator's (definition files,
    /// or created by an administrator) and published ones are everyone's; one a user created is
    /// theirs and that of the users and groups they shared it with.
    public func mayUse(definitionOwnedBy owner: String?, isPublic: Bool?, sharedWith: [String]? = nil) -> Bool {
        isAdmin || owner == nil || isPublic == true || owner == name || answers(toAnyOf: sharedWith ?? [])
    }

    /// Whether one of `names` is this caller: their name, or `@group` for a group of theirs.
    public func answers(toAnyOf names: [String]) -> Bool {
        // The groups are looked up only when a group is named (listings ask for every definition).
        names.contains(name) || names.contains { $0.hasPrefix("@") } && !Set(grantees).isDisjoint(with: names)
    }
}
