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
                let sink: FileHandle
                var temporary: String?
                if let output {
                    temporary = output + ".part"
                    guard FileManager.default.createFile(atPath: temporary!, contents: nil) else { throw TapisError(.badRequest, "cannot write \(output)") }
                    sink = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary!))
                } else {
                    sink = FileHandle.standardOutput
                }
                // A progress bar on the terminal, when the bytes go to a file.
                let progress = output != nil && isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
                do {
                    try await Console.client(global).download(
                        "/v3/jobs/\(uuid)/output/download/\(path)", query: ["allowIfRunning": String(allowIfRunning)],
                        onSize: { progress?.expect($0) }
                    ) { chunk in
                        try sink.write(contentsOf: chunk)
                        progress?.advance(by: chunk.count)
                    }
                    progress?.finish()
                } catch {
                    progress?.finish()
                    if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
                    throw error
                }
                if let output, let temporary {
                    try sink.close()
                    _ = try? FileManager.default.removeItem(atPath: output)
                    try FileManager.default.moveItem(atPath: temporary, toPath: output)
                }
            }
        }
    }
}
