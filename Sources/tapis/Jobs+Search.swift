import ArgumentParser
import Foundation
import TapisClient
import TapisCore

extension Jobs {
    struct Search: APICommand {
        static let configuration = CommandConfiguration(
            abstract: "Search jobs by their fields.",
            discussion: """
                Conditions are Tapis's: --where status.eq=FINISHED --where created.between=2026-01-01,2026-02-01 (all must hold),
                or one SQL-like --sql "status = 'FAILED' AND (name LIKE 'run%' OR nodeCount > 1)".
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "A condition attr.op=value (eq neq gt gte lt lte in nin like nlike between nbetween); repeatable.")
        var `where`: [String] = []
        @Option(help: "SQL-like conditions (instead of --where).") var sql: String?
        @OptionGroup var listing: JobListOptions

        func run() async throws {
            try await call(
                [JobSummary].self, sql == nil ? .get : .post, "/v3/jobs/search", query: try searchQuery(),
                body: try sql.map { try JSONSerialization.data(withJSONObject: ["search": [$0]]) }, text: Console.printJobs)
        }

        /// The listing's query, with each --where condition as a parameter.
        private func searchQuery() throws -> [String: String] {
            if sql != nil, !self.where.isEmpty { throw TapisError.invalid("--sql", "give either --sql or --where, not both") }
            var query = listing.query
            for condition in self.where {
                guard let equals = condition.firstIndex(of: "=") else {
                    throw TapisError.invalid("--where", "\(condition.debugDescription) is not attr.op=value")
                }
                query[String(condition[..<equals])] = String(condition[condition.index(after: equals)...])
            }
            return query
        }
    }

    struct Hide: APICommand {
        static let configuration = CommandConfiguration(abstract: "Hide an ended job from listings (unhide brings it back).")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws { try await call(.post, "/v3/jobs/\(uuid)/hide", printing: "job \(uuid) is hidden") }
    }

    struct Unhide: APICommand {
        static let configuration = CommandConfiguration(abstract: "Show a hidden job in listings again.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws { try await call(.post, "/v3/jobs/\(uuid)/unhide", printing: "job \(uuid) is listed again") }
    }
}
