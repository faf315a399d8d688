import ArgumentParser
import Foundation
import TapisClient
import TapisCore

/// `tapis systems credential …`: the caller's own login for a system with `${apiUserId}` (or, for
/// its owner or an administrator, anyone's).
struct Credentials: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential", abstract: "Store, check and remove your credential for a system.", subcommands: [Add.self, Check.self, Remove.self])

    /// Whose credential: `--user`, else the account running the command.
    struct Target: ParsableArguments {
        @Argument(help: "The system.") var system: String
        @Option(help: "The user the credential is for (default: you).") var user: String?

        var path: String {
            let who = user ?? ProcessInfo.processInfo.userName
            return "/v3/systems/credential/\(system.percentEncoded())/user/\(who.percentEncoded())"
        }
    }

    struct Add: APICommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a credential: a private key (its public half beside it as FILE.pub, or --public-key) or a password read from a file.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target
        @Option(help: "The private key file (OpenSSH or PEM).") var key: String?
        @Option(help: "The public key file (default: the key file with .pub).") var publicKey: String?
        @Option(help: "A file holding the password (never given on the command line).") var passwordFile: String?
        @Option(help: "The login on the host, when it is not your user name.") var loginUser: String?
        @Flag(help: "Store it without trying it on the host first.") var skipCheck = false

        func run() async throws {
            try await call(.post, target.path, query: skipCheck ? ["skipCredentialCheck": "true"] : [:], body: try body(), printing: "credential stored")
        }

        func body() throws -> Data {
            var credential = UserCredential(loginUser: loginUser)
            if let key {
                credential.privateKey = String(decoding: try Console.readInput(key), as: UTF8.self)
                credential.publicKey = String(decoding: try Console.readInput(publicKey ?? key + ".pub"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if let passwordFile {
                credential.password = String(decoding: try Console.readInput(passwordFile), as: UTF8.self).trimmingCharacters(in: .newlines)
            }
            guard key != nil || passwordFile != nil else { throw TapisError(.badRequest, "give --key FILE or --password-file FILE") }
            return try TapisJSON.encoder().encode(credential)
        }
    }

    struct Keygen: APICommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key pair for the system and store it; prints the public key to add to ~/.ssh/authorized_keys there.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target

        struct Generated: Codable {
            var publicKey: String
            var loginUser: String
            var host: String
        }

        func run() async throws {
            try await call(Generated.self, .post, target.path + "/keygen") { key in
                print("A key pair for system \(target.system) is stored. On \(key.host), as \(key.loginUser), add this line to ~/.ssh/authorized_keys:\n")
                print(key.publicKey)
                print("\nfor example: echo '\(key.publicKey)' >> ~/.ssh/authorized_keys")
            }
        }
    }

    struct Check: APICommand {
        static let configuration = CommandConfiguration(abstract: "Log in with the stored credential and run a command.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target
        func run() async throws { try await call(.post, target.path + "/check", printing: "credential works") }
    }

    struct Remove: APICommand {
        static let configuration = CommandConfiguration(abstract: "Remove the stored credential.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target
        func run() async throws { try await call(.delete, target.path, printing: "credential removed") }
    }
}
