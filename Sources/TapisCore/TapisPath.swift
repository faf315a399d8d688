/// Path rules for every directory and file path a job names (spec §2.2 `finalizePaths`).
public enum TapisPath {
    /// Normalizes an absolute path: forces a leading `/`, collapses `//` and `/./`, strips a trailing
    /// `/`.
    /// - Throws: `TapisError.badRequest` naming `field` for a `..` segment or a control character.
    public static func normalize(_ path: String, field: String) throws(TapisError) -> String {
        try Validation.rejectControlCharacters(path, field: field)
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == ".." { throw .invalid(field, "'..' is not allowed in a path (\(path.debugDescription))") }
            if segment == "." { continue }
            segments.append(segment)
        }
        return "/" + segments.joined(separator: "/")
    }

    /// Normalizes a path that must stay below some directory (a relative path, or one given
    /// relative to a root).
    /// - Throws: as `normalize`.
    public static func relative(_ path: String, field: String) throws(TapisError) -> String {
        String(try normalize(path, field: field).dropFirst())
    }

    /// `root` and `path` joined into one normalized absolute path.
    public static func join(_ root: String, _ path: String) -> String {
        let trimmedRoot = root.hasSuffix("/") ? String(root.dropLast()) : root
        if path.isEmpty || path == "/" { return trimmedRoot.isEmpty ? "/" : trimmedRoot }
        return trimmedRoot + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// The directory that holds `path` (`/` for a top-level entry).
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The last segment of a path or URL.
    public static func lastSegment(_ path: String) -> String {
        String(path.split(separator: "/").last ?? "")
    }
}
