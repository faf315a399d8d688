import ArgumentParser
import Foundation
import TapisClient
import TapisCore

/// `tapis tokens …`: tokens for tapisd's TCP listener (portals, tapipy).
struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mint, list and revoke your tokens for tapisd's TCP listener (X-Tapis-Token).",
        subcommands: [Create.self, List.self, Revoke.self, RotateKey.self])

    struct Create: APICommand {
        static let configuration = CommandConfiguration(abstract: "Mint a token for yourself; prints it (keep it secret).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Seconds the token lives (60 to 2592000).") var ttl = 14_400

        func run() async throws {
            try await call(IssuedToken.self, .post, "/v3/tokens", query: ["ttl": String(ttl)]) { print($0.access_token) }
        }
    }

    struct List: APICommand {
        static let configuration = CommandConfiguration(abstract: "List your tokens (everyone's, for an administrator).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await call([TokenRecord].self, .get, "/v3/tokens") { tokens in
                Console.printTable(
                    ["JTI", "TYPE", "USER", "CLIENT", "CREATED", "EXPIRES", "REVOKED"],
                    tokens.map {
                        [$0.jti, $0.type, $0.username, $0.clientId ?? "-", Console.date($0.created), Console.date($0.expires), Console.date($0.revoked)]
                    })
            }
        }
    }

    struct Revoke: APICommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's jti (tapis tokens list).") var jti: String

        func run() async throws { try await call(.delete, "/v3/tokens/\(jti)", printing: "token \(jti) revoked") }
    }

    struct RotateKey: APICommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key", abstract: "Replace the signing key: every token stops working (administrators).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await call(.post, "/v3/tokens/rotate-key", printing: "the token signing key was replaced; every earlier token no longer works")
        }
    }
}
