import ArgumentParser
import Foundation
import TapisCore

/// Waits until a job search counts a given number of jobs, printing how long that took: how long
/// the engine needs to carry a batch of jobs to an end, or a backlog out of PENDING. It counts the
/// caller's own jobs (the listing a user makes, served by the owner's indexes) five times a second,
/// so that the counting itself costs the daemon little next to what is measured.
struct WaitUntil: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Waits until a search counts N jobs.")

    @Option(help: "tapisd's Unix socket.") var socket: String
    @Option(help: "The search, as GET /v3/jobs/search query parameters (status.eq=FINISHED).") var search: String
    @Option(help: "The count to wait for.") var count: Int
    @Option(help: "Give up after this many seconds.") var timeout = 900.0

    func run() throws {
        let http = try UnixHTTPClient(path: socket)
        let started = ContinuousClock.now
        while true {
            let response = try http.send("GET", "/v3/jobs/search?\(search)&limit=1&computeTotal=true")
            let envelope = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let total = (envelope?["metadata"] as? [String: Any])?["totalCount"] as? Int ?? -1
            if total == count { break }
            if (ContinuousClock.now - started).seconds > timeout { throw LoadError("after \(timeout) s the search \(search) counts \(total), not \(count)") }
            Thread.sleep(forTimeInterval: 0.2)
        }
        print(String(format: "seconds: %.2f", (ContinuousClock.now - started).seconds))
    }
}
