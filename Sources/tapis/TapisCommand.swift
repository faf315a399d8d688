import ArgumentParser

/// `tapis`: the command-line client of tapisd.
@main
struct TapisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapis",
        abstract: "Submit and watch Tapis jobs through the local tapisd.",
        subcommands: [Jobs.self, Systems.self, Apps.self, Profiles.self, Tokens.self, Metrics.self])
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "tapisd's socket (default: $TAPIS_SOCKET or /run/tapisd/tapisd.sock).")
    var socket: String?

    @Flag(help: "Print the API's JSON result instead of a table.")
    var json = false
}
