import CTapisPAM
import Foundation
import TapisTransport

/// Checks a password of one of this host's accounts through PAM (the `tapisd` service file), on the
/// blocking pool. The password is handed to PAM's conversation and nowhere else.
public struct PasswordCheck: Sendable {
    /// What PAM found; only the log tells these apart, clients get one answer for every refusal.
    public enum Outcome: Sendable, Equatable {
        case accepted
        /// Unknown user, wrong password or locked account (PAM's reason).
        case refused(String)
        /// The password was right but the account may not log in (expired account or password).
        case accountUnusable(String)
        /// PAM could not check at all (a missing service file, a module error).
        case failed(String)
    }

    /// The PAM service name (the file under /etc/pam.d).
    public var service: String

    public init(service: String = "tapisd") {
        self.service = service
    }

    /// Runs PAM's authentication and account checks for `user`.
    /// - Parameter source: the client's address, for PAM_RHOST (and so for PAM's own logging).
    public func check(user: String, password: String, source: String?) async throws -> Outcome {
        let service = service
        // Without its own file PAM would use the `other` service, whatever that allows.
        let files = ["/etc/pam.d/\(service)", "/usr/lib/pam.d/\(service)"]
        guard files.contains(where: FileManager.default.fileExists(atPath:)) else {
            return .failed("the PAM service file \(files[0]) is missing (tapisd's is etc/pam.d/tapisd; scripts/setup.sh installs it)")
        }
        return try await BlockingPool.run {
            var reason = [CChar](repeating: 0, count: 256)
            let status = ctapis_pam_check(service, user, password, source, &reason, UInt(reason.count))
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            switch UInt32(status) {
            case CTAPIS_PAM_OK.rawValue: return .accepted
            case CTAPIS_PAM_REFUSED.rawValue: return .refused(text)
            case CTAPIS_PAM_ACCOUNT_UNUSABLE.rawValue: return .accountUnusable(text)
            default: return .failed(text)
            }
        }
    }
}
