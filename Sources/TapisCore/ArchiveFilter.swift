/// A compiled archive filter (spec §5.7): excludes are applied first, then includes; an empty
/// include list keeps everything.
public struct ArchiveFilter: Sendable {
    private let includes: [Pattern]
    private let excludes: [Pattern]
    /// Whether `tapisjob.sh` and `tapisjob.env` are archived too.
    public let includeLaunchFiles: Bool

    /// - Throws: `TapisError.badRequest` naming the pattern that does not compile.
    public init(_ spec: ArchiveFilterSpec) throws(TapisError) {
        includes = try (spec.includes ?? []).map { pattern throws(TapisError) in try Pattern(pattern, field: "archiveFilter.includes") }
        excludes = try (spec.excludes ?? []).map { pattern throws(TapisError) in try Pattern(pattern, field: "archiveFilter.excludes") }
        includeLaunchFiles = spec.includeLaunchFiles ?? true
    }

    /// Whether the filter keeps everything (no excludes, and no includes or a match-all include).
    public var keepsEverything: Bool {
        excludes.isEmpty && (includes.isEmpty || includes.contains { $0.matchesAll })
    }

    /// Whether the file at `relativePath` (relative to the output dir) is archived.
    public func keeps(_ relativePath: String) -> Bool {
        if excludes.contains(where: { $0.matches(relativePath) }) { return false }
        return includes.isEmpty || includes.contains { $0.matches(relativePath) }
    }

    /// One glob or `REGEX:` pattern.
    struct Pattern: @unchecked Sendable {
        // Regex is immutable after construction; it is only read for matching.
        let regex: Regex<AnyRegexOutput>
        let matchesAll: Bool

        init(_ text: String, field: String) throws(TapisError) {
            let source: String
            if text.hasPrefix("REGEX:") {
                source = String(text.dropFirst(6))
            } else {
                source = Glob.regex(for: text)
            }
            do {
                regex = try Regex(source)
            } catch {
                throw .invalid(field, "\(text.debugDescription) is not a valid pattern")
            }
            matchesAll = text == "**/*" || text == "**" || text == "REGEX:.*" || text == "REGEX(.*)"
        }

        func matches(_ path: String) -> Bool { (try? regex.wholeMatch(in: path)) != nil }
    }
}
