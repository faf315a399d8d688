public import Foundation

/// An API token tapisd minted: who it is for, when it ends, whether it was revoked. The token's
/// text is never stored; its `jti` names it.
public struct TokenRecord: Codable, Sendable, Equatable {
    public var jti: String
    public var username: String
    public var created: Date
    public var expires: Date
    public var revoked: Date?
    /// `access`, or `refresh` for a token that only gets new tokens for its OAuth client.
    public var type: String
    /// The OAuth client a login or refresh was made through (nil: none, or minted on the socket).
    public var clientId: String?

    public init(jti: String, username: String, created: Date, expires: Date, revoked: Date? = nil, type: String = "access", clientId: String? = nil) {
        self.jti = jti
        self.username = username
        self.created = created
        self.expires = expires
        self.revoked = revoked
        self.type = type
        self.clientId = clientId
    }

    /// Whole seconds from its minting to its end.
    public var lifetime: Int { Int(expires.timeIntervalSince(created)) }
}

/// An OAuth client an administrator registered: logins through it also get a refresh token. Its
/// secret is stored only as a SHA-256 hash (it is random and long, so the hash cannot be guessed
/// back).
public struct OAuthClient: Codable, Sendable, Equatable {
    public var clientId: String
    public var description: String
    public var createdBy: String
    public var created: Date

    public init(clientId: String, description: String, createdBy: String, created: Date) {
        self.clientId = clientId
        self.description = description
        self.createdBy = createdBy
        self.created = created
    }
}

/// A token as it is handed out, once (Tapis's names: `access_token`, `expires_at`, `expires_in`).
public struct IssuedToken: Codable, Sendable, Equatable {
    public var access_token: String
    public var jti: String
    public var expires_at: Date
    public var expires_in: Int

    public init(access_token: String, jti: String, expires_at: Date, expires_in: Int) {
        self.access_token = access_token
        self.jti = jti
        self.expires_at = expires_at
        self.expires_in = expires_in
    }

    /// The token `token` that `record` describes.
    public init(_ token: String, record: TokenRecord) {
        self.init(access_token: token, jti: record.jti, expires_at: record.expires, expires_in: record.lifetime)
    }
}

/// A refresh token as handed out, once (Tapis's names).
public struct IssuedRefreshToken: Codable, Sendable, Equatable {
    public var refresh_token: String
    public var jti: String
    public var expires_at: Date
    public var expires_in: Int

    public init(refresh_token: String, jti: String, expires_at: Date, expires_in: Int) {
        self.refresh_token = refresh_token
        self.jti = jti
        self.expires_at = expires_at
        self.expires_in = expires_in
    }

    /// The refresh token `token` that `record` describes.
    public init(_ token: String, record: TokenRecord) {
        self.init(refresh_token: token, jti: record.jti, expires_at: record.expires, expires_in: record.lifetime)
    }
}

/// The answer of `POST /v3/oauth2/tokens` (Tapis's shape): the access token, and the refresh token
/// when the login came through an OAuth client.
public struct IssuedTokens: Codable, Sendable, Equatable {
    public var access_token: IssuedToken
    public var refresh_token: IssuedRefreshToken?

    public init(access_token: IssuedToken, refresh_token: IssuedRefreshToken?) {
        self.access_token = access_token
        self.refresh_token = refresh_token
    }
}
