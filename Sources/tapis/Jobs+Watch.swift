import ArgumentParser
import Foundation
import TapisClient
import TapisCore

extension Jobs {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow a job live: each new history line as it happens, until the job ends.",
            discussion: "Exits 0 when the job FINISHED, 1 when it FAILED or was CANCELLED.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String
        @Option(help: "Seconds between checks.") var interval: Double = 1

        func run() async throws {
            try await Console.run {
                let client = try await Console.client(global)
                var seen = 0
                while true {
                    // Read the status first: every event up to it is then in the history read next.
                    let status = try await client.result(JobStatusResult.self, .get, "/v3/jobs/\(uuid)/status")
                    let events = try await client.result(
                        [JobEvent].self, .get, "/v3/jobs/\(uuid)/history", query: ["skip": String(seen), "limit": "1000"])
                    for event in events {
                        if global.json { try Console.printJSON(event) } else { print("\(Console.date(event.created))  \(event.eventDetail)  \(event.description)") }
                    }
                    seen += events.count
                    if status.status.isTerminal, events.count < 1000 {
                        if status.status != .finished { throw ExitCode(1) }
                        return
                    }
                    try await Task.sleep(for: .seconds(interval))
                }
            }
        }
    }
}
