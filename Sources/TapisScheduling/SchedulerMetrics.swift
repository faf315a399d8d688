import Synchronization
import TapisCore

/// How many scheduler commands tapisd ran on each system, of which kind, and how long they took:
/// what an operator (and the monitoring benchmark) reads to see the load tapisd puts on a
/// scheduler. Counted since the daemon started.
public final class SchedulerMetrics: Sendable {
    /// The kinds of scheduler command.
    public enum Command: String, Sendable, CaseIterable, Codable {
        case submit, lookup, status, finalize, cancel
    }

    /// The figures of one kind of command on one system.
    public struct Figures: Sendable, Equatable, Codable {
        /// Commands run.
        public var count = 0
        /// Commands that failed (no answer, or one that could not be read).
        public var failed = 0
        /// Their total duration, in seconds.
        public var totalSeconds = 0.0
        /// The longest one, in seconds.
        public var maxSeconds = 0.0
    }

    private let figures = Mutex<[String: [Command: Figures]]>([:])
    private let cycles = Mutex<[String: Int]>([:])

    public init() {}

    /// Counts one command of `kind` on system `system` that took `duration`.
    public func record(_ kind: Command, system: String, duration: Duration, failed: Bool) {
        let seconds = duration.seconds
        figures.withLock { all in
            var entry = all[system, default: [:]][kind, default: Figures()]
            entry.count += 1
            entry.failed += failed ? 1 : 0
            entry.totalSeconds += seconds
            entry.maxSeconds = max(entry.maxSeconds, seconds)
            all[system, default: [:]][kind] = entry
        }
    }

    /// Counts one monitoring cycle of a system: one look at all its jobs of one login, which should
    /// cost one status command.
    public func recordPollCycle(system: String) {
        cycles.withLock { $0[system, default: 0] += 1 }
    }

    /// The monitoring cycles run per system.
    public var pollCycles: [String: Int] { cycles.withLock { $0 } }

    /// Every system's figures, by system id and command kind.
    public var snapshot: [String: [String: Figures]] {
        figures.withLock { all in
            all.mapValues { byKind in Dictionary(uniqueKeysWithValues: byKind.map { ($0.key.rawValue, $0.value) }) }
        }
    }
}

/// What `/v3/tapisd/metrics` answers: the figures of every system.
public struct SchedulerMetricsReport: Sendable, Codable {
    /// By system id, then command kind.
    public var schedulerCommands: [String: [String: SchedulerMetrics.Figures]]
    /// Monitoring cycles by system id.
    public var pollCycles: [String: Int]

    public init(schedulerCommands: [String: [String: SchedulerMetrics.Figures]], pollCycles: [String: Int]) {
        self.schedulerCommands = schedulerCommands
        self.pollCycles = pollCycles
    }
}
