import ArgumentParser
import Foundation
import TapisCore

/// Times the listings a portal makes on every page view against a store of many jobs: the median
/// round trip of each over the Unix socket (the daemon's time plus a few microseconds of socket).
struct ListingProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listings", abstract: "Times job listings and searches.")

    @Option(help: "tapisd's Unix socket.") var socket: String
    @Option(help: "Runs of each request; the median is printed.") var repeats = 15
    @Option(help: "The app id the stored jobs share.") var app = "hello"
    @Option(help: "How deep the cursor page is.") var depth = 90_000

    func run() throws {
        let http = try UnixHTTPClient(path: socket)
        let first = try json(http.send("GET", "/v3/jobs/list?limit=1&orderBy=created(asc)&select=created,uuid"))
        let deep = try json(http.send("GET", "/v3/jobs/list?limit=1&orderBy=created(asc)&skip=\(depth - 1)&select=created,uuid"))
        guard let oldest = first.first?["created"] as? String, let cursor = deep.first?["created"] as? String, let uuid = first.first?["uuid"] as? String else {
            throw LoadError("the store holds fewer than \(depth) jobs")
        }
        let day = String(oldest.prefix(10))
        let probes: [(String, String)] = [
            ("list (default order)", "/v3/jobs/list?limit=100"),
            ("list computeTotal", "/v3/jobs/list?limit=100&computeTotal=true"),
            ("search status", "/v3/jobs/search?status.eq=FAILED&limit=100"),
            ("search status computeTotal", "/v3/jobs/search?status.eq=BLOCKED&limit=100&computeTotal=true"),
            ("search app", "/v3/jobs/search?appId.eq=\(app)&limit=100"),
            ("search system", "/v3/jobs/search?execSystemId.eq=local&limit=100"),
            ("search date range", "/v3/jobs/search?created.between=\(day)T00:00:00.000Z,\(day)T23:59:59.999Z&limit=100&orderBy=created(desc)"),
            ("search name like, created desc", "/v3/jobs/search?name.like=bench-9*&orderBy=created(desc)&limit=100"),
            ("orderBy created asc", "/v3/jobs/list?limit=100&orderBy=created(asc)"),
            ("orderBy name", "/v3/jobs/list?limit=100&orderBy=name(asc)"),
            ("orderBy status", "/v3/jobs/list?limit=100&orderBy=status(desc)"),
            ("orderBy ended", "/v3/jobs/list?limit=100&orderBy=ended(desc)"),
            ("orderBy appId", "/v3/jobs/list?limit=100&orderBy=appId(asc)"),
            ("page \(depth) deep, startAfter", "/v3/jobs/list?limit=100&orderBy=created(asc)&startAfter=\(cursor)"),
            ("page \(depth) deep, skip", "/v3/jobs/list?limit=100&orderBy=created(asc)&skip=\(depth)"),
            ("one job", "/v3/jobs/\(uuid)"),
        ]
        for (name, path) in probes {
            var times: [Double] = []
            for _ in 0..<repeats {
                let sent = ContinuousClock.now
                let response = try http.send("GET", path)
                guard response.status == 200 else { throw LoadError("\(path): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))") }
                times.append((ContinuousClock.now - sent).seconds)
            }
            print(String(format: "%@ ms: %.1f", name, times.sorted()[times.count / 2] * 1000))
        }
    }

    private func json(_ response: UnixHTTPClient.Response) throws -> [[String: Any]] {
        let envelope = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return envelope?["result"] as? [[String: Any]] ?? []
    }
}
