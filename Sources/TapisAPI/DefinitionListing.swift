import Foundation
import TapisCore

/// Tapis's listing parameters for systems and apps: `search=(attr.op.value)~(…)` on top-level
/// fields, `select` (`allAttributes`, the default here, or a comma list of fields), `skip` and
/// `limit`.
struct DefinitionListing: Sendable {
    /// One `(attr.op.value)` condition.
    struct Condition: Sendable, Equatable {
        var attribute: String
        var op: String
        var value: String
    }

    static let operators: Set<String> = ["eq", "neq", "lt", "lte", "gt", "gte", "like", "nlike", "in", "nin"]

    var conditions: [Condition] = []
    var fields: [String]?
    var skip = 0
    var limit = 100

    /// Reads `search`, `select`, `skip` and `limit`.
    /// - Throws: `TapisError.badRequest` naming the parameter.
    init(search: String?, select: String?, skip: Int, limit: Int) throws {
        self.skip = skip
        self.limit = limit
        if let select, select != "allAttributes" {
            fields = select.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let search, !search.isEmpty else { return }
        for term in search.split(separator: "~") {
            guard term.hasPrefix("("), term.hasSuffix(")") else {
                throw TapisError.invalid("search", "\(String(term).debugDescription) is not of the form (attribute.operator.value)")
            }
            let parts = term.dropFirst().dropLast().split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts[0].isEmpty, Self.operators.contains(parts[1].lowercased()) else {
                throw TapisError.invalid("search", "\(String(term).debugDescription): use (attribute.op.value) with op one of \(Self.operators.sorted().joined(separator: ", "))")
            }
            conditions.append(Condition(attribute: parts[0], op: parts[1].lowercased(), value: parts[2]))
        }
    }

    /// The page of `definitions` that match, each with the selected fields.
    func apply(to definitions: [some Encodable]) throws -> [JSONValue] {
        let objects = try definitions.map { definition -> [String: JSONValue] in
            guard case .object(let fields) = try TapisJSON.tree(of: definition) else { return [:] }
            return fields
        }
        return objects.filter { object in conditions.allSatisfy { Self.matches(object[$0.attribute], $0) } }
            .dropFirst(skip).prefix(limit)
            .map { object in .object(fields.map { names in object.filter { names.contains($0.key) } } ?? object) }
    }

    private static func matches(_ field: JSONValue?, _ condition: Condition) -> Bool {
        let text: String? = switch field {
        case .string(let value): value
        case .bool(let value): String(value)
        case .number(let value): value == value.rounded() ? String(Int(value)) : String(value)
        default: nil
        }
        let values = condition.value.split(separator: ",").map(String.init)
        switch condition.op {
        case "eq": return text == condition.value
        case "neq": return text != condition.value
        case "in": return text.map(values.contains) ?? false
        case "nin": return !(text.map(values.contains) ?? false)
        case "like": return text.map { like(condition.value, $0) } ?? false
        case "nlike": return !(text.map { like(condition.value, $0) } ?? false)
        default:
            guard let text, let left = Double(text), let right = Double(condition.value) else { return false }
            return condition.op == "lt" ? left < right : condition.op == "lte" ? left <= right : condition.op == "gt" ? left > right : left >= right
        }
    }

    /// Whether `text` matches the wildcard `pattern` (`*` any run, `?` one character).
    private static func like(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? Regex(Glob.regex(for: pattern)) else { return false }
        return text.wholeMatch(of: regex) != nil
    }
}
