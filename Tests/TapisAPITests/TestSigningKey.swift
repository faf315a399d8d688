import _CryptoExtras
import Foundation
import TapisDaemon

/// One RSA signing key for every in-process daemon of this test process: each would otherwise make
/// its own at its first token (a few hundred milliseconds of CPU apiece, dozens at once).
enum TestSigningKey {
    static let pem: String = {
        do { return try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation } catch { fatalError("cannot make a test signing key: \(error)") }
    }()

    /// Puts the key where `configuration`'s daemon looks for it.
    static func install(for configuration: DaemonConfiguration) throws {
        try FileManager.default.createDirectory(atPath: configuration.databaseDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard FileManager.default.createFile(atPath: configuration.tokenKeyPath, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
