import ArgumentParser
import Foundation
import TapisClient
import TapisCore

/// `tapis jobs …`
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit, list, watch, cancel jobs and fetch their outputs.",
        subcommands: [
            Submit.self, List.self, Search.self, Show.self, Status.self, History.self, Watch.self, Wait.self, Cancel.self, Resubmit.self,
            Hide.self, Unhide.self, Outputs.self, Download.self,
        ])

    struct Submit: APICommand {
        static let configuration = CommandConfiguration(abstract: "Submit a job request (Tapis JSON) from a file or - for stdin; prints the job's UUID.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request file, or - for standard input.") var file: String

        func run() async throws {
            try await call(Job.self, .post, "/v3/jobs/submit", body: try Console.readInput(file)) { print($0.uuid) }
        }
    }

    struct List: APICommand {
        static let configuration = CommandConfiguration(abstract: "List your jobs, most recently updated first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var listing: JobListOptions
        @Option(help: "Only jobs with this status.") var status: String?

        func run() async throws {
            var query = listing.query
            query["status"] = status
            try await call([JobSummary].self, .get, "/v3/jobs/list", query: query, text: Console.printJobs)
        }
    }

    struct Show: APICommand {
        static let configuration = CommandConfiguration(abstract: "Show a job.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await call(Job.self, .get, "/v3/jobs/\(uuid)") { job in
                let rows: [(String, String)] = [
                    ("uuid", job.uuid.rawValue), ("name", job.name), ("owner", job.owner), ("status", job.status.rawValue),
                    ("condition", job.condition?.rawValue ?? "-"), ("lastMessage", job.lastMessage ?? "-"),
                    ("app", "\(job.appId) \(job.appVersion)"), ("execSystemId", job.execSystemId),
                    ("execSystemExecDir", job.execSystemExecDir), ("execSystemOutputDir", job.execSystemOutputDir),
                    ("archiveSystem", "\(job.archiveSystemId):\(job.archiveSystemDir)"), ("remoteJobId", job.remoteJobId ?? "-"),
                    ("remoteResultInfo", job.remoteResultInfo ?? "-"), ("created", Console.date(job.created)),
                    ("remoteStarted", Console.date(job.remoteStarted)), ("ended", Console.date(job.ended)),
                ]
                Console.printTable(["FIELD", "VALUE"], rows.map { [$0.0, $0.1] })
            }
        }
    }

    struct Status: APICommand {
        static let configuration = CommandConfiguration(abstract: "Print a job's status (and condition, once it ended).")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await call(JobStatusResult.self, .get, "/v3/jobs/\(uuid)/status") { print($0.line) }
        }
    }

    struct History: APICommand {
        static let configuration = CommandConfiguration(abstract: "Print a job's history, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await call([JobEvent].self, .get, "/v3/jobs/\(uuid)/history", query: ["limit": "1000"]) { events in
                Console.printTable(["CREATED", "STATUS", "DESCRIPTION"], events.map { [Console.date($0.created), $0.eventDetail, $0.description] })
            }
        }
    }

    struct Cancel: APICommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job; it ends as CANCELLED shortly.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws { try await call(.post, "/v3/jobs/\(uuid)/cancel", printing: "cancel of \(uuid) accepted") }
    }

    struct Resubmit: APICommand {
        static let configuration = CommandConfiguration(abstract: "Submit a job's request again (today's app and system definitions apply); prints the new UUID.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await call(Job.self, .post, "/v3/jobs/\(uuid)/resubmit") { print($0.uuid.rawValue) }
        }
    }
}

/// The result of `GET /v3/jobs/{uuid}/status`.
struct JobStatusResult: Codable, Sendable {
    var status: JobStatus
    var condition: JobCondition?

    /// The status, and the condition when there is one.
    var line: String { [status.rawValue, condition?.rawValue].compactMap { $0 }.joined(separator: " ") }
}
