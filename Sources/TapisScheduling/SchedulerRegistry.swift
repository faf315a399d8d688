public import TapisCore

/// The scheduler plugins this daemon has, by name. Adding a scheduler is adding a plugin target
/// and one `register` call in the daemon's wiring.
public struct SchedulerRegistry: Sendable {
    private var dialects: [String: any SchedulerDialect] = [:]

    public init() {}

    /// Makes `dialect` available under its name.
    public mutating func register(_ dialect: any SchedulerDialect) {
        dialects[dialect.name] = dialect
    }

    /// The scheduler called `name`.
    /// - Throws: `TapisError.badRequest` listing the known schedulers.
    public func dialect(named name: String) throws(TapisError) -> any SchedulerDialect {
        guard let dialect = dialects[name] else {
            throw TapisError(.badRequest, "no scheduler named \(name.debugDescription); known: \(dialects.keys.sorted().joined(separator: ", "))")
        }
        return dialect
    }
}
