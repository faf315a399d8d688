import TapisCore

extension Array where Element == JobStatus {
    /// These statuses as an SQL list, `('QUEUED', 'RUNNING')`. Their raw values are fixed
    /// identifiers, never a caller's text, so they may stand in the SQL itself.
    var sqlList: String { "(" + map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")" }
}
