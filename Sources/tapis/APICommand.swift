import ArgumentParser
import Foundation
import TapisClient

/// A command that makes one call to the tapisd API and prints what it answers.
protocol APICommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
}

extension APICommand {
    /// Calls the API and prints the decoded `result`: as JSON with `--json`, else by `text`.
    /// `query` and `body` are evaluated inside the error handling, so a bad option or an
    /// unreadable file ends the command like a failed call.
    func call<T: Codable>(
        _ type: T.Type, _ method: Method, _ path: String, query: @autoclosure () throws -> [String: String] = [:],
        body: @autoclosure () throws -> Data? = nil, text: (T) throws -> Void
    ) async throws {
        try await Console.run {
            let result = try await Console.client(global).result(type, method, path, query: try query(), body: try body())
            if global.json { try Console.printJSON(result) } else { try text(result) }
        }
    }

    /// Makes a call whose answer is not shown, then prints `line` (with `--json` too).
    func call(_ method: Method, _ path: String, query: [String: String] = [:], body: @autoclosure () throws -> Data? = nil, printing line: String) async throws {
        try await Console.run {
            _ = try await Console.client(global).call(method, path, query: query, body: try body())
            print(line)
        }
    }
}
