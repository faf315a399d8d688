/// How the app ended on the exec system, as far as archiving goes (Tapis `remoteOutcome`).
public enum JobRemoteOutcome: String, Codable, Sendable, CaseIterable {
    /// The app succeeded.
    case finished = "FINISHED"
    /// The app failed; its outputs are archived.
    case failed = "FAILED"
    /// The app failed and its outputs are not archived (`archiveOnAppError` is false).
    case failedSkipArchive = "FAILED_SKIP_ARCHIVE"
}
