import ArgumentParser
import Foundation
import TapisClient
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// `tapis login`: logs in to a tapisd's TCP listener with a password of that host, and keeps the
/// token for the commands that follow (they then go over TCP instead of the local socket).
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Log in to a tapisd over TCP; later commands use that login until tapis logout.",
        discussion: "The password is read from the terminal without echo (or from standard input when it is not a terminal).")

    @Option(help: "tapisd's URL, such as https://gateway.example.org:8443.") var url: String
    @Option(help: "Your user name there (default: yours here).") var user: String?
    @Option(help: "An OAuth client id: its logins can be refreshed.") var clientId: String?
    @Option(help: "The OAuth client's key (default: $TAPIS_CLIENT_KEY).") var clientKey: String?
    @Option(help: "A PEM file of the CAs to trust instead of the system's.") var caFile: String?
    @Flag(help: "Print the API's JSON result.") var json = false

    func run() async throws {
        try await Console.run {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme ?? ""), components.host?.isEmpty == false else {
                throw TapisError.invalid("--url", "must be an http:// or https:// URL, such as https://gateway.example.org:8443")
            }
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            if components.scheme == "http", !["127.0.0.1", "localhost", "[::1]", "::1"].contains(components.host ?? "") {
                throw TapisError.invalid("--url", "http:// would send your password in clear to \(components.host ?? "that host"); use https://")
            }
            let name = user ?? ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
            let key = clientKey ?? ProcessInfo.processInfo.environment["TAPIS_CLIENT_KEY"]
            if clientId != nil, key == nil { throw TapisError.invalid("--client-key", "is required with --client-id (or set TAPIS_CLIENT_KEY)") }
            let password = try Self.readPassword(prompt: "Password for \(name) at \(base): ")
            var request = ["grant_type": "password", "username": name, "password": password]
            if let clientId, let key {
                request["client_id"] = clientId
                request["client_key"] = key
            }
            let trusted = caFile.map(Self.absolute)
            let client = TapisClient(endpoint: .remote(url: base, token: nil, caFile: trusted))
            let answer = try await client.result(IssuedTokens.self, .post, "/v3/oauth2/tokens", body: try JSONEncoder().encode(request))
            let login = SavedLogin(url: base, username: name, tokens: answer, clientId: clientId, clientKey: key, caFile: trusted)
            try login.save()
            if json { try Console.printJSON(answer) } else {
                print("logged in to \(base) as \(name) until \(Console.date(login.expiresAt))\(login.refreshToken == nil ? "" : " (refreshed as needed)")")
            }
        }
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// A line from the terminal with echo off, or from standard input when it is not a terminal.
    static func readPassword(prompt: String) throws -> String {
        let interactive = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if interactive {
            FileHandle.standardError.write(Data(prompt.utf8))
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if interactive {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw TapisError.invalid("password", "none was given") }
        return line
    }
}

/// `tapis logout`: revokes the saved login's tokens and forgets it.
struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revoke and forget the login of tapis login.")

    func run() async throws {
        try await Console.run {
            guard let login = try SavedLogin.load() else {
                print("not logged in")
                return
            }
            // Best effort: a daemon that cannot be reached cannot be told; the login is forgotten anyway.
            for jti in [login.refreshJti, login.accessJti].compactMap({ $0 }) {
                _ = try? await login.client.call(.delete, "/v3/tokens/\(jti)")
            }
            try SavedLogin.remove()
            print("logged out of \(login.url)")
        }
    }
}
