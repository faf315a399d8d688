import Crypto
import Foundation

/// A new ed25519 key pair in OpenSSH's formats: the private key as `ssh-keygen` writes it
/// (unencrypted `openssh-key-v1`) and the public key as an `authorized_keys` line.
public struct SSHKeyPair: Sendable {
    public let privateKey: String
    public let publicKey: String

    public init(comment: String) {
        let key = Curve25519.Signing.PrivateKey()
        let seed = key.rawRepresentation, pub = key.publicKey.rawRepresentation
        var blob = Data()
        Self.append("ssh-ed25519", to: &blob)
        Self.append(pub, to: &blob)
        let check = UInt32.random(in: .min ... .max)
        var secret = Data()
        Self.append(check, to: &secret)
        Self.append(check, to: &secret)
        Self.append("ssh-ed25519", to: &secret)
        Self.append(pub, to: &secret)
        Self.append(seed + pub, to: &secret)
        Self.append(comment, to: &secret)
        var pad: UInt8 = 1
        while secret.count % 8 != 0 {
            secret.append(pad)
            pad += 1
        }
        var file = Data("openssh-key-v1".utf8) + [0]
        for field in ["none", "none", ""] { Self.append(field, to: &file) }
        Self.append(UInt32(1), to: &file)
        Self.append(blob, to: &file)
        Self.append(secret, to: &file)
        let base64 = file.base64EncodedString()
        let lines = stride(from: 0, to: base64.count, by: 70).map { start in
            String(base64.dropFirst(start).prefix(70))
        }
        privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + lines.joined(separator: "\n") + "\n-----END OPENSSH PRIVATE KEY-----\n"
        publicKey = "ssh-ed25519 \(blob.base64EncodedString()) \(comment)"
    }

    private static func append(_ value: UInt32, to data: inout Data) {
        data.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    private static func append(_ bytes: Data, to data: inout Data) {
        append(UInt32(bytes.count), to: &data)
        data.append(bytes)
    }

    private static func append(_ text: String, to data: inout Data) { append(Data(text.utf8), to: &data) }
}
