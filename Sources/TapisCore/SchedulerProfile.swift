import Foundation

/// A Tapis scheduler profile: the modules a batch job loads before it runs and the directives
/// tapisd leaves out for a site that sets them itself. A job picks one with the scheduler option
/// `--tapis-profile <name>`, or gets its exec system's `batchSchedulerProfile`.
public struct SchedulerProfile: Codable, Sendable, Hashable {
    public var name: String
    public var description: String?
    public var owner: String?
    public var moduleLoads: [ModuleLoad]?
    /// Directives tapisd does not write: `MEM` (`--mem`) and `PARTITION` (`--partition`).
    public var hiddenOptions: [String]?

    /// One module command and the modules it loads (`module load` and `gcc/12`, `python3`).
    public struct ModuleLoad: Codable, Sendable, Hashable {
        public var moduleLoadCommand: String
        public var modulesToLoad: [String]?

        public init(moduleLoadCommand: String, modulesToLoad: [String]?) {
            self.moduleLoadCommand = moduleLoadCommand
            self.modulesToLoad = modulesToLoad
        }
    }

    /// The directives a profile may hide.
    public static let hideable: Set<String> = ["MEM", "PARTITION"]

    public init(name: String, moduleLoads: [ModuleLoad]? = nil, hiddenOptions: [String]? = nil) {
        self.name = name
        self.moduleLoads = moduleLoads
        self.hiddenOptions = hiddenOptions
    }

    /// Whether the directive for `option` (`MEM`, `PARTITION`) is hidden.
    public func hides(_ option: String) -> Bool { hiddenOptions?.contains(option) ?? false }

    /// The shell lines that load the modules: the command's words as given (checked to be plain
    /// words), each module quoted.
    public var moduleLines: [String] {
        (moduleLoads ?? []).map { load in
            ([load.moduleLoadCommand] + (load.modulesToLoad ?? []).map(Shell.quote)).joined(separator: " ")
        }
    }

    /// Checks the profile: an identifier for a name, module commands of plain words (they run in
    /// every job that uses the profile), modules without control characters, known hidden options.
    /// - Throws: `TapisError.badRequest` naming the field.
    public func validate() throws(TapisError) {
        try Validation.identifier(name, field: "name")
        for load in moduleLoads ?? [] {
            let words = load.moduleLoadCommand.split(separator: " ")
            let plain = !words.isEmpty && words.allSatisfy { word in
                word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./-".contains($0)) }
            }
            guard plain else {
                throw .invalid("moduleLoads.moduleLoadCommand", "\(load.moduleLoadCommand.debugDescription) must be plain words (letters, digits, _ . / -), such as \"module load\"")
            }
            for module in load.modulesToLoad ?? [] {
                try Validation.rejectControlCharacters(module, field: "moduleLoads.modulesToLoad")
            }
        }
        for option in hiddenOptions ?? [] where !Self.hideable.contains(option) {
            throw .invalid("hiddenOptions", "\(option.debugDescription) is not one of \(Self.hideable.sorted().joined(separator: ", "))")
        }
    }

    /// The profile named by a `--tapis-profile` scheduler option among `options`, if any.
    public static func requested(in options: [String]) -> String? {
        for option in options {
            let text = option.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("--tapis-profile") else { continue }
            let value = text.dropFirst("--tapis-profile".count).drop { $0 == "=" || $0 == " " }
            return String(value)
        }
        return nil
    }
}
