import ArgumentParser

/// `tapisd-load`: the gateway-scale benchmark's load generator and probes, run by scripts/bench.sh.
/// Each subcommand prints `figure: value` lines that the script collects into its table.
@main
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapisd-load", abstract: "Drives tapisd as a busy gateway does and measures it.",
        subcommands: [SubmitLoad.self, WaitUntil.self, ListingProbe.self, SeedStore.self])
}
