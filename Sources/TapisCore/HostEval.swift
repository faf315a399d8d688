import Foundation

/// `HOST_EVAL($VAR[, default])` at the start of a directory value (spec §2.5): the value of an
/// environment variable on the target host, as the job's user, read once per submit.
public struct HostEval: Sendable, Equatable {
    /// The variable's name (letters, digits and `_`).
    public var variable: String
    /// What stands in when the variable is empty on the host.
    public var fallback: String?
    /// The rest of the directory value, after the closing parenthesis.
    public var rest: String

    public init(variable: String, fallback: String?, rest: String) {
        self.variable = variable
        self.fallback = fallback
        self.rest = rest
    }

    /// The HOST_EVAL at the start of `text`, if there is one.
    /// - Throws: `TapisError.badRequest` for a malformed one.
    public static func parse(_ text: String, field: String) throws(TapisError) -> HostEval? {
        let trimmed = text.drop { $0 == " " }
        guard trimmed.hasPrefix("HOST_EVAL(") else { return nil }
        let inside = trimmed.dropFirst("HOST_EVAL(".count)
        guard let close = inside.firstIndex(of: ")") else { throw .invalid(field, "HOST_EVAL( has no closing parenthesis") }
        let parts = inside[..<close].split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, first.hasPrefix("$") else {
            throw .invalid(field, "HOST_EVAL takes a variable such as $HOME or $SCRATCH, optionally followed by a default path")
        }
        let variable = String(first.dropFirst())
        guard let head = variable.first, head == "_" || head.isASCII && head.isLetter,
              variable.allSatisfy({ $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .invalid(field, "HOST_EVAL variable \(first.debugDescription) is not a plain variable name")
        }
        let fallback = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
        return HostEval(variable: variable, fallback: fallback, rest: String(inside[inside.index(after: close)...]))
    }

    /// The directory with the host's value (or the default) in place of the HOST_EVAL.
    /// - Throws: `TapisError.badRequest` when the value is empty and there is no default.
    public func expand(hostValue: String?, system: String, field: String) throws(TapisError) -> String {
        let value = (hostValue ?? "").isEmpty ? fallback : hostValue
        guard let value else {
            throw .invalid(field, "HOST_EVAL($\(variable)) is empty on system \(system) for the job's user, and no default is given")
        }
        return value + rest
    }

    /// The command that prints `variable`'s value on the host (the name was checked by `parse`),
    /// after a marker that sets it apart from anything a login script prints.
    public static func command(for variable: String) -> String { "printf '\(marker)%s\\n' \"$\(variable)\"" }

    /// The value in the output of `command(for:)`: the last marked line.
    public static func value(inOutput output: String) -> String? {
        output.split(separator: "\n").last { $0.hasPrefix(marker) }.map { String($0.dropFirst(marker.count)) }
    }

    private static let marker = "tapisd-host-eval:"
}
