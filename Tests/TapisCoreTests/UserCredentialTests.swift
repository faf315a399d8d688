import Foundation
import Testing
import TapisCore

/// A credential as a request gives it: what it must hold, and the login names it may map to.
@Suite struct UserCredentialTests {
    static let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"

    @Test(arguments: [
        (UserCredential(), "privateKey: give a privateKey (with its publicKey) or a password"),
        (UserCredential(privateKey: key), "publicKey: a key pair needs both privateKey and publicKey"),
        (UserCredential(publicKey: "ssh-ed25519 AAAA"), "privateKey: a key pair needs both privateKey and publicKey"),
        (UserCredential(privateKey: "hunter2", publicKey: "ssh-ed25519 AAAA"), "privateKey: must be a private key as OpenSSH or PEM text (-----BEGIN … PRIVATE KEY-----)"),
        (UserCredential(privateKey: key, publicKey: "AAAA"), "publicKey: must be one OpenSSH public key line (ssh-ed25519 AAAA… or ssh-rsa AAAA…)"),
        (UserCredential(loginUser: "x;id", password: "p"), #"loginUser: "x;id" is not a login name (letters, digits, '.', '_' and '-', at most 32, not starting with '-')"#),
        (UserCredential(loginUser: "-oProxyCommand=x", password: "p"), #"loginUser: "-oProxyCommand=x" is not a login name (letters, digits, '.', '_' and '-', at most 32, not starting with '-')"#),
        (UserCredential(loginUser: "$(id)", password: "p"), #"loginUser: "$(id)" is not a login name (letters, digits, '.', '_' and '-', at most 32, not starting with '-')"#),
    ])
    func aBadCredentialIsRefusedNamingItsField(_ credential: UserCredential, _ message: String) {
        #expect(throws: TapisError(.badRequest, message)) { try credential.validate() }
    }

    @Test func goodCredentialsPassAndUnknownFieldsAreNamed() throws {
        try UserCredential(loginUser: "alice.hpc-1", password: "p").validate()
        try UserCredential(privateKey: Self.key, publicKey: "ssh-ed25519 AAAA alice@laptop\n").validate()
        #expect(throws: TapisError.invalid("accessKey", "is not a field of a credential tapisd logs in with (SSH: privateKey with publicKey, or password)")) {
            try TapisJSON.decode(UserCredential.self, from: Data(#"{"accessKey": "AKIA"}"#.utf8))
        }
    }

    @Test func aCredentialReplacesTheDefinitionsWayIn() {
        var system = TapisSystem(id: "cluster")
        system.defaultAuthnMethod = "PKI_KEYS"
        let own = system.loggingIn(with: UserCredential(password: "p"))
        #expect(own.defaultAuthnMethod == "PASSWORD" && own.authnCredential?.password == "p" && own.authnCredential?.privateKey == nil)
    }
}
