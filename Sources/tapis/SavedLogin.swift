import Foundation
import TapisClient
import TapisCore

/// What `tapis login` keeps, in the user's config directory (`~/.config/tapis/login.json`, mode
/// 0600 in a 0700 directory): the URL, the tokens, and the OAuth client that may refresh them.
struct SavedLogin: Codable, Equatable {
    var url: String
    var username: String
    var accessToken: String
    var expiresAt: Date
    var refreshToken: String?
    var clientId: String?
    var clientKey: String?
    var caFile: String?

    /// The login file of the user running this command.
    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return base + "/tapis/login.json"
    }

    /// The saved login, if there is one.
    /// - Throws: `TapisError.badRequest` for a file that cannot be read as one.
    static func load() throws -> SavedLogin? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try TapisJSON.decoder().decode(SavedLogin.self, from: data) } catch {
            throw TapisError(.badRequest, "\(path) is not a login tapis can read; run tapis login again (or remove it)")
        }
    }

    /// Writes the file (0600, through a temporary file and a rename, in a 0700 directory).
    func save() throws {
        let directory = (Self.path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = Self.path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: try TapisJSON.encoder(pretty: true).encode(self), attributes: [.posixPermissions: 0o600]),
              rename(temporary, Self.path) == 0
        else { throw TapisError(.internal, "cannot write \(Self.path)") }
    }

    /// Removes the file (nothing if there is none).
    static func remove() throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.removeItem(atPath: path)
    }

    /// This login with a client's tokens from a token answer.
    func updated(with tokens: TokenAnswer) -> SavedLogin {
        var login = self
        login.accessToken = tokens.access_token.access_token
        login.expiresAt = tokens.access_token.expires_at
        login.refreshToken = tokens.refresh_token?.refresh_token ?? refreshToken
        return login
    }

    /// Refreshes the tokens when the access token ends within a minute and a refresh is possible.
    func refreshedIfNeeded() async throws -> SavedLogin {
        guard expiresAt.timeIntervalSinceNow < 60, let refreshToken, let clientId, let clientKey else { return self }
        let request: [String: String] = ["grant_type": "refresh_token", "refresh_token": refreshToken, "client_id": clientId, "client_key": clientKey]
        let client = TapisClient(endpoint: .remote(url: url, token: nil, caFile: caFile))
        let answer = try await client.result(TokenAnswer.self, .post, "/v3/oauth2/tokens", body: try JSONEncoder().encode(request))
        let refreshed = updated(with: answer)
        try refreshed.save()
        return refreshed
    }
}

/// The `/v3/oauth2/tokens` answer.
struct TokenAnswer: Codable {
    struct Refresh: Codable {
        var refresh_token: String
        var expires_at: Date
    }

    var access_token: IssuedToken
    var refresh_token: Refresh?
}
