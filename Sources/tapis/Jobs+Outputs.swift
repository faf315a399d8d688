import ArgumentParser
import Foundation
import TapisClient
import TapisCore

extension Jobs {
    struct Outputs: APICommand {
        static let configuration = CommandConfiguration(abstract: "List a job's outputs (the archive once it ended, the output dir before).")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String
        @Argument(help: "A directory below the output root.") var path: String = ""
        @Flag(help: "List the output dir of a job that has not ended yet.") var allowIfRunning = false

        func run() async throws {
            try await call(
                [RemoteFile].self, .get, "/v3/jobs/\(uuid)/output/list/\(path)", query: ["allowIfRunning": String(allowIfRunning)]
            ) { files in
                Console.printTable(["TYPE", "SIZE", "MODIFIED", "PATH"], files.map { [$0.type, String($0.size), Console.date($0.lastModified), $0.path] })
            }
        }
    }

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download an output file (a directory comes as a zip), with a progress bar when -o writes to a file.")
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String
        @Argument(help: "The file or directory, relative to the output root.") var path: String
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
        @Flag(help: "Read from the output dir of a job that has not ended yet.") var allowIfRunning = false

        func run() async throws {
            try await Console.run {
                let file = try output.map { try PartialFile($0) }
                // A progress bar on the terminal, when the bytes go to a file.
                let progress = file != nil && isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
                do {
                    try await Console.client(global).download(
                        "/v3/jobs/\(uuid)/output/download/\(path)", query: ["allowIfRunning": String(allowIfRunning)],
                        onSize: { progress?.expect($0) }
                    ) { chunk in
                        if let file { try file.write(chunk) } else { try FileHandle.standardOutput.write(contentsOf: chunk) }
                        progress?.advance(by: chunk.count)
                    }
                    progress?.finish()
                } catch {
                    progress?.finish()
                    file?.discard()
                    throw error
                }
                try file?.commit()
            }
        }
    }
}
