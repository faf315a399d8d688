import ArgumentParser
import Foundation
import TapisClient
import TapisCore

extension Jobs {
    struct Search: AsyncParsableCommand {
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
            try await Console.run {
                var query = listing.query
                let client = Console.client(global)
                let jobs: [JobSummary]
                if let sql {
                    guard self.where.isEmpty else { throw TapisError.invalid("--sql", "give either --sql or --where, not both") }
                    let body = try JSONSerialization.data(withJSONObject: ["search": [sql]])
                    jobs = try await client.result([JobSummary].self, .post, "/v3/jobs/search", query: query, body: body)
                } else {
                    for condition in self.where {
                        guard let equals = condition.firstIndex(of: "=") else {
                            throw TapisError.invalid("--where", "\(condition.debugDescription) is not attr.op=value")
                        }
                        query[String(condition[..<equals])] = String(condition[condition.index(after: equals)...])
                    }
                    jobs = try await client.result([JobSummary].self, .get, "/v3/jobs/search", query: query)
                }
                try Console.printJobs(jobs, json: global.json)
            }
        }
    }

    struct Hide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hide an ended job from listings (unhide brings it back).")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws { try await Jobs.setVisibility(of: uuid, action: "hide", done: "is hidden", global) }
    }

    struct Unhide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a hidden job in listings again.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws { try await Jobs.setVisibility(of: uuid, action: "unhide", done: "is listed again", global) }
    }

    private static func setVisibility(of uuid: String, action: String, done: String, _ global: GlobalOptions) async throws {
        try await Console.run {
            _ = try await Console.client(global).call(.post, "/v3/jobs/\(uuid)/\(action)")
            print("job \(uuid) \(done)")
        }
    }
}
