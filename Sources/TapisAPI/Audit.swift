import Logging

/// The one form of an audit line, for every security-relevant action and refusal: a notice whose
/// `audit` field names the kind (login, token, share, credential, client, backup, denied…) and
/// whose `user` field names who acted, so `journalctl -u tapisd | grep audit=` lists them all.
/// Never a password, a secret or a token: a token is named by its `jti`.
enum Audit {
    static func record(_ logger: Logger, _ message: String, kind: String, user: String, _ details: Logger.Metadata = [:]) {
        logger.notice("\(message)", metadata: details.merging(["audit": "\(kind)", "user": "\(user)"]) { _, fixed in fixed })
    }
}
