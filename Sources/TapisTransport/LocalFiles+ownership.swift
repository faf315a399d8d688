import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

extension LocalFiles {
    /// Checks that no one but `account` (and root) controls `paths` on this host: every directory on
    /// the way to each, and each itself, belongs to root or to the account, and one of root's that
    /// others may write to is sticky (as /tmp is). Otherwise another user could rename the job's
    /// files away and put their own in place, to run as the account. A directory the paths share
    /// is looked at once; the walk stops at the first that does not exist.
    /// - Throws: `TapisError.forbidden` naming the directory and its owner.
    public static func checkControlled(_ paths: [String], by account: UserAccount) async throws {
        try await BlockingPool.run {
            var checked = Set<String>()
            for path in paths {
                var prefix = ""
                for component in path.split(separator: "/") {
                    prefix += "/" + component
                    guard checked.insert(prefix).inserted else { continue }
                    guard try checkControlled(directory: prefix, by: account) else { break }
                }
            }
        }
    }

    /// Whether `directory` exists, once it is checked as `checkControlled(_:by:)` says.
    private static func checkControlled(directory prefix: String, by account: UserAccount) throws -> Bool {
        var info = stat()
        guard stat(prefix, &info) == 0 else { return false }
        let owner = info.st_uid
        let othersWrite = info.st_mode & 0o022 != 0
        let sticky = info.st_mode & 0o1000 != 0
        if owner == account.uid || (owner == 0 && (!othersWrite || sticky)) { return true }
        let name = UserAccount.withUID(owner)?.name ?? "uid \(owner)"
        throw TapisError(
            .forbidden,
            "\(prefix) belongs to \(name)\(owner == 0 ? " and others may write to it" : ""), not to \(account.name): another user could replace the job's files; an administrator must remove or fix it")
    }
}
