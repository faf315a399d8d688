/// Merges app and request file input arrays (spec §2.3): a request array named like an app array
/// replaces its `sourceUrls` (and `targetDir`, `envKey` when given); the app's `inputMode` decides
/// as for single inputs (REQUIRED, OPTIONAL, FIXED). Each array becomes single inputs, one per
/// source, named `<array>[<index>]`, in `targetDir` below the input dir (blank or `*`: the input
/// dir itself); its `envKey` names that directory.
public struct FileInputArrayMerge: Sendable {
    public var app: [AppFileInputArray]
    public var request: [JobFileInputArray]
    public var strict: Bool
    public var inputDir: String
    public var systems: [String: TapisSystem]

    public init(app: [AppFileInputArray], request: [JobFileInputArray], strict: Bool, inputDir: String, systems: [String: TapisSystem]) {
        self.app = app
        self.request = request
        self.strict = strict
        self.inputDir = inputDir
        self.systems = systems
    }

    /// The single inputs, and the environment variables naming the arrays' directories.
    /// - Throws: `TapisError.badRequest` naming the array and the rule.
    public func merged() throws(TapisError) -> (inputs: [ResolvedFileInput], variables: [KeyValuePair]) {
        let field = "fileInputArrays"
        var byName: [String: JobFileInputArray] = [:]
        for array in request {
            guard let name = array.name, !name.isEmpty else {
                if strict { throw .invalid(field, "the app has strictFileInputs: every array must name one of the app's arrays") }
                continue
            }
            if byName[name] != nil { throw .invalid(field, "array name \(name.debugDescription) appears twice") }
            if strict, !app.contains(where: { $0.name == name }) {
                throw .invalid(field, "the app has no input array named \(name.debugDescription) (strictFileInputs)")
            }
            byName[name] = array
        }
        var merged: [(name: String?, description: String?, sources: [String], targetDir: String?, envKey: String?)] = []
        var used: Set<String> = []
        for array in app {
            let name = array.name ?? ""
            let override = byName[name]
            if override != nil { used.insert(name) }
            let mode = (array.inputMode ?? "OPTIONAL").uppercased()
            guard ["REQUIRED", "OPTIONAL", "FIXED"].contains(mode) else {
                throw .invalid(field, "input mode \(mode) of array \(name.debugDescription) is not one of REQUIRED, OPTIONAL, FIXED")
            }
            if mode == "FIXED", let override,
                (override.sourceUrls != nil && override.sourceUrls != array.sourceUrls)
                    || (override.targetDir != nil && override.targetDir != array.targetDir)
            {
                throw .invalid(field, "array \(name.debugDescription) is FIXED by the app and cannot be changed")
            }
            let sources = override?.sourceUrls ?? array.sourceUrls ?? []
            if sources.isEmpty {
                if mode == "REQUIRED" { throw .invalid(field, "array \(name.debugDescription) is REQUIRED and has no sourceUrls") }
                continue
            }
            merged.append((array.name, array.description, sources, override?.targetDir ?? array.targetDir, override?.envKey ?? array.envKey))
        }
        for array in request where !(array.name.map(used.contains) ?? false) {
            guard let sources = array.sourceUrls, !sources.isEmpty else {
                throw .invalid(field, "array \((array.name ?? "unnamed").debugDescription) has no sourceUrls")
            }
            merged.append((array.name, array.description, sources, array.targetDir, array.envKey))
        }

        var inputs: [ResolvedFileInput] = []
        var variables: [KeyValuePair] = []
        for (index, array) in merged.enumerated() {
            let label = array.name ?? "array\(index)"
            let relative = (array.targetDir ?? "").isEmpty || array.targetDir == "*" ? "" : try TapisPath.relative(array.targetDir!, field: "\(field).targetDir")
            try Validation.rejectDangerous(relative, field: "\(field).targetDir")
            let directory = TapisPath.join(inputDir, relative)
            for (position, source) in array.sources.enumerated() {
                if case .inPlace = try InputSource(source, systems: systems) {
                    throw .invalid(field, "array \(label.debugDescription): tapislocal sources are not allowed in arrays")
                }
                let file = try TapisPath.relative(TapisPath.lastSegment(source), field: "\(field).sourceUrls")
                if file.isEmpty { throw .invalid("\(field).sourceUrls", "no file name in \(source.debugDescription)") }
                try Validation.rejectDangerous(file, field: "\(field).sourceUrls")
                inputs.append(ResolvedFileInput(
                    name: "\(label)[\(position)]", description: array.description, sourceUrl: source, targetPath: TapisPath.join(directory, file)))
            }
            if let key = array.envKey, !key.isEmpty { variables.append(KeyValuePair(key: key, value: directory)) }
        }
        return (inputs, variables)
    }
}
