import ArgumentParser
import Foundation
import TapisClient
import TapisCore

extension Jobs {
    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until a job ends, printing each status it reaches.",
            discussion: "Exits 0 only when the job FINISHED; 1 when it FAILED or was CANCELLED; 3 on --timeout.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String
        @Option(help: "Seconds between checks.") var interval: Double = 1
        @Option(help: "Give up after this many seconds (default: never).") var timeout: Double?

        func run() async throws {
            try await Console.run {
                let client = try await Console.client(global)
                let start = Date()
                var last: JobStatus?
                while true {
                    let status = try await client.result(JobStatusResult.self, .get, "/v3/jobs/\(uuid)/status")
                    if status.status != last, !global.json {
                        print(status.line)
                        last = status.status
                    }
                    if status.status.isTerminal {
                        if global.json { try Console.printJSON(status) }
                        if status.status != .finished {
                            let job = try await client.result(Job.self, .get, "/v3/jobs/\(uuid)")
                            Console.printError(job.lastMessage ?? status.status.rawValue)
                            throw ExitCode(1)
                        }
                        return
                    }
                    if let timeout, Date().timeIntervalSince(start) > timeout {
                        Console.printError("job \(uuid) is still \(status.status.rawValue) after \(Int(timeout)) s")
                        throw ExitCode(3)
                    }
                    try await Task.sleep(for: .seconds(interval))
                }
            }
        }
    }
}
