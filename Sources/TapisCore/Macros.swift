import Foundation

/// Tapis `${Name}` macros (spec §2.5): values assigned in order, substituted in later fields, and
/// exported to the job as `_tapis<Name>` variables.
public struct Macros: Sendable {
    /// Macro values in the order they were assigned.
    public private(set) var values: [(name: String, value: String)] = []

    public init() {}

    /// The value of a macro, if assigned.
    public subscript(name: String) -> String? { values.first { $0.name == name }?.value }

    /// Assigns a macro (or replaces its value).
    public mutating func set(_ name: String, _ value: String) {
        if let index = values.firstIndex(where: { $0.name == name }) {
            values[index].value = value
        } else {
            values.append((name, value))
        }
    }

    /// `text` with every assigned `${Name}` replaced, repeated until nothing changes (at most 16
    /// passes). Unknown names stay as written: they may be meant for the job's own shell.
    /// - Throws: `TapisError.badRequest` naming `field` when macros keep expanding after 16 passes.
    public func substitute(_ text: String, field: String) throws(TapisError) -> String {
        var current = text
        for _ in 0..<16 {
            guard let next = expandedOnce(current), next != current else { return current }
            current = next
        }
        throw .invalid(field, "macros still expand after 16 passes (a macro refers to itself?)")
    }

    /// `text` with each `${Name}` of an assigned macro replaced by its value, in one left-to-right
    /// scan; nil when it names no assigned macro.
    private func expandedOnce(_ text: String) -> String? {
        let utf8 = text.utf8
        var result = ""
        var copied = utf8.startIndex
        var index = utf8.startIndex
        while let dollar = utf8[index...].firstIndex(of: UInt8(ascii: "$")) {
            let brace = utf8.index(after: dollar)
            guard brace < utf8.endIndex, utf8[brace] == UInt8(ascii: "{") else {
                index = brace
                continue
            }
            guard let close = utf8[brace...].firstIndex(of: UInt8(ascii: "}")) else { break }
            let name = text[utf8.index(after: brace)..<close]
            if let value = values.first(where: { $0.name == name })?.value {
                result += text[copied..<dollar]
                result += value
                copied = utf8.index(after: close)
                index = copied
            } else {
                index = brace
            }
        }
        guard copied > utf8.startIndex else { return nil }
        result += text[copied...]
        return result
    }

    /// Substitutes macros in a directory and normalizes it; a `${…}` left over is refused.
    /// - Throws: `TapisError.badRequest` naming `field`.
    public func directory(_ text: String, field: String) throws(TapisError) -> String {
        let value = try substitute(text, field: field)
        if let range = value.range(of: "${") {
            let name = value[range.upperBound...].prefix { $0 != "}" }
            throw .invalid(field, "macro ${\(name)} is unknown or not yet defined at this point")
        }
        return try TapisPath.normalize(value, field: field)
    }

    /// The `_tapis<Name>` environment variables, in assignment order.
    public var environment: [KeyValuePair] {
        values.map { KeyValuePair(key: "_tapis" + $0.name, value: $0.value) }
    }
}
