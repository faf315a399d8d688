public import Logging
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Log lines for journald when systemd connected standard error to the journal
/// (`$JOURNAL_STREAM` names it): each line starts with its syslog priority (`<3>` for an error),
/// which journald takes as the entry's PRIORITY, and carries no timestamp of its own (the journal
/// keeps one). Elsewhere the daemon logs through swift-log's standard stream handler.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        logLevel = level
    }

    /// Whether standard error is the journal stream systemd set up for this process.
    public static func standardErrorIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        var info = stat()
        guard parts.count == 2, fstat(STDERR_FILENO, &info) == 0 else { return false }
        return String(info.st_dev) == parts[0] && String(info.st_ino) == parts[1]
    }

    /// The syslog priority of a level.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // One line each: a newline inside a message would start an entry without a priority.
        let text = "\(event.message)".replacingOccurrences(of: "\n", with: " ")
        let line = "<\(Self.priority(event.level))>\(event.level) \(label): \(fields.isEmpty ? "" : fields + " ")[\(event.source)] \(text)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
