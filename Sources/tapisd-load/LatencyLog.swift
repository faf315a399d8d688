import Foundation
import TapisCore
import Synchronization

/// Durations recorded from many threads, and their percentiles.
final class LatencyLog: Sendable {
    private let samples = Mutex<[Double]>([])

    func add(_ duration: Duration) { samples.withLock { $0.append(duration.seconds) } }

    var count: Int { samples.withLock { $0.count } }

    /// The duration below which `fraction` of the samples lie, in seconds.
    func percentile(_ fraction: Double) -> Double {
        let sorted = samples.withLock { $0.sorted() }
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
