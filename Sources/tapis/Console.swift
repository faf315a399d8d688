import ArgumentParser
import Foundation
import TapisClient
import TapisCore

/// Output and error handling shared by the commands.
enum Console {
    /// The client for the socket the options or the environment name; else for the tapisd of
    /// `tapis login` (its tokens refreshed first if they are about to end); else the local socket.
    static func client(_ options: GlobalOptions) async throws -> TapisClient {
        if let socket = options.socket ?? ProcessInfo.processInfo.environment["TAPIS_SOCKET"] { return TapisClient(socketPath: socket) }
        if let login = try await SavedLogin.load()?.refreshedIfNeeded() { return login.client }
        return TapisClient(socketPath: "/run/tapisd/tapisd.sock")
    }

    /// Runs `body`, turning a client error into its message on stderr and exit status 1.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as TapisClientError {
            printError(error.message)
            throw ExitCode(1)
        } catch let error as TapisError {
            printError(error.message)
            throw ExitCode(1)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("tapis: \(message)\n".utf8))
    }

    /// Prints `value` as pretty JSON.
    static func printJSON(_ value: some Encodable) throws {
        print(String(decoding: try TapisJSON.encoder(pretty: true).encode(value), as: UTF8.self))
    }

    /// Prints rows as a table with a header, columns padded to their widest cell.
    static func printTable(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
    }

    /// Prints job summaries as a table.
    static func printJobs(_ jobs: [JobSummary]) {
        printTable(
            ["UUID", "NAME", "OWNER", "STATUS", "APP", "CREATED"],
            jobs.map { [$0.uuid.rawValue, $0.name, $0.owner, $0.status.rawValue, "\($0.appId)-\($0.appVersion)", date($0.created)] })
    }

    /// A date as `2026-11-25 11:18:31`, or `-`.
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return String(Job.timestamp(date).prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// The bytes of a definition or request file, or of standard input for `-`.
    static func readInput(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else { throw TapisError(.badRequest, "cannot read \(path)") }
        return data
    }
}
