public import TapisCore
public import TapisStore
import TapisTransport

/// Every system and app the daemon knows: the admin's (definition files and the built-in `local`
/// system, read-only through the API) and those users created through the API (in the store).
public struct DefinitionCatalog: Sendable {
    private let store: JobStore
    private let fixed: AdminDefinitions
    private var fixedSystems: [String: TapisSystem] { fixed.current.systems }
    private var fixedApps: [String: TapisApp] { fixed.current.apps }

    public init(store: JobStore, systems: [TapisSystem], apps: [TapisApp]) {
        self.store = store
        fixed = AdminDefinitions(Self.snapshot(systems: systems, apps: apps))
    }

    /// Puts the administrator's definitions in place of the ones read before (a reload of the
    /// definition files); every copy of this catalog sees them from now on.
    public func replaceAdminDefinitions(systems: [TapisSystem], apps: [TapisApp]) {
        fixed.replace(with: Self.snapshot(systems: systems, apps: apps))
    }

    private static func snapshot(systems: [TapisSystem], apps: [TapisApp]) -> AdminDefinitions.Snapshot {
        AdminDefinitions.Snapshot(
            systems: Dictionary(systems.map { ($0.id, Self.public($0)) }, uniquingKeysWith: { first, _ in first }),
            apps: Dictionary(apps.map { (Self.key($0.id, $0.version), Self.public($0)) }, uniquingKeysWith: { first, _ in first }))
    }

