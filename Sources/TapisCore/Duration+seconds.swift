public import Foundation

extension Duration {
    /// This duration in seconds, as a time interval.
    public var seconds: TimeInterval { TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18 }
}
