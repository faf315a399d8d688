import Foundation
import GRDB
import TapisCore

extension JobSearch {
    /// The search as a condition on a row of table `job`, every value a bound argument. Each
    /// condition is true or false, never NULL, so `NOT` and the negated operators are exact complements.
    /// - Throws: `TapisError.badRequest` when a hand-built search has a wrong operator or value.
    func sql() throws(TapisError) -> SQL {
        switch self {
        case .condition(let attribute, let op, let values):
            try attribute.check(op, valueCount: values.count)
            if attribute == .tags { return try Self.tagCondition(op, values) }
            let test = Self.test(attribute.sql, op, try values.map { (text) throws(TapisError) in try attribute.argument(text, op) })
            return attribute.isNullable ? "COALESCE(\(test), \(op.isNegated))" : "(\(test))"
        case .isNull(let attribute):
            try attribute.checkNullTest()
            return "\(attribute.sql) IS NULL"
        case .and(let terms): return try Self.join(terms, "AND", empty: true)
        case .or(let terms): return try Self.join(terms, "OR", empty: false)
        case .not(let term): return "NOT (\(try term.sql()))"
        }
    }

    /// `expression op arguments`; SQLite's LIKE ignores case, so patterns are matched with GLOB.
    private static func test(_ expression: SQL, _ op: SearchOperator, _ arguments: [SQL]) -> SQL {
        switch op {
        case .eq: return "\(expression) = \(arguments[0])"
        case .neq: return "\(expression) <> \(arguments[0])"
        case .gt: return "\(expression) > \(arguments[0])"
        case .gte: return "\(expression) >= \(arguments[0])"
        case .lt: return "\(expression) < \(arguments[0])"
        case .lte: return "\(expression) <= \(arguments[0])"
        case .in: return "\(expression) IN (\(arguments.joined(separator: ", ")))"
        case .nin: return "\(expression) NOT IN (\(arguments.joined(separator: ", ")))"
        case .like: return "\(expression) GLOB \(arguments[0])"
        case .nlike: return "\(expression) NOT GLOB \(arguments[0])"
        case .between: return "\(expression) BETWEEN \(arguments[0]) AND \(arguments[1])"
        case .nbetween: return "\(expression) NOT BETWEEN \(arguments[0]) AND \(arguments[1])"
        }
    }

    /// Whether some tag matches (`eq`, `in`, `like`) or none does (`neq`, `nin`, `nlike`).
    private static func tagCondition(_ op: SearchOperator, _ values: [String]) throws(TapisError) -> SQL {
        let positive: SearchOperator
        switch op {
        case .eq, .neq: positive = .eq
        case .in, .nin: positive = .in
        default: positive = .like
        }
        let match = test("jobTag.tag", positive, try values.map { (text) throws(TapisError) in try JobSearchAttribute.tags.argument(text, op) })
        return "\(sql: op.isNegated ? "NOT EXISTS" : "EXISTS") (SELECT 1 FROM jobTag WHERE jobTag.uuid = job.uuid AND \(match))"
    }

    private static func join(_ terms: [JobSearch], _ connective: String, empty: Bool) throws(TapisError) -> SQL {
        if terms.isEmpty { return "\(empty)" }
        var parts: [SQL] = []
        for term in terms { parts.append(try term.sql()) }
        return "(\(parts.joined(separator: " \(connective) ")))"
    }
}

extension JobSearchAttribute {
    /// The attributes table `job` holds as columns; the others are read from the job's JSON body.
    private static let columns: Set<JobSearchAttribute> = [
        .uuid, .owner, .name, .status, .appId, .appVersion, .execSystemId, .created, .lastUpdated, .ended, .visible,
    ]

    private var isColumn: Bool { Self.columns.contains(self) }

    /// Whether a row may have no value: body fields absent from the JSON, and `ended`.
    var isNullable: Bool { !isColumn || self == .ended }

    /// The attribute's value in a row of `job`. Date columns hold whole milliseconds, the precision
    /// job timestamps have; body dates are ISO 8601 text with milliseconds, which sorts as time does.
    var sql: SQL {
        isColumn ? "job.\(Column(rawValue))" : "json_extract(job.body, \("$." + rawValue))"
    }

    /// `text`, a value of this attribute for `op`, as an argument comparable with `sql`.
    func argument(_ text: String, _ op: SearchOperator) throws(TapisError) -> SQL {
        if op == .like || op == .nlike { return "\(Self.glob(text))" }
        switch try value(text) {
        case .text(let string): return "\(string)"
        case .integer(let number): return "\(number)"
        case .boolean(let truth): return "\(truth)"
        case .date(let date):
            return isColumn ? "\(date.milliseconds)" : "\(Job.timestamp(date))"
        }
    }

    /// A `JobSearch` LIKE pattern (`%`, `_`, `\` escapes) as a case-sensitive GLOB pattern.
    private static func glob(_ like: String) -> String {
        var out = ""
        var characters = like[...]
        while let character = characters.popFirst() {
            switch character {
            case "%": out += "*"
            case "_": out += "?"
            case "\\": out += literal(characters.popFirst() ?? "\\")
            default: out += literal(character)
            }
        }
        return out
    }

    private static func literal(_ character: Character) -> String {
        switch character {
        case "*", "?", "[": return "[\(character)]"
        default: return String(character)
        }
    }
}
