/// How long a job waits before its step is tried again after consecutive transient faults: the
/// first wait, doubled after each further fault, never longer than the cap.
public struct RetryBackoff: Sendable, Equatable {
    public var first: Duration
    public var cap: Duration

    public init(first: Duration = .seconds(2), cap: Duration = .seconds(300)) {
        self.first = first
        self.cap = cap
    }

    /// The wait after the `faults`-th consecutive fault (1 for the first).
    public func delay(afterFaults faults: Int) -> Duration {
        var delay = first
        for _ in 1..<max(1, min(faults, 32)) {
            delay *= 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }
}
