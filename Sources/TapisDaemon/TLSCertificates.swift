import NIOCore
import NIOSSL
import Synchronization
import TapisCore

/// The TCP listener's certificate chain and key, read from the administrator's PEM files at start
/// and again at each `systemctl reload`. Every TLS handshake takes the pair current at that moment,
/// so a renewed certificate serves new connections while open ones carry on undisturbed.
final class TLSCertificates: Sendable {
    let certificatePath: String
    let keyPath: String
    private let current: Mutex<(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)>

    /// - Throws: `TapisError.badRequest` naming a file that cannot be read as PEM.
    init(certificate: String, key: String) throws {
        certificatePath = certificate
        keyPath = key
        current = Mutex(try Self.read(certificate: certificate, key: key))
    }

    /// Reads both files again; on failure the pair in use stays.
    /// - Throws: `TapisError.badRequest` naming the file.
    func reload() throws {
        let pair = try Self.read(certificate: certificatePath, key: keyPath)
        current.withLock { $0 = pair }
    }

    /// The server's TLS settings (TLS 1.2 at least), handing each handshake the current pair.
    var serverConfiguration: TLSConfiguration {
        let (chain, key) = current.withLock { $0 }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        tls.sslContextCallback = { [self] _, promise in
            let (chain, key) = self.current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = chain.map { .certificate($0) }
            override.privateKey = .privateKey(key)
            promise.succeed(override)
        }
        return tls
    }

    private static func read(certificate: String, key: String) throws -> (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) {
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw TapisError(.badRequest, "tlsCertificate \(certificate): not a readable PEM certificate chain (\(error))")
        }
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw TapisError(.badRequest, "tlsKey \(key): not a readable PEM private key (\(error))")
        }
        guard !chain.isEmpty else { throw TapisError(.badRequest, "tlsCertificate \(certificate) holds no certificate") }
        // A context checks that the key is the certificate's (a half-renewed pair would fail every handshake).
        do {
            _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey)))
        } catch {
            throw TapisError(.badRequest, "tlsKey \(key) is not the key of tlsCertificate \(certificate) (\(error))")
        }
        return (chain, privateKey)
    }
}
