import Crypto
import Foundation
import TapisCore

/// Compact JWTs signed with HMAC-SHA256 (`HS256`), the only algorithm tapisd issues or accepts.
enum JSONWebToken {
    /// The claims of a tapisd token (Tapis names: `tapis/username`, `tapis/tenant_id`).
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

        enum CodingKeys: String, CodingKey {
            case jti, iss, sub, iat, exp
            case username = "tapis/username"
            case tenant = "tapis/tenant_id"
            case tokenType = "tapis/token_type"
            case accountType = "tapis/account_type"
        }
    }

    private struct Header: Codable {
        var alg: String
        var typ: String?
    }

    /// The signed token for `claims`.
    static func sign(_ claims: Claims, key: SymmetricKey) throws -> String {
        let header = base64URL(try JSONEncoder().encode(Header(alg: "HS256", typ: "JWT")))
        let payload = base64URL(try JSONEncoder().encode(claims))
        let signature = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: key)
        return "\(header).\(payload).\(base64URL(Data(signature)))"
    }

    /// The claims of `token` once its signature checks out (nothing about its dates is checked here).
    /// - Throws: `TapisError.unauthorized` saying what is wrong with it.
    static func verify(_ token: String, key: SymmetricKey) throws -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = data(base64URL: parts[0]), let payloadData = data(base64URL: parts[1]),
              let signature = data(base64URL: parts[2])
        else { throw TapisError(.unauthorized, "X-Tapis-Token is not a JWT") }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData), header.alg == "HS256" else {
            throw TapisError(.unauthorized, "X-Tapis-Token is not signed the way tapisd signs (HS256)")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data("\(parts[0]).\(parts[1])".utf8), using: key) else {
            throw TapisError(.unauthorized, "X-Tapis-Token's signature is not valid (altered, or from before the signing key was rotated)")
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payloadData) else {
            throw TapisError(.unauthorized, "X-Tapis-Token lacks tapisd's claims")
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
