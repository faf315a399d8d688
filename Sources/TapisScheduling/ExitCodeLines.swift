import Foundation
public import TapisCore
public import TapisTransport

/// The `id code` lines a finalize command prints for schedulers whose exit codes sit in
/// `tapisjob.exitcode` (`missing` when there is none), read as outcomes.
public enum ExitCodeLines {
    /// The shell line that prints the job's `id code` line (after `prefix` and a space, if given),
    /// `missing` standing for a code the job never kept; only the file's first line, so a file
    /// the job wrote cannot add lines for other jobs.
    public static func command(for job: RemoteJob, prefix: String? = nil) -> String {
        let file = Shell.quote(job.outputPath(LaunchFiles.exitCode))
        return "printf '\(prefix.map { $0 + " " } ?? "")%s %s\\n' \(Shell.quote(job.remoteJobId ?? "")) \"$(head -n 1 \(file) 2>/dev/null || echo missing)\""
    }

    /// - Parameters:
    ///   - result: the finalize command's output.
    ///   - subject: what ended, for the messages ("app", "container").
    ///   - missing: the outcome of an id whose code is missing, or nil to ask again at the next poll.
    /// - Throws: `TapisError.unavailable` when the command failed.
    public static func outcomes(
        _ result: CommandResult, subject: String, missing: (String) -> RemoteOutcome?
    ) throws(TapisError) -> [String: RemoteOutcome] {
        guard result.status == 0 else { throw TapisError(.unavailable, "reading \(subject) exit codes failed: \(result.errorText)") }
        var outcomes: [String: RemoteOutcome] = [:]
        for line in result.output.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard fields.count == 2 else { continue }
            let code = fields[1].trimmingCharacters(in: .whitespaces)
            if code == "0" {
                outcomes[fields[0]] = RemoteOutcome(succeeded: true, resultInfo: "0", message: "The \(subject) exited with status 0.")
            } else if let status = Int(code) {
                outcomes[fields[0]] = RemoteOutcome(
                    succeeded: false, resultInfo: code,
                    message: "The \(subject) exited with status \(status); see \(LaunchFiles.output) in the job's output for why.")
            } else if let outcome = missing(fields[0]) {
                outcomes[fields[0]] = outcome
            }
        }
        return outcomes
    }
}
