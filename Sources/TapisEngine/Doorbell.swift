import Synchronization

/// Wakes one waiter early: the engine's dispatch loop waits on it between claims, and every
/// released job rings it, so a freed slot is filled at once instead of at the next tick.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one if nobody waits.
    func ring() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.rung = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns when rung (or already rung since the last wait), or after `timeout`.
    func wait(upTo timeout: Duration) async {
        let timer = Task {
            try? await Task.sleep(for: timeout)
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
