public import Foundation
import Synchronization
public import TapisCore

/// Holds back scheduler ends after which the scheduler may requeue the job (a node failure, a
/// preemption) until they have been seen for a grace period; a job seen queued or running again
/// in between starts afresh. Kept in memory: a restart only restarts the wait.
public final class RequeueGrace: Sendable {
    public let grace: Duration
    private let firstSeen = Mutex<[JobUUID: Date]>([:])

    public init(grace: Duration) {
        self.grace = grace
    }

    /// Whether `outcome`, seen for job `uuid` at `now`, is final.
    public func isFinal(_ outcome: RemoteOutcome, of uuid: JobUUID, now: Date) -> Bool {
        guard outcome.mayBeRequeued else {
            forget(uuid)
            return true
        }
        return firstSeen.withLock { seen in
            let first = seen[uuid] ?? now
            guard now.timeIntervalSince(first) >= grace.seconds else {
                seen[uuid] = first
                return false
            }
            seen[uuid] = nil
            return true
        }
    }

    /// The job is queued or running again (or gone from tapisd's watch).
    public func forget(_ uuid: JobUUID) {
        _ = firstSeen.withLock { $0.removeValue(forKey: uuid) }
    }
}
