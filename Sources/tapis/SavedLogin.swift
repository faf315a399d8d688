import Foundation
import TapisClient
import TapisCore
import TapisTransport

/// What `tapis login` keeps, in the user's config directory (`~/.config/tapis/login.json`, mode
/// 0600 in a 0700 directory): the URL, the tokens (and their ids, to revoke them), and the OAuth
/// client that may refresh them.
struct SavedLogin: Codable, Equatable {
    var url: String
    var username: String
    var accessToken: String
    var accessJti: String
    var expiresAt: Date
    var refreshToken: String?
    var refreshJti: String?
    var clientId: String?
    var clientKey: String?
    var caFile: String?

    /// A new login from a token answer.
    init(url: String, username: String, tokens: IssuedTokens, clientId: String?, clientKey: String?, caFile: String?) {
        self.url = url
        self.username = username
        accessToken = tokens.access_token.access_token
        accessJti = tokens.access_token.jti
        expiresAt = tokens.access_token.expires_at
        refreshToken = tokens.refresh_token?.refresh_token
        refreshJti = tokens.refresh_token?.jti
        self.clientId = clientId
        self.clientKey = clientKey
        self.caFile = caFile
    }

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

    /// Writes the file (0600) in its directory (made, or narrowed, to 0700).
    func save() throws {
        let directory = (Self.path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard chmod(directory, 0o700) == 0 else { throw TapisError(.internal, "cannot make \(directory) private (mode 0700)") }
        do { try PrivateFile.write(try TapisJSON.encoder(pretty: true).encode(self), to: Self.path) } catch let error as PrivateFile.Failure {
            throw TapisError(.internal, error.description)
        }
    }

    /// Removes the file (nothing if there is none).
    static func remove() throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.removeItem(atPath: path)
    }

    /// A client of the daemon this login is for, with its access token.
    var client: TapisClient { TapisClient(endpoint: .remote(url: url, token: accessToken, caFile: caFile)) }

    /// Refreshes the tokens when the access token ends within a minute and a refresh is possible.
    /// A refresh that fails because another command refreshed first takes that command's tokens.
    func refreshedIfNeeded() async throws -> SavedLogin {
        guard expiresAt.timeIntervalSinceNow < 60, let refreshToken, let clientId, let clientKey else { return self }
        let request: [String: String] = ["grant_type": "refresh_token", "refresh_token": refreshToken, "client_id": clientId, "client_key": clientKey]
        let anonymous = TapisClient(endpoint: .remote(url: url, token: nil, caFile: caFile))
        do {
            let answer = try await anonymous.result(IssuedTokens.self, .post, "/v3/oauth2/tokens", body: try JSONEncoder().encode(request))
            let refreshed = SavedLogin(url: url, username: username, tokens: answer, clientId: clientId, clientKey: clientKey, caFile: caFile)
            try refreshed.save()
            return refreshed
        } catch let error as TapisClientError where error.status == 401 {
            if let current = try Self.load(), current.refreshToken != refreshToken, current.expiresAt.timeIntervalSinceNow > 60 { return current }
            throw TapisClientError(status: 401, message: "\(error.message) (run tapis login again)")
        }
    }
}
