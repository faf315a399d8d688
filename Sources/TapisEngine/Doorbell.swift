import Synchronization

/// Wakes one waiter early: the engine's dispatch loop waits on it between claims, and every
/// released job rings it, so a freed slot is filled at once instead of at the next tick.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the waiter, or the next one if nobody waits.
    public func ring() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.rung = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns when rung (or already rung since the last wait), or after `timeout`.
    public func wait(upTo timeout: Duration) async {
        let timer = Task {
            // Cancelled when rung first: it must not ring then, or the next wait would not wait.
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.ring()
        }
        await withCheckedContinuation { continuation in
            let ringing = state.withLock { state in
                defer { state.rung = false }
                if !state.rung { state.waiter = continuation }
                return state.rung
            }
            if ringing { continuation.resume() }
        }
        timer.cancel()
    }
}
