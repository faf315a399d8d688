/// A comparison of Tapis's search language: the `op` of a GET `attr.op=value` parameter, or what a
/// POST search operator (`=`, `<>`, `IN`, `LIKE`, `BETWEEN`, …) means.
public enum SearchOperator: String, CaseIterable, Sendable {
    case eq, neq, gt, gte, lt, lte
    case `in`, nin
    case like, nlike
    case between, nbetween

    /// The operator with this name, in any case (`EQ`, `eq`, `Eq`).
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// How many values the operator takes: two for `between`, one or more for `in`, else one.
    public var arity: ClosedRange<Int> {
        switch self {
        case .between, .nbetween: return 2...2
        case .in, .nin: return 1...JobSearch.maximumListCount
        default: return 1...1
        }
    }

    /// Whether the operator matches exactly the jobs its positive twin does not (`neq`, `nin`, …).
    public var isNegated: Bool { self == .neq || self == .nin || self == .nlike || self == .nbetween }

    /// Whether the operator orders values (`gt`, `between`, …), which needs an ordered kind.
    public var isOrdering: Bool { [.gt, .gte, .lt, .lte, .between, .nbetween].contains(self) }
}
