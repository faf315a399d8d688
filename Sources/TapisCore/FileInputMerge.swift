/// Merges app and request file inputs (spec §2.3) and checks each source URL.
public struct FileInputMerge: Sendable {
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
            if mode == "FIXED", let override,
                (override.sourceUrl != nil && override.sourceUrl != input.sourceUrl)
                    || (override.targetPath != nil && override.targetPath != input.targetPath)
            {
                throw .invalid("fileInputs", "input \(name.debugDescription) is FIXED by the app and cannot be changed")
            }
            let source = override?.sourceUrl ?? input.sourceUrl
            let target = override?.targetPath ?? input.targetPath
            guard let source, !source.isEmpty else {
                if mode == "REQUIRED" { throw .invalid("fileInputs", "input \(name.debugDescription) is REQUIRED and has no sourceUrl") }
                continue
            }
            result.append(try resolve(name: input.name, description: input.description, source: source, target: target, envKey: override?.envKey ?? input.envKey))
        }
        for input in request where !(input.name.map(used.contains) ?? false) {
            guard let source = input.sourceUrl, !source.isEmpty else {
                throw .invalid("fileInputs", "input \((input.name ?? "unnamed").debugDescription) has no sourceUrl")
            }
            result.append(try resolve(name: input.name, description: input.description, source: source, target: input.targetPath, envKey: input.envKey))
        }
        return result
    }

    private func resolve(name: String?, description: String?, source: String, target: String?, envKey: String?) throws(TapisError) -> ResolvedFileInput {
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
        return ResolvedFileInput(name: name, description: description, sourceUrl: source, targetPath: targetPath, envKey: envKey)
    }
}
