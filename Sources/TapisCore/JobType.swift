/// How a job runs on its exec system (Tapis `jobType`): a plain process, or through the system's
/// batch scheduler.
public enum JobType: String, Codable, Sendable, CaseIterable {
    case fork = "FORK"
    case batch = "BATCH"

    /// The job type named `text` in a request or app (any case).
    /// - Throws: `TapisError.badRequest` for any other name.
    public static func named(_ text: String) throws(TapisError) -> JobType {
        guard let type = JobType(rawValue: text.uppercased()) else { throw .invalid("jobType", "must be FORK or BATCH") }
        return type
    }
}
