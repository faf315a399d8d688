import ArgumentParser
import Foundation
import TapisCore

/// Submits jobs from many clients at once, each on its own keep-alive connection, and prints the
/// rate of durable submits and their latency percentiles. With `--path` and no body it sends GETs
/// instead: the same clients against the cheapest request, the ceiling of any request here.
struct SubmitLoad: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submits jobs from many clients at once.")

    @Option(help: "tapisd's Unix socket.") var socket: String
    @Option(help: "The submit request (Tapis JSON); without it, GET requests.") var body: String?
    @Option(help: "The request's path.") var path = "/v3/jobs/submit"
    @Option(help: "Clients submitting at once.") var clients = 64
    @Option(help: "Jobs in all.") var count = 10_000

    func run() throws {
        let request = try body.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
        let method = request == nil ? "GET" : "POST"
        let latencies = LatencyLog()
        let failures = LatencyLog()
        let group = DispatchGroup()
        let started = ContinuousClock.now
        for client in 0..<clients {
            let share = count / clients + (client < count % clients ? 1 : 0)
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let http = try UnixHTTPClient(path: socket)
                    for _ in 0..<share {
                        let sent = ContinuousClock.now
                        let response = try http.send(method, path, body: request ?? [])
                        if response.status == 200 {
                            latencies.add(ContinuousClock.now - sent)
                        } else {
                            failures.add(.zero)
                            if failures.count == 1 { FileHandle.standardError.write(Data(response.body)) }
                        }
                    }
                } catch {
                    FileHandle.standardError.write(Data("client \(client): \(error)\n".utf8))
                }
            }
            thread.start()
        }
        group.wait()
        let elapsed = (ContinuousClock.now - started).seconds
        print("requests: \(latencies.count)")
        print("failed: \(failures.count)")
        print(String(format: "seconds: %.2f", elapsed))
        print(String(format: "requests/s: %.0f", Double(latencies.count) / elapsed))
        print(String(format: "p50 ms: %.1f", latencies.percentile(0.5) * 1000))
        print(String(format: "p99 ms: %.1f", latencies.percentile(0.99) * 1000))
        if failures.count > 0 { throw ExitCode(1) }
    }
}
