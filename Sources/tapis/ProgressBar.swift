import Foundation
import Synchronization

/// A one-line progress bar on standard error: bytes so far, of how many when known, and the rate.
/// Redrawn at most ten times a second.
final class ProgressBar: Sendable {
    private struct State {
        var total: Int64?
        var done: Int64 = 0
        var lastDraw = Date.distantPast
    }

    private let state = Mutex(State())
    private let start = Date()

    func expect(_ total: Int64?) { state.withLock { $0.total = total } }

    func advance(by count: Int) {
        state.withLock { state in
            state.done += Int64(count)
            guard Date().timeIntervalSince(state.lastDraw) >= 0.1 else { return }
            state.lastDraw = Date()
            draw(state)
        }
    }

    /// Draws the final figures and ends the line.
    func finish() {
        state.withLock { draw($0) }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(_ state: State) {
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let rate = Self.size(Int64(Double(state.done) / seconds)) + "/s"
        let line: String
        if let total = state.total, total > 0 {
            let fraction = min(1, Double(state.done) / Double(total))
            let filled = Int(fraction * 30)
            line = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled) + "] "
                + String(format: "%3.0f%%  ", fraction * 100) + "\(Self.size(state.done)) of \(Self.size(total))  \(rate)"
        } else {
            line = "\(Self.size(state.done))  \(rate)"
        }
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    private static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
