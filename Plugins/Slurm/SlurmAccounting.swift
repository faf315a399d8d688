/// The finalize output read back: sacct records (the newest per job wins: a requeued job has
/// several) and the wrapper's exit codes. Lines of any other shape (banners, warnings) are ignored.
import Foundation

struct SlurmAccounting {
    struct Record {
        var state: String
        var exitCode: String
        var end: String
    }

    private(set) var newest: [String: Record] = [:]
    private(set) var exitCodes: [String: String] = [:]
    private(set) var accountingOff = false
    /// Whether sacct itself reported success (its status line says 0).
    let sacctSucceeded: Bool

    /// What sacct says (on stderr) when the cluster keeps no accounting.
    static let disabledMessage = "accounting storage is disabled"

    init(output: String) {
        let lines = output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        sacctSucceeded = SlurmDialect.statuses(in: lines)["sacct"] == 0
        for line in lines {
            if line.contains(Self.disabledMessage) { accountingOff = true }
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            if words.count == 3, words[0] == SlurmDialect.exitCodeMarker {
                exitCodes[words[1]] = words[2].trimmingCharacters(in: .whitespaces)
                continue
            }
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let id = SlurmDialect.jobId(in: fields[0]), id == fields[0] else { continue }
            let record = Record(state: fields[1], exitCode: fields[2], end: fields[3])
            // Ends are ISO timestamps (or "Unknown" while running), so text order is time order.
            if let known = newest[id], known.end != "Unknown", record.end != "Unknown", known.end > record.end { continue }
            newest[id] = record
        }
    }
}
