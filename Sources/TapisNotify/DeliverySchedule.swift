public import Foundation
import TapisCore

/// When a failed notification is tried again (Tapis's rule by default): a few tries close together,
/// then a slow recovery, then it is given up.
public struct DeliverySchedule: Sendable, Equatable {
    /// Tries close together, and the time between them.
    public var attempts = 3
    public var retryInterval: Duration = .seconds(20)
    /// Further tries, and the time between them.
    public var recoveryAttempts = 150
    public var recoveryInterval: Duration = .seconds(600)

    public init() {}

    /// When to try again after `attempts` failed tries in all (this one included); nil: give up.
    public func retry(afterAttempts attempts: Int, now: Date) -> Date? {
        if attempts < self.attempts { return now + retryInterval.seconds }
        if attempts < self.attempts + recoveryAttempts { return now + recoveryInterval.seconds }
        return nil
    }
}
