import ArgumentParser

/// `tapis`: the command-line client of tapisd.
@main
struct TapisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapis",
        abstract: "Submit and watch Tapis jobs through the local tapisd (or, after tapis login, a remote one).",
        subcommands: [Jobs.self, Systems.self, Apps.self, Profiles.self, Tokens.self, Clients.self, Login.self, Logout.self, Metrics.self, Admin.self])
}

/// The paging options of the job listings.
struct JobListOptions: ParsableArguments {
    @Flag(help: "Everyone's jobs (administrators).") var all = false
    @Option(help: "At most this many jobs.") var limit = 100
    @Option(help: "Skip this many jobs first.") var skip = 0
    @Option(help: "Order, as attr(asc|desc),… (default lastUpdated(desc)).") var orderBy: String?

    /// The query parameters they stand for.
    var query: [String: String] {
        var query = ["limit": String(limit), "skip": String(skip), "listType": all ? "ALL_JOBS" : "MY_JOBS"]
        query["orderBy"] = orderBy
        return query
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "tapisd's socket (default: $TAPIS_SOCKET, else the tapisd of tapis login, else /run/tapisd/tapisd.sock).")
    var socket: String?

    @Flag(help: "Print the API's JSON result instead of a table.")
    var json = false
}
