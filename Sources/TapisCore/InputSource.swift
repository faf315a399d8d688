/// Where a file input comes from, parsed from its `sourceUrl`.
public enum InputSource: Sendable, Equatable {
    /// `tapis://<systemId>/<path>`: a file or directory on a registered system.
    case system(id: String, path: String)
    /// `tapislocal://exec.tapis/<path>`: already on the exec system; used in place.
    case inPlace(path: String)
    /// `http://` or `https://`: fetched on the exec host.
    case web(url: String)

    /// - Throws: `TapisError.badRequest` naming `fileInputs.sourceUrl`.
    public init(_ url: String, systems: [String: TapisSystem]) throws(TapisError) {
        let field = "fileInputs.sourceUrl"
        try Validation.rejectControlCharacters(url, field: field)
        if url.hasPrefix("tapis://") {
            let rest = url.dropFirst("tapis://".count)
            guard let slash = rest.firstIndex(of: "/") else { throw .invalid(field, "\(url.debugDescription) has no path after the system id") }
            let id = String(rest[..<slash])
            guard systems[id] != nil else { throw .invalid(field, "\(url.debugDescription) names an unknown system \(id.debugDescription)") }
            self = .system(id: id, path: try TapisPath.normalize(String(rest[slash...]), field: field))
        } else if url.hasPrefix("tapislocal://") {
            let rest = url.dropFirst("tapislocal://".count)
            guard let slash = rest.firstIndex(of: "/") else { throw .invalid(field, "\(url.debugDescription) has no path") }
            self = .inPlace(path: try TapisPath.normalize(String(rest[slash...]), field: field))
        } else if url.hasPrefix("http://") || url.hasPrefix("https://") {
            if url.contains(where: { $0.isWhitespace }) { throw .invalid(field, "\(url.debugDescription) contains white space") }
            self = .web(url: url)
        } else {
            throw .invalid(field, "\(url.debugDescription) must start with tapis://, tapislocal://, http:// or https://")
        }
    }
}
