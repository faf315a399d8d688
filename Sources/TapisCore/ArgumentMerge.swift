/// Merges app and request arguments (spec §2.4): app arguments first in app order, named request
/// arguments override same-named app ones in place (a blank `arg` keeps the app's, so a request can
/// name an argument only to set `include`), unnamed request arguments are appended, and the app's
/// `inputMode` decides inclusion.
public struct ArgumentMerge: Sendable {
    public var app: [AppArgSpec]
    public var request: [JobArgSpec]
    /// The field errors name (`parameterSet.appArgs`, `parameterSet.schedulerOptions`).
    public var field: String
    /// The mode of an app argument that names none.
    public static let defaultInputMode = "INCLUDE_ON_DEMAND"

    public init(app: [AppArgSpec], request: [JobArgSpec], field: String = "parameterSet.appArgs") {
        self.app = app
        self.request = request
        self.field = field
    }

    /// The included arguments, in order.
    /// - Throws: `TapisError.badRequest` for an overridden FIXED argument, a REQUIRED one without a
    ///   value, an unknown input mode, or duplicate names.
    public func merged() throws(TapisError) -> [JobArgSpec] {
        var byName: [String: JobArgSpec] = [:]
        for spec in request {
            guard let name = spec.name, !name.isEmpty else { continue }
            if byName[name] != nil { throw .invalid(field, "argument name \(name.debugDescription) appears twice") }
            byName[name] = spec
        }
        var result: [JobArgSpec] = []
        var used: Set<String> = []
        for spec in app {
            let name = spec.name ?? ""
            let override = byName[name]
            if override != nil { used.insert(name) }
            let mode = (spec.inputMode ?? Self.defaultInputMode).uppercased()
            var merged = JobArgSpec(name: spec.name, arg: spec.arg ?? "")
            merged.description = spec.description
            merged.notes = spec.notes
            if let override, !override.arg.allSatisfy(\.isWhitespace) {
                if mode == "FIXED", override.arg != merged.arg {
                    throw .invalid(field, "argument \(name.debugDescription) is FIXED by the app and cannot be changed")
                }
                merged.arg = override.arg
            }
            let include: Bool
            switch mode {
            case "REQUIRED", "FIXED": include = true
            case "INCLUDE_ON_DEMAND": include = override != nil && override?.include != false
            case "INCLUDE_BY_DEFAULT": include = override?.include != false
            default: throw .invalid(field, "input mode \(mode) of argument \(name.debugDescription) is not one of REQUIRED, FIXED, INCLUDE_ON_DEMAND, INCLUDE_BY_DEFAULT")
            }
            if mode == "REQUIRED", merged.arg.isEmpty {
                throw .invalid(field, "argument \(name.debugDescription) is REQUIRED and has no value")
            }
            if include { result.append(merged) }
        }
        for spec in request where !(spec.name.map(used.contains) ?? false) && spec.include != false {
            result.append(spec)
        }
        return result
    }
}
