public import Logging
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's log lines, one per event, on standard error: for journald when systemd connected
/// standard error to the journal (`$JOURNAL_STREAM` names it), each line starting with its syslog
/// priority (`<3>` for an error), which journald takes as the entry's PRIORITY, and no timestamp
/// of its own (the journal keeps one); elsewhere with a timestamp first. No text a client sent can
/// forge a line or a field: control characters are escaped, and a metadata value holding a space,
/// `=` or `"` is quoted.
public struct DaemonLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let journal: Bool

    public init(label: String, level: Logger.Level, journal: Bool) {
        self.label = label
        logLevel = level
        self.journal = journal
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
        let fields = merged.sorted { $0.key < $1.key }.map { "\(Self.escaped($0.key, quoting: false))=\(Self.escaped("\($0.value)", quoting: true))" }
        let start = journal ? "<\(Self.priority(event.level))>" : Self.timestamp() + " "
        let line = start + "\(event.level) \(label): " + (fields + ["[\(event.source)] " + Self.escaped("\(event.message)", quoting: false)]).joined(separator: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// `text` as one token of a line: control characters (a newline would start a line of the
    /// client's making) escaped; quoted, when `quoting`, if it holds a space, `=` or `"`.
    public static func escaped(_ text: String, quoting: Bool) -> String {
        var out = ""
        var needsQuotes = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"" where quoting: out += "\\\""; needsQuotes = true
            case "\\" where quoting: out += "\\\\"
            case " ", "=": out.unicodeScalars.append(scalar); needsQuotes = true
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return quoting && (needsQuotes || out.isEmpty) ? "\"" + out + "\"" : out
    }

    /// Now, as swift-log's stream handler writes it (`2026-12-07T01:54:14+0000`).
    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
