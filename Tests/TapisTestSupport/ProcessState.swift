import Foundation

/// Whether a process still runs, as the kernel says in /proc: a zombie (ended, not yet reaped by its
/// parent) does not count as running.
public enum ProcessState {
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }
}
