/// When a job's outputs are archived (Tapis `archiveMode`).
public enum ArchiveMode: String, Codable, Sendable, CaseIterable {
    case always = "ALWAYS"
    case skipOnFail = "SKIP_ON_FAIL"
    case never = "NEVER"

    /// The archive mode named `text` in a request or app (any case).
    /// - Throws: `TapisError.badRequest` for any other name.
    public static func named(_ text: String) throws(TapisError) -> ArchiveMode {
        guard let mode = ArchiveMode(rawValue: text.uppercased()) else { throw .invalid("archiveMode", "must be ALWAYS, SKIP_ON_FAIL or NEVER") }
        return mode
    }
}
