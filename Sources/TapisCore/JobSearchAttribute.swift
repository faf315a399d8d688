public import Foundation

/// The job attributes a search or an `orderBy` may name: the scalar fields of `Job` under their Tapis
/// names, plus `tags`. Structured fields (`fileInputs`, `parameterSet`, `notes`) are not searchable.
public enum JobSearchAttribute: String, CaseIterable, Sendable {
    case uuid, name, owner, tenant, description, status, condition, lastMessage
    case created, lastUpdated, ended
    case appId, appVersion, jobType, runtime, containerImage
    case execSystemId, execSystemExecDir, execSystemInputDir, execSystemOutputDir, execSystemLogicalQueue
    case archiveSystemId, archiveSystemDir, archiveOnAppError, archiveMode
    case nodeCount, coresPerNode, memoryMB, maxMinutes, mpi, mpiCmd, cmdPrefix
    case remoteJobId, remoteOutcome, remoteResultInfo, remoteQueue
    case remoteSubmitted, remoteStarted, remoteEnded, remoteLastStatusCheck
    case remoteChecksSuccess, remoteChecksFailed, blockedCount, visible, tags

    /// What values of an attribute are, which decides the values and operators a search may use.
    public enum Kind: Sendable, Equatable {
        /// Free text: every operator, ordering by code point.
        case text
        /// One of a fixed set of names (`status`, `condition`): equality, lists and patterns.
        case name([String])
        /// A whole number.
        case integer
        /// `true` or `false`: equality and lists.
        case boolean
        /// An ISO 8601 instant, `2021-07-01` (midnight UTC) or `2021-07-01T10:00:00[.123]Z`.
        case date
        /// A list of text (`tags`): `eq`, `in`, `like` mean "some tag matches", `neq`, `nin`, `nlike`
        /// "no tag matches". It cannot be ordered or tested for null.
        case textList
    }

    /// What values of this attribute are.
    public var kind: Kind {
        switch self {
        case .status: return .name(JobStatus.allCases.map(\.rawValue))
        case .condition: return .name(JobCondition.allCases.map(\.rawValue))
        case .created, .lastUpdated, .ended, .remoteSubmitted, .remoteStarted, .remoteEnded, .remoteLastStatusCheck: return .date
        case .nodeCount, .coresPerNode, .memoryMB, .maxMinutes, .remoteChecksSuccess, .remoteChecksFailed, .blockedCount: return .integer
        case .archiveOnAppError, .mpi, .visible: return .boolean
        case .tags: return .textList
        default: return .text
        }
    }

    /// The attribute called `name`, in any case (`appId`, `APPID`).
    /// - Throws: `TapisError.badRequest` (field `search`) listing the searchable attributes.
    public init(named name: String) throws(TapisError) {
        guard let attribute = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(name) == .orderedSame }) else {
            throw TapisError.invalid(
                "search", "\(Self.quoted(name)) names no job attribute; searchable: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = attribute
    }

    /// One search value read as this attribute's kind; for `status` and `condition` the canonical name.
    /// - Throws: `TapisError.badRequest` naming the attribute and the value.
    public func value(_ text: String) throws(TapisError) -> JobSearchValue {
        switch kind {
        case .text, .textList: return .text(text)
        case .name(let names):
            guard let name = names.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) else {
                throw invalid(text, "is not a \(rawValue) name; use one of \(names.joined(separator: ", "))")
            }
            return .text(name)
        case .integer:
            guard let number = Int(text) else { throw invalid(text, "is not a whole number") }
            return .integer(number)
        case .boolean:
            switch text.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw invalid(text, "is not true or false")
            }
        case .date:
            guard let date = Self.date(text) else {
                throw invalid(text, "is not an ISO 8601 date such as 2021-07-01 or 2021-07-01T10:00:00Z")
            }
            return .date(date)
        }
    }

    /// Checks that `op` applies to this attribute and takes `valueCount` values.
    /// - Parameters:
    ///   - op: The operator of a condition on this attribute.
    ///   - valueCount: How many values the condition has.
    /// - Throws: `TapisError.badRequest` naming the attribute, its kind and the operator.
    public func check(_ op: SearchOperator, valueCount: Int) throws(TapisError) {
        let allowed: Bool
        switch kind {
        case .text: allowed = true
        case .name: allowed = !op.isOrdering
        case .integer, .date: allowed = op != .like && op != .nlike
        case .boolean: allowed = [.eq, .neq, .in, .nin].contains(op)
        case .textList: allowed = !op.isOrdering
        }
        guard allowed else {
            throw TapisError.invalid("search", "\(op.rawValue) does not apply to \(rawValue), which is \(kindDescription)")
        }
        guard op.arity.contains(valueCount) else {
            let expected = op.arity.count == 1 ? "exactly \(op.arity.lowerBound)" : "\(op.arity.lowerBound) to \(op.arity.upperBound)"
            throw TapisError.invalid("search", "\(rawValue).\(op.rawValue) takes \(expected) value(s), not \(valueCount)")
        }
    }

    /// Whether `orderBy` and null tests may name this attribute (every one but `tags`).
    public var isScalar: Bool { kind != .textList }

    /// Checks that a null test (`IS NULL`) applies to this attribute.
    /// - Throws: `TapisError.badRequest` for `tags`, which is a list.
    public func checkNullTest() throws(TapisError) {
        guard isScalar else { throw TapisError.invalid("search", "\(rawValue) is a list and cannot be tested for null") }
    }

    private var kindDescription: String {
        switch kind {
        case .text: return "text"
        case .name: return "a name"
        case .integer: return "a whole number"
        case .boolean: return "true or false"
        case .date: return "a date"
        case .textList: return "a list of text"
        }
    }

    private func invalid(_ text: String, _ rule: String) -> TapisError {
        TapisError.invalid("search", "\(rawValue) value \(Self.quoted(text)) \(rule)")
    }

    static func quoted(_ text: String) -> String { "'" + text + "'" }

    private static let dateFormats: [Date.ISO8601FormatStyle] = [
        Date.ISO8601FormatStyle(includingFractionalSeconds: true),
        Date.ISO8601FormatStyle(),
        Date.ISO8601FormatStyle().year().month().day(),
    ]

    private static func date(_ text: String) -> Date? {
        for format in dateFormats {
            if let date = try? format.parse(text) { return date }
        }
        return nil
    }
}

/// A search value read as its attribute's kind.
public enum JobSearchValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case boolean(Bool)
    case date(Date)
}