    /// All systems by id; admin definitions win over stored ones of the same id.
    public func systems() async throws -> [String: TapisSystem] {
        var all = Dictionary(try await store.systems().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        all.merge(fixedSystems) { _, fixed in fixed }
        return all
    }

    /// The system called `id`.
    public func system(_ id: String) async throws -> TapisSystem? {
        if let system = fixedSystems[id] { return system }
        return try await store.system(id)
    }

    /// The systems `caller` may use, by id: a user's own systems (and their credentials) serve
    /// nobody else.
    public func systems(usableBy caller: Caller) async throws -> [String: TapisSystem] {
        try await systems().filter { caller.mayUse(definitionOwnedBy: $0.value.owner, isPublic: $0.value.isPublic, sharedWith: $0.value.sharedWithUsers) }
    }

    /// The system called `id`, if `caller` may use it.
    public func system(_ id: String, usableBy caller: Caller) async throws -> TapisSystem? {
        try await system(id).flatMap { caller.mayUse(definitionOwnedBy: $0.owner, isPublic: $0.isPublic, sharedWith: $0.sharedWithUsers) ? $0 : nil }
    }

    /// The app versions `caller` may use, ordered by id and version.
    public func apps(usableBy caller: Caller) async throws -> [TapisApp] {
        try await apps().filter { caller.mayUse(definitionOwnedBy: $0.owner, isPublic: $0.isPublic, sharedWith: $0.sharedWithUsers) }
    }

    /// The app `id` at `version`, if `caller` may use it.
    public func app(_ id: String, version: String, usableBy caller: Caller) async throws -> TapisApp? {
        try await app(id, version: version).flatMap { caller.mayUse(definitionOwnedBy: $0.owner, isPublic: $0.isPublic, sharedWith: $0.sharedWithUsers) ? $0 : nil }
    }

    /// All app versions, ordered by id and version.
    public func apps() async throws -> [TapisApp] {
        var all = Dictionary(try await store.apps().map { (Self.key($0.id, $0.version), $0) }, uniquingKeysWith: { first, _ in first })
        all.merge(fixedApps) { _, fixed in fixed }
        return all.values.sorted { ($0.id, $0.version) < ($1.id, $1.version) }
    }

    /// The app `id` at `version`.
    public func app(_ id: String, version: String) async throws -> TapisApp? {
        if let app = fixedApps[Self.key(id, version)] { return app }
        return try await store.app(id, version: version)
    }

    /// Stores a system created through the API: public when an administrator creates it, else
    /// usable by its creator (and administrators) only.
    /// - Throws: `TapisError.badRequest` for a bad definition, `.forbidden` when a non-admin names
    ///   another login, `.conflict` when the id is taken.
    public func create(_ system: TapisSystem, by caller: Caller) async throws {
        var system = system
        try system.validate(byAdministrator: caller.isAdmin)
        if system.isLocal, let user = system.effectiveUserId, user != "${apiUserId}", user != caller.name, !caller.isAdmin {
            throw TapisError(.forbidden, "effectiveUserId: only an administrator may define a system on this host that runs as another user (\(user))")
        }
        if fixedSystems[system.id] != nil { throw TapisError(.conflict, "system \(system.id) is defined by the administrator") }
        system.owner = caller.name
        system.isPublic = caller.isAdmin
        system.sharedWithUsers = nil
        system.modifyUsers = nil
        try await store.insert(system, owner: caller.name)
    }

    /// Stores an app version created through the API: public when an administrator creates it, else
    /// usable by its creator (and administrators) only.
    /// - Throws: `TapisError.badRequest` for a bad definition, `.conflict` when it exists.
    public func create(_ app: TapisApp, by caller: Caller) async throws {
        var app = app
        try app.validate()
        if fixedApps[Self.key(app.id, app.version)] != nil {
            throw TapisError(.conflict, "app \(app.id) version \(app.version) is defined by the administrator")
        }
        // An app id is its first creator's: the versions of one app never have two owners.
        if let other = try await store.apps().first(where: { $0.id == app.id && $0.owner != caller.name }) {
            throw TapisError(.conflict, "app \(app.id) belongs to \(other.owner ?? "the administrator"); choose another id")
        }
        app.owner = caller.name
        app.isPublic = caller.isAdmin
        app.sharedWithUsers = nil
        try await store.insert(app, owner: caller.name)
    }

    /// Enables or disables a system created through the API (its owner or an administrator).
    /// - Throws: `.notFound` for a system the caller cannot see, `.forbidden` for someone else's,
    ///   `.conflict` for the administrator's files.
    public func setEnabled(_ enabled: Bool, system id: String, by caller: Caller) async throws {
        if fixedSystems[id] != nil {
            throw TapisError(.conflict, "system \(id) is defined by the administrator's files (or built in); change it there")
        }
        guard let system = try await system(id, usableBy: caller) else { throw TapisError(.notFound, "no system \(id.debugDescription)") }
        try Self.checkOwner(system.owner, caller, what: "system \(id)", modifiers: system.modifyUsers)
        _ = try await store.updateSystem(id) { $0.enabled = enabled }
    }

    /// Enables or disables an app created through the API: all its versions (`enabled`), or one
    /// version (`versionEnabled`). Its owner or an administrator only.
    /// - Throws: as `setEnabled(_:system:by:)`.
    public func setEnabled(_ enabled: Bool, app id: String, version: String?, by caller: Caller) async throws {
        if fixedApps.values.contains(where: { $0.id == id && (version == nil || $0.version == version) }) {
            throw TapisError(.conflict, "app \(id) is defined by the administrator's files; change it there")
        }
        guard try await apps(usableBy: caller).contains(where: { $0.id == id && (version == nil || $0.version == version) }) else {
            throw TapisError(.notFound, "no app \(id.debugDescription)\(version.map { " with version \($0.debugDescription)" } ?? "")")
        }
        for stored in try await store.apps() where stored.id == id { try Self.checkOwner(stored.owner, caller, what: "app \(id)") }
        _ = try await store.updateApps(id, version: version) { app in
            if version == nil { app.enabled = enabled } else { app.versionEnabled = enabled }
        }
    }

    /// A change to who may use a system created through the API: `users` (names or `@group`s) to
    /// share it with or to take back, or publication to everyone. Its owner or an administrator
    /// shares with users; only an administrator publishes (a published system's own credential
    /// serves everyone, so publishing is the administrator's choice).
    public enum ShareChange: Sendable {
        case share([String]), unshare([String]), publish(Bool)
    }

    /// Applies `change` to system `id`.
    /// - Throws: `.notFound`, `.forbidden` as for `setEnabled`; `.badRequest` naming `users`.
    public func change(_ change: ShareChange, system id: String, by caller: Caller) async throws {
        if fixedSystems[id] != nil { throw TapisError(.conflict, "system \(id) is defined by the administrator's files, for everyone") }
        guard let system = try await system(id, usableBy: caller) else { throw TapisError(.notFound, "no system \(id.debugDescription)") }
        // Someone a system with a static login is shared with runs as that login: only its owner
        // (or an administrator) shares such a system, never someone given MODIFY.
        try Self.checkShare(change, owner: system.owner, caller, what: "system \(id)", modifiers: system.isDynamic ? system.modifyUsers : nil)
        if case .publish(true) = change, system.authnCredential != nil || !system.isDynamic, system.owner != caller.name {
            throw TapisError(
                .conflict,
                "system \(id) logs in with \(system.owner ?? "its owner")'s own credential (authnCredential, or a static effectiveUserId); published, it would log everyone in with it. Its owner makes it ${apiUserId} without authnCredential first (everyone then brings their own)")
        }
        _ = try await store.updateSystem(id) { Self.apply(change, sharedWith: &$0.sharedWithUsers, isPublic: &$0.isPublic) }
    }

    /// Applies `change` to every version of app `id`.
    /// - Throws: as `change(_:system:by:)`.
    public func change(_ change: ShareChange, app id: String, by caller: Caller) async throws {
        if fixedApps.values.contains(where: { $0.id == id }) { throw TapisError(.conflict, "app \(id) is defined by the administrator's files, for everyone") }
        guard try await apps(usableBy: caller).contains(where: { $0.id == id }) else { throw TapisError(.notFound, "no app \(id.debugDescription)") }
        for version in try await store.apps() where version.id == id { try Self.checkShare(change, owner: version.owner, caller, what: "app \(id)") }
        _ = try await store.updateApps(id, version: nil) { Self.apply(change, sharedWith: &$0.sharedWithUsers, isPublic: &$0.isPublic) }
    }

    private static func checkShare(_ change: ShareChange, owner: String?, _ caller: Caller, what: String, modifiers: [String]? = nil) throws {
        try checkOwner(owner, caller, what: what, modifiers: modifiers)
        switch change {
        case .publish:
            guard caller.isAdmin else { throw TapisError(.forbidden, "only an administrator may publish \(what) to everyone; share it with users or @groups instead") }
        case .share(let users), .unshare(let users):
            if users.isEmpty { throw TapisError.invalid("users", "name at least one user or @group") }
            for user in users { try Grantee.check(user, field: "users") }
        }
    }

    private static func apply(_ change: ShareChange, sharedWith: inout [String]?, isPublic: inout Bool?) {
        switch change {
        case .share(let users): sharedWith = Array(Set((sharedWith ?? []) + users)).sorted()
        case .unshare(let users): sharedWith = (sharedWith ?? []).filter { !users.contains($0) }
        case .publish(let published): isPublic = published
        }
    }

    /// Tapis's system permissions as they change what a user may do here: READ and EXECUTE are
    /// one right (to see a system is to run on it, with one's own credential), MODIFY adds
    /// enabling, disabling and sharing it; the owner holds all three.
    public enum Permission: String, CaseIterable, Sendable {
        case read = "READ", modify = "MODIFY", execute = "EXECUTE"

        /// The permissions a request names (`*` is all of them, lower case is accepted).
        /// - Throws: `TapisError.badRequest` naming `permissions`.
        public static func parse(_ names: [String]) throws -> Set<Permission> {
            if names.isEmpty { throw TapisError.invalid("permissions", "name at least one of READ, MODIFY, EXECUTE (or *)") }
            return try Set(names.flatMap { name -> [Permission] in
                if name == "*" { return allCases }
                guard let permission = Permission(rawValue: name.uppercased()) else {
                    throw TapisError.invalid("permissions", "\(name.prefix(20).debugDescription) is not one of READ, MODIFY, EXECUTE (or *)")
                }
                return [permission]
            })
        }
    }

    /// The permissions `user` holds on system `id` (as its owner, an administrator or someone
    /// may ask).
    public func permissions(system id: String, user: String, by caller: Caller) async throws -> [Permission] {
        guard let system = try await system(id, usableBy: caller) else { throw TapisError(.notFound, "no system \(id.debugDescription)") }
        guard caller.isAdmin || caller.name == user || system.owner == caller.name else {
            throw TapisError(.forbidden, "only \(user), the owner of system \(id) or an administrator may read \(user)'s permissions there")
        }
        let viewer = Caller(uid: UserAccount.named(user)?.uid ?? UInt32.max, name: user, isAdmin: false)
        if system.owner == user { return Permission.allCases }
        var held: [Permission] = []
        if viewer.mayUse(definitionOwnedBy: system.owner, isPublic: system.isPublic, sharedWith: system.sharedWithUsers) { held += [.read, .execute] }
        if (system.modifyUsers ?? []).contains(user) { held.append(.modify) }
        return held
    }

    /// Grants (or, with `revoke`, takes back) `permissions` of system `id` to `user`.
    /// - Throws: as `change(_:system:by:)`.
    public func setPermissions(_ permissions: Set<Permission>, system id: String, user: String, revoke: Bool, by caller: Caller) async throws {
        if fixedSystems[id] != nil { throw TapisError(.conflict, "system \(id) is defined by the administrator's files, for everyone") }
        guard let system = try await system(id, usableBy: caller) else { throw TapisError(.notFound, "no system \(id.debugDescription)") }
        try Self.checkOwner(system.owner, caller, what: "system \(id)", modifiers: system.isDynamic ? system.modifyUsers : nil)
        let use = !permissions.isDisjoint(with: [.read, .execute])
        let modify = permissions.contains(.modify)
        // MODIFY implies READ: granting it shares the system too; taking back READ takes MODIFY with it.
        if use || modify && !revoke { try await change(revoke ? .unshare([user]) : .share([user]), system: id, by: caller) }
        guard modify || revoke && use else { return }
        _ = try await store.updateSystem(id) { system in
            var modifiers = Set(system.modifyUsers ?? [])
            if revoke { modifiers.remove(user) } else { modifiers.insert(user) }
            system.modifyUsers = modifiers.isEmpty ? nil : modifiers.sorted()
        }
    }

    private static func checkOwner(_ owner: String?, _ caller: Caller, what: String, modifiers: [String]? = nil) throws {
        guard caller.isAdmin || owner == caller.name || (modifiers ?? []).contains(caller.name) else {
            throw TapisError(.forbidden, "\(what) belongs to \(owner ?? "the administrator"); only they or an administrator may change it")
        }
    }

    /// All scheduler profiles, by name.
    public func schedulerProfiles() async throws -> [SchedulerProfile] {
        try await store.schedulerProfiles()
    }

    /// The scheduler profile called `name`.
    public func schedulerProfile(_ name: String) async throws -> SchedulerProfile? {
        try await store.schedulerProfile(name)
    }

    /// Stores a scheduler profile created through the API. Only administrators create them: their
    /// module commands run in the jobs of every user who picks the profile.
    /// - Throws: `TapisError.forbidden` for other callers, `.badRequest` for a bad definition,
    ///   `.conflict` when the name is taken.
    public func create(_ profile: SchedulerProfile, by caller: Caller) async throws {
        guard caller.isAdmin else {
            throw TapisError(.forbidden, "only root or the admin group may create scheduler profiles: their module commands run in every job that uses them")
        }
        var profile = profile
        try profile.validate()
        profile.owner = caller.name
        try await store.insert(profile, owner: caller.name)
    }

    private static func key(_ id: String, _ version: String) -> String { id + "\u{0}" + version }

    /// The administrator's definitions serve every user.
    private static func `public`(_ system: TapisSystem) -> TapisSystem {
        var system = system
        system.isPublic = true
        return system
    }

    private static func `public`(_ app: TapisApp) -> TapisApp {
        var app = app
        app.isPublic = true
        return app
    }
}
