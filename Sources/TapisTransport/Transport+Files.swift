import Foundation
import TapisCore

/// File operations built on `run` (one command on the host, every path through `Shell.quote`), so
/// every transport has them. `stat` and `list` are protocol requirements as well: these are their
/// defaults, which `SSHTransport` replaces with SFTP calls.
extension Transport {
    /// Runs a command and throws unless it exits 0.
    /// - Throws: `TapisError.remoteFailure` with `what` and the command's own error text.
    @discardableResult
    public func check(_ command: String, input: [UInt8]? = nil, timeout: Duration = .seconds(300), what: String) async throws -> CommandResult {
        let result = try await run(command, input: input, timeout: timeout)
        guard result.status == 0 else {
            let detail = result.errorText.isEmpty ? "exit status \(result.status)" : result.errorText
            throw TapisError(.remoteFailure, "\(what) failed as \(login): \(detail)")
        }
        return result
    }

    /// Creates a directory and its parents.
    public func makeDirectory(_ path: String) async throws {
        try await makeDirectories([path])
    }

    /// Creates directories and their parents, with one command.
    public func makeDirectories(_ paths: [String]) async throws {
        guard !paths.isEmpty else { return }
        try await check("mkdir -p -- " + paths.map(Shell.quote).joined(separator: " "), what: "creating directory \(paths.joined(separator: ", "))")
    }

    /// Writes `bytes` to `path` atomically (a temporary name, then a rename) with the given mode.
    public func write(_ bytes: [UInt8], to path: String, mode: String = "0644") async throws {
        let temporary = Shell.quote(path + ".tapisd-tmp")
        try await check(
            "cat > \(temporary) && chmod \(Shell.quote(mode)) \(temporary) && mv -f \(temporary) \(Shell.quote(path))",
            input: bytes, what: "writing \(path)")
    }

    /// Copies a file or directory tree to `target`, replacing what was there; a rerun after a
    /// crash ends in the same state.
    public func copy(from source: String, to target: String) async throws {
        let temporary = Shell.quote(target + ".tapisd-tmp")
        let parent = Shell.quote(TapisPath.parent(target))
        try await check(
            "mkdir -p -- \(parent) && rm -rf -- \(temporary) && cp -R -p -- \(Shell.quote(source)) \(temporary) && rm -rf -- \(Shell.quote(target)) && mv -f -- \(temporary) \(Shell.quote(target))",
            what: "copying \(source) to \(target)")
    }

    /// Whether something exists at `path`.
    public func exists(_ path: String) async throws -> Bool {
        try await run("test -e \(Shell.quote(path))", input: nil, timeout: .seconds(60)).status == 0
    }

    /// The entry at `path` itself, found with `find` (nil if there is none).
    public func stat(_ path: String) async throws -> RemoteFile? {
        let result = try await run("find \(Shell.quote(path)) -maxdepth 0 -printf \(FileListing.format)", input: nil, timeout: .seconds(60))
        guard result.status == 0 else { return nil }
        return FileListing.parse(result.stdout).first
    }

    /// The entries below `path`, found with `find`.
    public func list(_ path: String, recursive: Bool) async throws -> [RemoteFile] {
        let depth = recursive ? "" : " -maxdepth 1"
        let result = try await check(
            "find \(Shell.quote(path)) -mindepth 1\(depth) -printf \(FileListing.format)", what: "listing \(path)")
        return FileListing.parse(result.stdout).sorted { $0.path < $1.path }
    }
}
