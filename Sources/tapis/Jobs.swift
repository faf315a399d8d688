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

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit a job request (Tapis JSON) from a file or - for stdin; prints the job's UUID.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request file, or - for standard input.") var file: String

        func run() async throws {
            try await Console.run {
                let job = try await Console.client(global).result(Job.self, .post, "/v3/jobs/submit", body: try Console.readInput(file))
                if global.json { try Console.printJSON(job) } else { print(job.uuid) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your jobs, most recently updated first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var listing: JobListOptions
        @Option(help: "Only jobs with this status.") var status: String?

        func run() async throws {
            try await Console.run {
                var query = listing.query
                query["status"] = status
                let jobs = try await Console.client(global).result([JobSummary].self, .get, "/v3/jobs/list", query: query)
                try Console.printJobs(jobs, json: global.json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a job.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await Console.run {
                let job = try await Console.client(global).result(Job.self, .get, "/v3/jobs/\(uuid)")
                if global.json { return try Console.printJSON(job) }
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

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a job's status (and condition, once it ended).")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await Console.run {
                let status = try await Console.client(global).result(JobStatusResult.self, .get, "/v3/jobs/\(uuid)/status")
                if global.json { return try Console.printJSON(status) }
                print([status.status.rawValue, status.condition?.rawValue].compactMap { $0 }.joined(separator: " "))
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a job's history, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await Console.run {
                let events = try await Console.client(global).result([JobEvent].self, .get, "/v3/jobs/\(uuid)/history", query: ["limit": "1000"])
                if global.json { return try Console.printJSON(events) }
                Console.printTable(["CREATED", "STATUS", "DESCRIPTION"], events.map { [Console.date($0.created), $0.eventDetail, $0.description] })
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job; it ends as CANCELLED shortly.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await Console.run {
                _ = try await Console.client(global).call(.post, "/v3/jobs/\(uuid)/cancel")
                print("cancel of \(uuid) accepted")
            }
        }
    }

    struct Resubmit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit a job's request again (today's app and system definitions apply); prints the new UUID.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        func run() async throws {
            try await Console.run {
                let job = try await Console.client(global).result(Job.self, .post, "/v3/jobs/\(uuid)/resubmit")
                if global.json { return try Console.printJSON(job) }
                print(job.uuid.rawValue)
            }
        }
    }
}

/// The result of `GET /v3/jobs/{uuid}/status`.
struct JobStatusResult: Codable, Sendable {
    var status: JobStatus
    var condition: JobCondition?
}
