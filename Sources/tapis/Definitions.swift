import ArgumentParser
import Foundation
import TapisClient
import TapisCore

/// `tapis systems …`
struct Systems: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and create systems; your credentials for them.", subcommands: [List.self, Show.self, Create.self, Credentials.self, Credentials.Keygen.self])

    struct List: APICommand {
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await call([TapisSystem].self, .get, "/v3/systems") { systems in
                Console.printTable(
                    ["ID", "HOST", "LOGIN", "ENABLED", "DESCRIPTION"],
                    systems.map { [$0.id, $0.host ?? "-", $0.effectiveUserId ?? "-", String($0.isEnabled), $0.description ?? ""] })
            }
        }
    }

    struct Show: APICommand {
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        func run() async throws {
            try await call(TapisSystem.self, .get, "/v3/systems/\(id)", text: Console.printJSON)
        }
    }

    struct Create: APICommand {
        static let configuration = CommandConfiguration(abstract: "Create a system from a Tapis JSON file (or - for stdin).")
        @OptionGroup var global: GlobalOptions
        @Argument var file: String
        func run() async throws { try await call(.post, "/v3/systems", body: try Console.readInput(file), printing: "system created") }
    }
}

/// `tapis apps …`
struct Apps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List, show and create apps.", subcommands: [List.self, Show.self, Create.self])

    struct List: APICommand {
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await call([TapisApp].self, .get, "/v3/apps") { apps in
                Console.printTable(
                    ["ID", "VERSION", "RUNTIME", "OWNER", "DESCRIPTION"],
                    apps.map { [$0.id, $0.version, $0.runtime ?? "ZIP", $0.owner ?? "-", $0.description ?? ""] })
            }
        }
    }

    struct Show: APICommand {
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Argument var version: String
        func run() async throws {
            try await call(TapisApp.self, .get, "/v3/apps/\(id)/\(version)", text: Console.printJSON)
        }
    }

    struct Create: APICommand {
        static let configuration = CommandConfiguration(abstract: "Create an app version from a Tapis JSON file (or - for stdin).")
        @OptionGroup var global: GlobalOptions
        @Argument var file: String
        func run() async throws { try await call(.post, "/v3/apps", body: try Console.readInput(file), printing: "app created") }
    }
}

/// `tapis profiles …`: scheduler profiles (module loads and hidden directives of BATCH jobs).
struct Profiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and create scheduler profiles (creating is for administrators).", subcommands: [List.self, Show.self, Create.self])

    struct List: APICommand {
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await call([SchedulerProfile].self, .get, "/v3/systems/schedulerProfile") { profiles in
                Console.printTable(
                    ["NAME", "MODULES", "HIDDEN", "DESCRIPTION"],
                    profiles.map { [$0.name, $0.moduleLines.joined(separator: "; "), ($0.hiddenOptions ?? []).joined(separator: ","), $0.description ?? ""] })
            }
        }
    }

    struct Show: APICommand {
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        func run() async throws {
            try await call(SchedulerProfile.self, .get, "/v3/systems/schedulerProfile/\(name)", text: Console.printJSON)
        }
    }

    struct Create: APICommand {
        static let configuration = CommandConfiguration(abstract: "Create a scheduler profile from a Tapis JSON file (or - for stdin).")
        @OptionGroup var global: GlobalOptions
        @Argument var file: String
        func run() async throws {
            try await call(.post, "/v3/systems/schedulerProfile", body: try Console.readInput(file), printing: "scheduler profile created")
        }
    }
}
