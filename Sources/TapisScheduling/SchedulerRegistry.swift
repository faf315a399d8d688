public import TapisCore

/// The scheduler backends this daemon has, by name, each made for the system it serves (the key
/// of its metrics). Adding a scheduler is adding a plugin target and one `register` call in the
/// daemon's wiring.
public struct SchedulerRegistry: Sendable {
    /// Makes a backend's adapter for one system, counting its calls in `metrics`.
    public typealias Maker = @Sendable (_ system: String, _ metrics: SchedulerMetrics) -> any SchedulerAdapter
    private var makers: [String: Maker] = [:]

    public init() {}

    /// Makes a command-line scheduler available under its dialect's name.
    public mutating func register(_ dialect: any SchedulerDialect) {
        makers[dialect.name] = { system, metrics in CommandLineScheduler(dialect: dialect, system: system, metrics: metrics) }
    }

    /// Makes any other backend available under `name`.
    public mutating func register(_ name: String, _ make: @escaping Maker) {
        makers[name] = make
    }

    /// The scheduler called `name`, for system `system`.
    /// - Throws: `TapisError.badRequest` listing the known schedulers.
    public func adapter(named name: String, system: String, metrics: SchedulerMetrics) throws(TapisError) -> any SchedulerAdapter {
        guard let make = makers[name] else {
            throw TapisError(.badRequest, "no scheduler named \(name.debugDescription); known: \(makers.keys.sorted().joined(separator: ", "))")
        }
        return make(system, metrics)
    }
}
