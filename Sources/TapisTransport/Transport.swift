import Foundation
import TapisCore

/// Where commands run and files move: this host (`LocalTransport`) or a host over SSH. A
/// transport acts as one login on one host. Every command string it is given must already be built
/// with `Shell.quote`.
public protocol Transport: Sendable {
    /// The login commands run as.
    var login: String { get }

    /// Runs `command` with `/bin/sh -c`, feeding `input` to its standard input.
    /// - Throws: `TapisError.unavailable` if the command cannot be started or times out.
    func run(_ command: String, input: [UInt8]?, timeout: Duration) async throws -> CommandResult

    /// Runs `command` and streams its standard output to `consumer`, in chunks, as it comes.
    /// - Throws: `TapisError.remoteFailure` with the command's error text if it exits non-zero.
    func stream(_ command: String, into consumer: ([UInt8]) async throws -> Void) async throws

    /// The entry at `path` itself (nil if there is none). Has a shell-based default.
    func stat(_ path: String) async throws -> RemoteFile?

    /// The entries below `path`: its children, or with `recursive` the whole tree, paths relative to
    /// `path`. Has a shell-based default.
    /// - Throws: `TapisError.remoteFailure` if the directory cannot be read.
    func list(_ path: String, recursive: Bool) async throws -> [RemoteFile]

    /// Copies the file or tree at `path` to `localPath` on the daemon's host (a tree's contents go
    /// into `localPath`, created if needed), each file complete before it appears under its name.
    func download(_ path: String, to localPath: String) async throws

    /// Copies the file or tree at `localPath` on the daemon's host to `path` (a tree's contents go
    /// into `path`, created if needed), each file complete before it appears under its name.
    func upload(from localPath: String, to path: String) async throws
}

/// What a command printed and how it ended.
public struct CommandResult: Sendable, Equatable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Standard output as text.
    public var output: String { String(decoding: stdout, as: UTF8.self) }

    /// Standard error as text, trimmed, for messages.
    public var errorText: String {
        String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
