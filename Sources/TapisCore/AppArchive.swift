/// A ZIP-runtime app image: an archive (chosen by its name's ending) at an absolute path on the
/// exec system, or at an `http`, `https` or `tapis` URL that is fetched into the exec dir first.
public struct AppArchive: Sendable, Equatable {
    /// The archive's kind, as its name ends.
    public enum Format: String, Sendable, Equatable {
        case zip, tarGzip = "tar.gz", tar
    }

    public var format: Format
    /// The path on the exec system, or the URL.
    public var source: String
    /// Whether the archive must be fetched from `source` (an URL).
    public var isRemote: Bool

    /// - Throws: `TapisError.badRequest` naming `containerImage`.
    public init(image: String) throws(TapisError) {
        let field = "containerImage"
        try Validation.rejectControlCharacters(image, field: field)
        let path: String
        if image.hasPrefix("http://") || image.hasPrefix("https://") || image.hasPrefix("tapis://") {
            let rest = image.drop { $0 != ":" }.dropFirst(3)
            guard let slash = rest.firstIndex(of: "/"), rest.startIndex != slash else {
                throw .invalid(field, "\(image.debugDescription) names no host or system")
            }
            path = String(rest[slash...].prefix { $0 != "?" && $0 != "#" })
            isRemote = true
        } else {
            guard image.hasPrefix("/") else {
                throw .invalid(field, "must be an absolute path on the exec system, or an http, https or tapis URL")
            }
            path = try TapisPath.normalize(image, field: field)
            isRemote = false
        }
        let name = path.lowercased()
        if name.hasSuffix(".zip") {
            format = .zip
        } else if name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") {
            format = .tarGzip
        } else if name.hasSuffix(".tar") {
            format = .tar
        } else {
            throw .invalid(field, "must end in .zip, .tar, .tar.gz or .tgz")
        }
        source = isRemote ? image : path
    }

    /// The name of the fetched copy in the exec dir.
    public var fetchedName: String { "tapisjob_app." + format.rawValue }

    /// The command that checks the archive at `path` is whole (before anything is unpacked).
    public func checkCommand(_ path: String) -> String {
        switch format {
        case .zip: return "unzip -tqq " + Shell.quote(path)
        case .tarGzip: return "tar -tzf " + Shell.quote(path) + " > /dev/null"
        case .tar: return "tar -tf " + Shell.quote(path) + " > /dev/null"
        }
    }

    /// The command that unpacks the archive at `path` into the current directory, overwriting.
    public func unpackCommand(_ path: String) -> String {
        switch format {
        case .zip: return "unzip -o -q " + Shell.quote(path)
        case .tarGzip: return "tar -xzf " + Shell.quote(path)
        case .tar: return "tar -xf " + Shell.quote(path)
        }
    }
}
