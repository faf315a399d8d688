import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs commands and moves files on this host, as `login`. When the daemon runs as root and the
/// login is another user, every command runs through `setpriv` as that user (with that user's
/// groups and a login environment), so a job can never touch what its owner could not.
public struct LocalTransport: Transport {
    public let login: String
    /// What runs before the shell: nothing, or `setpriv` switching to the login.
    private let prefix: [String]
    /// The first line of every command's script.
    private let umaskLine: String
    private let environment: [String]

    /// - Parameters:
    ///   - login: the user commands run as.
    ///   - umask: the file creation mask of every command (and so of the jobs they start); the
    ///     default keeps a user's job files private to that user.
    /// - Throws: `TapisError.badRequest` for an unknown login, `.forbidden` when the daemon cannot
    ///   act as it.
    public init(login: String, umask: mode_t = 0o077) throws {
        self.login = login
        let me = geteuid()
        guard let account = UserAccount.named(login) else { throw TapisError(.badRequest, "no local user named \(login.debugDescription)") }
        let uid = account.uid
        let home = account.home
        let shell = account.shell
        // A login environment of the job's user, whatever environment the daemon was started with.
        environment = [
            "HOME=\(home)", "USER=\(login)", "LOGNAME=\(login)", "SHELL=\(shell.isEmpty ? "/bin/sh" : shell)",
            "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
        ]
        umaskLine = "umask \(String(umask, radix: 8))\n"
        if uid == me {
            prefix = []
        } else if me == 0 {
            prefix = ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(account.primaryGroup)", "--init-groups", "--"]
        } else {
            throw TapisError(.forbidden, "tapisd runs as uid \(me) and cannot act as \(login); run it as root to serve several users")
        }
    }

    /// One shell runs the command, its mask set first (a line of its own, so the command's script
    /// is untouched).
    private func arguments(_ command: String) -> [String] {
        prefix + ["/bin/sh", "-c", umaskLine + command]
    }

    public func run(_ command: String, input: [UInt8]?, timeout: Duration) async throws -> CommandResult {
        let child = try ChildProcess(arguments: arguments(command), environment: environment, withInput: input != nil)
        defer { child.closeOutputs() }
        let (stdout, stderr, timedOut) = try await child.communicate(input: input, deadline: .now + timeout)
        let status = try await child.wait()
        if timedOut { throw TapisError(.unavailable, "command timed out after \(timeout) as \(login)") }
        return CommandResult(status: status, stdout: stdout, stderr: stderr)
    }

    public func stream(_ command: String, into consumer: ([UInt8]) async throws -> Void) async throws {
        let child = try ChildProcess(arguments: arguments(command), environment: environment, withInput: false)
        defer { child.closeOutputs() }
        do {
            while let chunk = try await child.readChunk() { try await consumer(chunk) }
        } catch {
            child.killGroup()
            _ = try? await child.wait()
            throw error
        }
        let errors = try await child.remainingErrors()
        let status = try await child.wait()
        guard status == 0 else {
            let detail = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TapisError(.remoteFailure, "streaming output failed as \(login): \(detail.isEmpty ? "exit status \(status)" : detail)")
        }
    }

    public func download(_ path: String, to localPath: String) async throws {
        try await copyTree(from: path, to: localPath, what: "copying \(path) to \(localPath)")
    }

    public func upload(from localPath: String, to path: String) async throws {
        try await copyTree(from: localPath, to: path, what: "copying \(localPath) to \(path)")
    }

    /// A file goes through a temporary name; a tree's contents are merged into the target.
    private func copyTree(from source: String, to target: String, what: String) async throws {
        let from = Shell.quote(source)
        let to = Shell.quote(target)
        let temporary = Shell.quote(target + ".tapisd-tmp")
        try await check(
            """
            if [ -d \(from) ]; then mkdir -p -- \(to) && cp -R -p -- \(Shell.quote(source + "/.")) \(Shell.quote(target + "/"))
            else mkdir -p -- \(Shell.quote(TapisPath.parent(target))) && cp -p -- \(from) \(temporary) && mv -f -- \(temporary) \(to); fi
            """, what: what)
    }
}
