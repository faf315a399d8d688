/// Merges app and request file inputs (spec §2.3) and checks each source URL.
///
/// The app's `inputMode` decides. REQUIRED: the request's values win and the app's `sourceUrl` and
/// `targetPath` fill its blanks; an input left without a source is refused. OPTIONAL (the default):
/// the same, but an input left without a source is dropped, and the resolved input is marked
/// `optional`. FIXED: the request may name the input but change none of `sourceUrl`, `targetPath`,
/// `description`, `autoMountLocal` or `notes`. An input is complete once it has a `sourceUrl`: a blank
/// or `*` `targetPath` is the source's last path segment.
public struct FileInputMerge: Sendable {
    static let modes = ["REQUIRED", "OPTIONAL", "FIXED"]

    public var app: [AppFileInput]
    public var request: [JobFileInput]
    public var strict: Bool
    public var inputDir: String
    public var systems: [String: TapisSystem]

    public init(app: [AppFileInput], request: [JobFileInput], strict: Bool, inputDir: String, systems: [String: TapisSystem]) {
        self.app = app
        self.request = request
        self.strict = strict
        self.inputDir = inputDir
        self.systems = systems
    }

    /// - Throws: `TapisError.badRequest` naming the input.
    public func merged() throws(TapisError) -> [ResolvedFileInput] {
        var byName: [String: JobFileInput] = [:]
        for input in request {
            guard let name = input.name, !name.isEmpty else {
                if strict { throw .invalid("fileInputs", "the app has strictFileInputs: every input must name one of the app's inputs") }
                continue
            }
            if byName[name] != nil { throw .invalid("fileInputs", "input name \(name.debugDescription) appears twice") }
            if strict, !app.contains(where: { $0.name == name }) {
                throw .invalid("fileInputs", "the app has no input named \(name.debugDescription) (strictFileInputs)")
            }
            byName[name] = input
        }
        var result: [ResolvedFileInput] = []
        var used: Set<String> = []
        for input in app {
            let name = input.name ?? ""
            let override = byName[name]
            if override != nil { used.insert(name) }
            let mode = (input.inputMode ?? "OPTIONAL").uppercased()
            guard Self.modes.contains(mode) else {
                throw .invalid("fileInputs", "input mode \(mode) of input \(name.debugDescription) is not one of \(Self.modes.joined(separator: ", "))")
            }
            if mode == "FIXED", let override { try Self.checkUnchanged(override, fixedBy: input) }
            guard let source = Self.nonBlank(override?.sourceUrl) ?? Self.nonBlank(input.sourceUrl) else {
                if mode == "OPTIONAL" { continue }
                throw .invalid("fileInputs", "input \(name.debugDescription) is \(mode) and has no sourceUrl")
            }
            let description = mode == "FIXED" ? input.description : Self.description(app: input.description, request: override?.description)
            result.append(try resolve(
                name: input.name, description: description, source: source, target: Self.nonBlank(override?.targetPath) ?? input.targetPath,
                envKey: override?.envKey ?? input.envKey, optional: mode == "OPTIONAL", autoMount: override?.autoMountLocal ?? input.autoMountLocal))
        }
        for input in request where !(input.name.map(used.contains) ?? false) {
            guard let source = Self.nonBlank(input.sourceUrl) else {
                throw .invalid("fileInputs", "input \((input.name ?? "unnamed").debugDescription) has no sourceUrl")
            }
            result.append(try resolve(
                name: input.name, description: input.description, source: source, target: input.targetPath, envKey: input.envKey, optional: false,
                autoMount: input.autoMountLocal))
        }
        return result
    }

    /// Refuses a request input that changes any field of a FIXED app input.
    private static func checkUnchanged(_ override: JobFileInput, fixedBy input: AppFileInput) throws(TapisError) {
        let changed: [(field: String, differs: Bool)] = [
            ("sourceUrl", override.sourceUrl.map { $0 != input.sourceUrl } ?? false),
            ("targetPath", override.targetPath.map { $0 != input.targetPath } ?? false),
            ("description", override.description.map { $0 != input.description } ?? false),
            ("autoMountLocal", override.autoMountLocal.map { $0 != (input.autoMountLocal ?? true) } ?? false),
            ("notes", override.notes.map { $0 != input.notes } ?? false),
        ]
        if let field = changed.first(where: \.differs)?.field {
            throw .invalid("fileInputs.\(field)", "input \((input.name ?? "").debugDescription) is FIXED by the app and cannot be changed")
        }
    }

    /// The app's description, then the request's, separated by a blank line.
    private static func description(app: String?, request: String?) -> String? {
        guard let app = nonBlank(app) else { return request }
        guard let request = nonBlank(request) else { return app }
        return app + "\n\n" + request
    }

    private static func nonBlank(_ text: String?) -> String? {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
        return text
    }

    private func resolve(
        name: String?, description: String?, source: String, target: String?, envKey: String?, optional: Bool, autoMount: Bool?
    ) throws(TapisError) -> ResolvedFileInput {
        let location = try InputSource(source, systems: systems)
        let targetPath: String
        if case .inPlace(let path) = location {
            targetPath = path
        } else {
            let relative = (target ?? "").isEmpty || target == "*" ? TapisPath.lastSegment(source) : target!
            let cleaned = try TapisPath.relative(relative, field: "fileInputs.targetPath")
            if cleaned.isEmpty { throw .invalid("fileInputs.targetPath", "cannot be derived from \(source.debugDescription)") }
            try Validation.rejectDangerous(cleaned, field: "fileInputs.targetPath")
            targetPath = TapisPath.join(inputDir, cleaned)
        }
        var resolved = ResolvedFileInput(name: name, description: description, sourceUrl: source, targetPath: targetPath, envKey: envKey, optional: optional)
        if case .inPlace = location, autoMount == false { resolved.autoMountLocal = false }
        return resolved
    }
}
