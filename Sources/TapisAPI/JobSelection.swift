import Foundation
import TapisCore

/// Tapis's `select`: which fields of each listed job to return — `summaryAttributes` (the default,
/// Tapis `JobListDTO`), `allAttributes`, or a comma list of job field names.
struct JobSelection: Sendable {
    private enum Kind: Sendable {
        case summary, all
        case fields([String])
    }

    private let kind: Kind

    /// The fields a job has besides its searchable attributes.
    static let otherFields = ["fileInputs", "parameterSet", "notes", "dtnSystemId", "dtnSystemInputDir", "dtnSystemOutputDir"]

    /// - Throws: `TapisError.badRequest` naming an unknown field.
    init(_ text: String?) throws {
        switch text {
        case nil, "summaryAttributes": kind = .summary
        case "allAttributes": kind = .all
        case let list?:
            let known = Set(JobSearchAttribute.allCases.map(\.rawValue) + Self.otherFields)
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for name in names where !known.contains(name) {
                throw TapisError.invalid("select", "\(name.debugDescription) is not a job field; use summaryAttributes, allAttributes or field names")
            }
            kind = .fields(names)
        }
    }

    /// Whether the selection is Tapis's default summary, which the store reads without whole jobs.
    var isSummary: Bool {
        if case .summary = kind { return true }
        return false
    }

    /// The jobs as the selection shows them.
    func apply(to jobs: [Job]) throws -> [JSONValue] {
        try jobs.map { job in
            switch kind {
            case .summary: return try TapisJSON.tree(of: JobSummary(job))
            case .all: return try TapisJSON.tree(of: job)
            case .fields(let names):
                guard case .object(let all) = try TapisJSON.tree(of: job) else { return .object([:]) }
                return .object(all.filter { names.contains($0.key) })
            }
        }
    }
}
