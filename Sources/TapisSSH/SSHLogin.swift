import CLibSSH2
import Foundation
import TapisCore

/// The blocking start of a session: handshake, host key check, authentication, SFTP.
struct SSHLogin {
    let session: OpaquePointer
    let socket: Int32
    let endpoint: SSHEndpoint
    let credential: SSHCredential
    let hostKeys: HostKeyPolicy
    let timeout: Duration

    /// Returns the session's SFTP channel.
    /// - Throws: `TapisError` naming the endpoint and the step that failed.
    func perform() throws -> OpaquePointer {
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, Int(timeout.components.seconds * 1000))
        // AES-128-CTR first: as safe as AES-256 here and measurably cheaper per byte (scripts/bench-sftp.sh).
        for direction in [LIBSSH2_METHOD_CRYPT_CS, LIBSSH2_METHOD_CRYPT_SC] {
            libssh2_session_method_pref(session, direction, "aes128-ctr,aes192-ctr,aes256-ctr,aes128-cbc,aes192-cbc,aes256-cbc")
        }
        let handshake = libssh2_session_handshake(session, socket)
        guard handshake == 0 else { throw LibSSH2.error(handshake, session: session, "the SSH handshake", host: endpoint.description) }
        try verifyHostKey()
        try authenticate()
        guard let sftp = libssh2_sftp_init(session) else {
            throw LibSSH2.error(libssh2_session_last_errno(session), session: session, "starting SFTP", host: endpoint.description)
        }
        return sftp
    }

    private func verifyHostKey() throws {
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type) else {
            throw TapisError(.remoteFailure, "\(endpoint.host):\(endpoint.port) sent no host key")
        }
        let fingerprint = Self.fingerprint(session)
        let keyName = Self.keyTypeName(type)
        switch hostKeys {
        case .fingerprint(let expected):
            guard expected == fingerprint else {
                throw TapisError(
                    .remoteFailure,
                    "the host key of \(endpoint.host):\(endpoint.port) is \(keyName) \(fingerprint), not the \(expected) the system definition expects; if the site changed its key, confirm the new fingerprint with its administrators and update hostKeyFingerprint")
            }
        case .knownHosts(let path):
            guard let hosts = libssh2_knownhost_init(session) else { throw TapisError(.internal, "libssh2 could not read known hosts") }
            defer { libssh2_knownhost_free(hosts) }
            if libssh2_knownhost_readfile(hosts, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0, FileManager.default.fileExists(atPath: path) {
                throw TapisError(.internal, "cannot read the known hosts file \(path)")
            }
            var entry: UnsafeMutablePointer<libssh2_knownhost>?
            let check = libssh2_knownhost_checkp(
                hosts, endpoint.host, Int32(endpoint.port), key, length,
                Int32(LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW), &entry)
            let address = endpoint.port == 22 ? endpoint.host : "[\(endpoint.host)]:\(endpoint.port)"
            switch check {
            case Int32(LIBSSH2_KNOWNHOST_CHECK_MATCH):
                return
            case Int32(LIBSSH2_KNOWNHOST_CHECK_MISMATCH):
                throw TapisError(
                    .remoteFailure,
                    "the host key of \(endpoint.host):\(endpoint.port) has CHANGED: it is now \(keyName) \(fingerprint), which does not match \(path). This may be an attack; if the site really changed its key, confirm the fingerprint with its administrators, remove the old entry (ssh-keygen -R '\(address)' -f \(path)) and add the new one")
            default:
                throw TapisError(
                    .remoteFailure,
                    "the host key of \(endpoint.host):\(endpoint.port) (\(keyName) \(fingerprint)) is not in \(path); if that fingerprint is the site's, trust it with: ssh-keyscan -p \(endpoint.port) \(endpoint.host) >> \(path)")
            }
        }
    }

    private func authenticate() throws {
        let code: Int32
        switch credential {
        case .keyFile(let path, let passphrase):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw TapisError(.remoteFailure, "the private key file \(path) does not exist or tapisd cannot read it (logging in to \(endpoint))")
            }
            code = clibssh2_userauth_publickey_fromfile(session, endpoint.login, path, passphrase ?? "")
        case .key(let privateKey, let passphrase):
            let bytes = Array(privateKey.utf8)
            code = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { text in
                    libssh2_userauth_publickey_frommemory(
                        session, endpoint.login, endpoint.login.utf8.count, nil, 0, text.baseAddress, bytes.count, passphrase ?? "")
                }
            }
        case .password(let password):
            code = clibssh2_userauth_password(session, endpoint.login, password)
        }
        guard code == 0 else {
            let error = LibSSH2.error(code, session: session, "logging in as \(endpoint.login) with a \(credential)", host: "\(endpoint.host):\(endpoint.port)")
            var advice = "check the system's credentials (and that the key is in the user's authorized_keys)"
            if isRSAKey {
                advice += "; note that this libssh2 (1.10) signs RSA logins with SHA-1 (ssh-rsa), which OpenSSH 8.8 and later refuse unless the site allows it: an ed25519 key avoids that"
            }
            throw TapisError(.remoteFailure, error.message + "; " + advice)
        }
    }

    /// Whether the credential is an RSA key (PEM or OpenSSH format).
    private var isRSAKey: Bool {
        let text: String?
        switch credential {
        case .keyFile(let path, _): text = try? String(contentsOfFile: path, encoding: .utf8)
        case .key(let privateKey, _): text = privateKey
        case .password: text = nil
        }
        guard let text else { return false }
        if text.contains("BEGIN RSA PRIVATE KEY") { return true }
        guard text.contains("BEGIN OPENSSH PRIVATE KEY") else { return false }
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body).map { String(decoding: $0.prefix(120), as: UTF8.self).contains("ssh-rsa") } ?? false
    }

    /// The host key's SHA256 fingerprint as OpenSSH prints it.
    static func fingerprint(_ session: OpaquePointer) -> String {
        guard let hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256) else { return "SHA256:?" }
        let bytes = Data(UnsafeRawBufferPointer(start: hash, count: 32))
        var encoded = bytes.base64EncodedString()
        while encoded.hasSuffix("=") { encoded.removeLast() }
        return "SHA256:" + encoded
    }

    static func keyTypeName(_ type: Int32) -> String {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa"
        case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa"
        default: return "key"
        }
    }
}
