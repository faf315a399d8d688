import ArgumentParser
import Foundation
import TapisClient
import TapisCore

/// `tapis clients …`: the OAuth clients whose logins get refresh tokens (administrators).
struct Clients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register, list and remove OAuth clients (administrators).", subcommands: [Create.self, List.self, Delete.self])

    /// A registration's answer: the key appears here only.
    struct Registered: Codable {
        var client_id: String
        var client_key: String
        var description: String
    }

    struct Create: APICommand {
        static let configuration = CommandConfiguration(abstract: "Register a client; prints its key once (keep it secret).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The client's id.") var id: String
        @Option(help: "What the client is.") var description = ""

        func run() async throws {
            let body = try JSONEncoder().encode(["client_id": id, "description": description])
            try await call(Registered.self, .post, "/v3/oauth2/clients", body: body) { print("client \($0.client_id) key: \($0.client_key)") }
        }
    }

    struct List: APICommand {
        static let configuration = CommandConfiguration(abstract: "List the registered clients.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await call([OAuthClient].self, .get, "/v3/oauth2/clients") { clients in
                Console.printTable(["CLIENT", "CREATED BY", "CREATED", "DESCRIPTION"], clients.map { [$0.clientId, $0.createdBy, Console.date($0.created), $0.description] })
            }
        }
    }

    struct Delete: APICommand {
        static let configuration = CommandConfiguration(abstract: "Remove a client; its refresh tokens stop working.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The client's id.") var id: String

        func run() async throws { try await call(.delete, "/v3/oauth2/clients/\(id)", printing: "client \(id) deleted") }
    }
}
