import Crypto
import _CryptoExtras
import Foundation
import TapisCore

/// Compact JWTs signed with RSA PKCS#1 v1.5 and SHA-256 (`RS256`, as Tapis signs), the only
/// algorithm tapisd issues or accepts: anyone holding the published public key can verify a token
/// offline, and nobody without the private key can make one.
enum JSONWebToken {
    /// The claims of a tapisd token, by Tapis's names. Access tokens carry the user; refresh tokens
    /// carry the client they were issued to and the access token's claims (`tapis/access_token`).
    struct Claims: Codable, Sendable, Equatable {
        var jti: String
        var iss: String
        var sub: String
        var iat: Int
        var exp: Int
        var username: String
        var tenant: String
        var tokenType: String
        var accountType: String
        var delegation = false
        var clientId: String?
        var grantType: String?
        /// How many times the refresh token chain this token belongs to was refreshed.
        var refreshCount: Int?

        enum CodingKeys: String, CodingKey {
            case jti, iss, sub, iat, exp
            case username = "tapis/username"
            case tenant = "tapis/tenant_id"
            case tokenType = "tapis/token_type"
            case accountType = "tapis/account_type"
            case delegation = "tapis/delegation"
            case clientId = "tapis/client_id"
            case grantType = "tapis/grant_type"
            case refreshCount = "tapis/refresh_count"
        }
    }

    private struct Header: Codable {
        var alg: String
        var typ: String?
    }

    /// The signed token for `claims`.
    static func sign(_ claims: Claims, key: _RSA.Signing.PrivateKey) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let header = base64URL(try encoder.encode(Header(alg: "RS256", typ: "JWT")))
        let payload = base64URL(try encoder.encode(claims))
        let signature = try key.signature(for: Data("\(header).\(payload)".utf8), padding: .insecurePKCS1v1_5)
        return "\(header).\(payload).\(base64URL(signature.rawRepresentation))"
    }

    /// The claims of `token` once its signature checks out (nothing about its dates is checked here).
    /// - Throws: `TapisError.unauthorized` saying what is wrong with it.
    static func verify(_ token: String, key: _RSA.Signing.PublicKey) throws -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = data(base64URL: parts[0]), let payloadData = data(base64URL: parts[1]),
              let signature = data(base64URL: parts[2])
        else { throw TapisError(.unauthorized, "the token is not a JWT") }
        // The header names the algorithm, but only RS256 is ever tried: a token that says HS256 and
        // is "signed" with the public key (a classic forgery) is refused here.
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData), header.alg == "RS256" else {
            throw TapisError(.unauthorized, "the token is not signed the way tapisd signs (RS256)")
        }
        guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: Data("\(parts[0]).\(parts[1])".utf8), padding: .insecurePKCS1v1_5)
        else { throw TapisError(.unauthorized, "the token's signature is not valid (altered, or from before the signing key was rotated)") }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payloadData) else {
            throw TapisError(.unauthorized, "the token lacks tapisd's claims")
        }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
