/// A filter over jobs, as Tapis's list and search endpoints express it: conditions on job
/// attributes combined with AND, OR and NOT. Build one with `fromQuery(_:)` (GET parameters) or
/// `parse(_:)` (the POST body's `search` strings), which check every attribute, operator and value.
///
/// Conditions and their negations are exact complements: a job with no value for an attribute
/// (`remoteJobId` before submission, say) fails `eq`, `gt`, `like`, … and passes `neq`, `nin`,
/// `nlike`, `nbetween` and `NOT`. On `tags`, `eq`, `in` and `like` mean "some tag matches".
public indirect enum JobSearch: Sendable, Equatable {
    /// `attribute op values`. Values are text as the caller wrote them, except that `status` and
    /// `condition` names are canonical and `like`/`nlike` values are SQL LIKE patterns: `%` matches
    /// any run of characters, `_` any one, and `\` makes the next character literal.
    case condition(attribute: JobSearchAttribute, op: SearchOperator, values: [String])
    /// `attribute IS NULL`: the job has no value for the attribute.
    case isNull(JobSearchAttribute)
    case and([JobSearch])
    case or([JobSearch])
    case not(JobSearch)

    /// The most values an `in` or `nin` list may hold.
    public static let maximumListCount = 1000

    /// A condition whose operator applies to the attribute and whose values are of its kind and
    /// as many as the operator takes.
    /// - Parameters:
    ///   - attribute: What the condition tests.
    ///   - op: How it compares; `like` and `nlike` values must already be `JobSearch` LIKE patterns.
    ///   - values: The values as text, as many as `op.arity` allows.
    /// - Throws: `TapisError.badRequest` (field `search`) naming the attribute, operator or value.
    public static func checked(_ attribute: JobSearchAttribute, _ op: SearchOperator, _ values: [String]) throws(TapisError) -> JobSearch {
        try attribute.check(op, valueCount: values.count)
        if op == .like || op == .nlike { return .condition(attribute: attribute, op: op, values: values) }
        var canonical: [String] = []
        for text in values {
            switch try attribute.value(text) {
            case .text(let name): canonical.append(name)
            case .boolean(let truth): canonical.append(String(truth))
            case .integer, .date: canonical.append(text)
            }
        }
        return .condition(attribute: attribute, op: op, values: canonical)
    }

    /// `attribute IS NULL`, for an attribute that can be missing.
    /// - Throws: `TapisError.badRequest` for `tags`, which is a list.
    public static func checkedNull(_ attribute: JobSearchAttribute) throws(TapisError) -> JobSearch {
        try attribute.checkNullTest()
        return .isNull(attribute)
    }
}
