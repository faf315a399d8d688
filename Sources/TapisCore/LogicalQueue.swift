/// A Tapis logical queue of a batch system: a name users pick, the scheduler's queue it maps to,
/// and the limits a job on it must respect (spec §6.1).
public struct LogicalQueue: Codable, Sendable, Equatable {
    public var name: String
    /// The scheduler's own queue (the Slurm partition).
    public var hpcQueueName: String
    public var maxJobs: Int?
    public var maxJobsPerUser: Int?
    public var minNodeCount: Int?
    public var maxNodeCount: Int?
    public var minCoresPerNode: Int?
    public var maxCoresPerNode: Int?
    public var minMemoryMB: Int?
    public var maxMemoryMB: Int?
    public var minMinutes: Int?
    public var maxMinutes: Int?

    public init(name: String, hpcQueueName: String) {
        self.name = name
        self.hpcQueueName = hpcQueueName
    }

    /// Checks a job's resources against the queue's limits.
    /// - Throws: `TapisError.badRequest` naming the field and the limit it breaks.
    public func check(nodeCount: Int, coresPerNode: Int, memoryMB: Int, maxMinutes: Int) throws(TapisError) {
        let checks: [(String, Int, Int?, Int?)] = [
            ("nodeCount", nodeCount, minNodeCount, maxNodeCount), ("coresPerNode", coresPerNode, minCoresPerNode, maxCoresPerNode),
            ("memoryMB", memoryMB, minMemoryMB, maxMemoryMB), ("maxMinutes", maxMinutes, minMinutes, self.maxMinutes),
        ]
        for (field, value, low, high) in checks {
            if let low, low > 0, value < low { throw .invalid(field, "\(value) is below the minimum \(low) of logical queue \(name)") }
            if let high, high > 0, value > high { throw .invalid(field, "\(value) is above the maximum \(high) of logical queue \(name)") }
        }
    }
}
