import ArgumentParser
import Foundation
import Synchronization
import TapisClient
import TapisCore

extension Jobs {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow a job live: each of its events as it happens, until the job ends.",
            discussion: """
                Reads the job's event stream (server-sent events); a dropped connection is resumed \
                after the last event seen, so no event is missed or shown twice. \
                With --json, each event is one line of Tapis event JSON. \
                Exits 0 when the job FINISHED, 1 when it FAILED or was CANCELLED.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument var uuid: String

        /// How often in a row a broken stream is resumed before giving up.
        static let reconnects = 30

        func run() async throws {
            try await Console.run {
                let client = try await Console.client(global)
                let last = Mutex<String?>(nil)
                var broken = 0
                while true {
                    let since = last.withLock { $0 }
                    do {
                        try await client.events("/v3/jobs/\(uuid)/events", query: since.map { ["since": $0] } ?? [:]) { event in
                            try show(event)
                            last.withLock { $0 = event.id ?? $0 }
                        }
                        broken = 0
                    } catch let error as TapisClientError where error.status != 0 {
                        throw error
                    } catch {
                        // Drops in a row: one after new events starts the count again.
                        broken = last.withLock { $0 } != since ? 1 : broken + 1
                        guard broken <= Self.reconnects else { throw error }
                        try await Task.sleep(for: .seconds(1))
                        continue
                    }
                    // The daemon ends a job's stream after the job's last event.
                    let status = try await client.result(JobStatusResult.self, .get, "/v3/jobs/\(uuid)/status")
                    if status.status.isTerminal {
                        if status.status != .finished { throw ExitCode(1) }
                        return
                    }
                }
            }
        }

        private func show(_ sent: ServerSentEvent) throws {
            guard let event = try? TapisJSON.decoder().decode(TapisEvent.self, from: Data(sent.data.utf8)) else { return }
            // One event per line: a stream of JSON a script reads line by line.
            if global.json { return print(String(decoding: try TapisJSON.encoder().encode(event), as: UTF8.self)) }
            let detail = event.type.split(separator: ".", maxSplits: 2).last.map(String.init) ?? event.type
            var message = event.data
            if case .object(let fields)? = try? TapisJSON.decoder().decode(JSONValue.self, from: Data(event.data.utf8)), case .string(let text)? = fields["message"] {
                message = text
            }
            let when = Job.date(fromTimestamp: event.timestamp).map(Console.date) ?? event.timestamp
            print("\(when)  \(detail)  \(message)")
        }
    }
}
