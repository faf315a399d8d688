extension JobSearch {
    /// Query parameters Tapis reserves for listing; `fromQuery(_:)` never reads them as conditions.
    public static let reservedParameters: Set<String> = [
        "pretty", "select", "search", "orderBy", "limit", "skip", "startAfter", "computeTotal", "listType",
    ]

    /// The search a GET list request's query parameters express (`?status.eq=FINISHED&nodeCount.gt=1`),
    /// or nil when there is none. Every parameter not in `reservedParameters` is a condition
    /// `attr.op=value`, and all of them must hold. `in`, `nin`, `between` and `nbetween` take a comma
    /// list (`created.between=2021-07-01,2021-07-21`); `like` patterns use `*` for any run and `!` for
    /// any one character. A bare `attr=value` means `attr.eq=value`, as in Tapis.
    /// - Throws: `TapisError.badRequest` (field `search`) naming the parameter, attribute or value.
    public static func fromQuery(_ items: [(name: String, value: String)]) throws(TapisError) -> JobSearch? {
        var conditions: [JobSearch] = []
        for item in items where !reservedParameters.contains(item.name) {
            var attributeName = item.name[...]
            var op = SearchOperator.eq
            if let dot = item.name.lastIndex(of: ".") {
                let opName = String(item.name[item.name.index(after: dot)...])
                guard let named = SearchOperator(name: opName) else {
                    throw TapisError.invalid(
                        "search",
                        "\(JobSearchAttribute.quoted(item.name)) ends in \(JobSearchAttribute.quoted(opName)), which is no operator; "
                            + "use one of \(SearchOperator.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                attributeName = item.name[..<dot]
                op = named
            }
            let attribute = try JobSearchAttribute(named: String(attributeName))
            let values: [String]
            switch op {
            case .in, .nin, .between, .nbetween: values = item.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            case .like, .nlike: values = [LikePattern.fromTapis(item.value)]
            default: values = [item.value]
            }
            conditions.append(try checked(attribute, op, values))
        }
        switch conditions.count {
        case 0: return nil
        case 1: return conditions[0]
        default: return .and(conditions)
        }
    }
}
