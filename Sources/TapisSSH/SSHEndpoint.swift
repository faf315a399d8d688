import TapisCore

/// Where and as whom to log in: one pooled connection serves each distinct endpoint.
public struct SSHEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var login: String

    public init(host: String, port: Int, login: String) {
        self.host = host
        self.port = port
        self.login = login
    }

    public var description: String { "\(login)@\(host):\(port)" }
}

/// How to authenticate. Never printed: `description` hides the secret.
public enum SSHCredential: Sendable, Hashable, CustomStringConvertible {
    /// A private key in a file readable by the daemon (OpenSSH or PEM format).
    case keyFile(path: String, passphrase: String?)
    /// A private key given as text (Tapis `authnCredential.privateKey`).
    case key(privateKey: String, passphrase: String?)
    case password(String)

    public var description: String {
        switch self {
        case .keyFile(let path, _): return "key file \(path)"
        case .key: return "private key (from the system definition)"
        case .password: return "password"
        }
    }
}

/// How the server's host key is checked. There is no "accept anything".
public enum HostKeyPolicy: Sendable, Hashable {
    /// The key must be listed for the host (and port) in this OpenSSH known_hosts file.
    case knownHosts(path: String)
    /// The key's SHA256 fingerprint must be this (`SHA256:…` as `ssh-keygen -lf` prints it).
    case fingerprint(String)
}
