import CLibSSH2
import Foundation
import TapisCore
import TapisTransport

#if canImport(Glibc)
import Glibc
#endif

/// File operations over SFTP.
extension SSHTransport {
    public func stat(_ path: String) async throws -> RemoteFile? {
        try await attributes(path).map { SFTPListOperation.file(named: TapisPath.lastSegment(path), path: TapisPath.lastSegment(path), $0.raw) }
    }

    public func list(_ path: String, recursive: Bool) async throws -> [RemoteFile] {
        var result: [RemoteFile] = []
        var directories = [""]
        while let relative = directories.popLast() {
            let entries = try await perform { SFTPListOperation(path: TapisPath.join(path, relative), timeout: callTimeout, answer: $0) }
            for entry in entries {
                var entry = entry
                entry.path = relative.isEmpty ? entry.name : relative + "/" + entry.name
                result.append(entry)
                if recursive && entry.type == "dir" { directories.append(entry.path) }
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Creates a directory and its missing parents (mkdir -p).
    /// - Throws: `TapisError.remoteFailure` naming the path when it cannot be made a directory.
    public func makeDirectories(_ path: String) async throws {
        var prefix = ""
        for segment in path.split(separator: "/") {
            prefix += "/" + segment
            if let existing = try await attributes(prefix) {
                guard existing.isDirectory else { throw TapisError(.remoteFailure, "\(prefix) on \(endpoint) exists and is not a directory") }
                continue
            }
            let target = prefix
            let created: Bool = try await pathCall("creating directory \(target)") { clibssh2_sftp_mkdir($0, target, 0o755) }
            if !created, try await attributes(target)?.isDirectory != true {
                throw TapisError(.remoteFailure, "creating directory \(target) on \(endpoint) failed")
            }
        }
    }

    /// Removes a file, or a directory with everything in it.
    public func remove(_ path: String) async throws {
        guard let found = try await attributes(path, follow: false) else { return }
        if found.isDirectory {
            for entry in try await list(path, recursive: false) { try await remove(TapisPath.join(path, entry.name)) }
            try await requireCall("removing directory \(path)") { clibssh2_sftp_rmdir($0, path) }
        } else {
            try await requireCall("removing \(path)") { clibssh2_sftp_unlink($0, path) }
        }
    }

    /// Renames `source` to `target`, replacing a file already there.
    public func rename(_ source: String, to target: String) async throws {
        if try await pathCall("renaming \(source) to \(target)", { clibssh2_sftp_rename($0, source, target) }) { return }
        // SFTP v3 servers refuse to rename onto an existing file: remove it, then rename.
        if try await attributes(target, follow: false) != nil, try await attributes(source, follow: false) != nil {
            try await requireCall("replacing \(target)") { clibssh2_sftp_unlink($0, target) }
            try await requireCall("renaming \(source) to \(target)") { clibssh2_sftp_rename($0, source, target) }
            return
        }
        throw TapisError(.remoteFailure, "renaming \(source) to \(target) on \(endpoint) failed: \(try await attributes(source) == nil ? "\(source) does not exist" : "the server refused")")
    }

    /// Sets a file's permission bits.
    public func chmod(_ path: String, mode: Int) async throws {
        try await requireCall("changing the mode of \(path)") { clibssh2_sftp_chmod($0, path, UInt(mode)) }
    }

    /// Copies a local file or directory tree to `remotePath`. Each file is written under a
    /// temporary name, its size checked, then renamed into place.
    public func upload(from localPath: String, to remotePath: String) async throws {
        guard let isDirectory = try await LocalFiles.isDirectory(localPath) else {
            throw TapisError(.internal, "\(localPath) does not exist on the daemon's host")
        }
        guard isDirectory else { return try await uploadFile(from: localPath, to: remotePath) }
        try await makeDirectories(remotePath)
        var files: [String] = []
        for entry in try await LocalFiles.entries(below: localPath) {
            if entry.isDirectory {
                try await makeDirectories(TapisPath.join(remotePath, entry.path))
            } else {
                files.append(entry.path)
            }
        }
        try await forEachConcurrently(files) { entry in try await uploadFile(from: localPath + "/" + entry, to: TapisPath.join(remotePath, entry)) }
    }

    /// Copies a remote file or directory tree to `localPath`, each file written under a temporary
    /// name, size-checked and renamed into place.
    public func download(_ remotePath: String, to localPath: String) async throws {
        guard let found = try await attributes(remotePath) else {
            throw TapisError(.remoteFailure, "\(remotePath) does not exist on \(endpoint)")
        }
        guard found.isDirectory else { return try await downloadFile(remotePath, to: localPath, size: Int64(found.raw.filesize)) }
        let entries = try await list(remotePath, recursive: true)
        try await LocalFiles.createDirectories([localPath] + entries.filter { $0.type == "dir" }.map { localPath + "/" + $0.path })
        try await forEachConcurrently(entries.filter { $0.type == "file" }) { entry in
            try await downloadFile(TapisPath.join(remotePath, entry.path), to: localPath + "/" + entry.path, size: entry.size)
        }
    }

    private func uploadFile(from localPath: String, to remotePath: String) async throws {
        let size = try await LocalFiles.size(of: localPath)
        let temporary = remotePath + ".tapisd-tmp"
        do {
            let sent: Int64
            let ranges = Self.ranges(size)
            if ranges.count == 1 {
                sent = try await perform {
                    SFTPTransferOperation(.upload, localPath: localPath, remotePath: temporary, mode: 0o644, timeout: transferTimeout(size), size: size, answer: $0)
                }
            } else {
                sent = try await transferRanges(ranges) { range, answer in
                    SFTPTransferOperation(.upload, localPath: localPath, remotePath: temporary, mode: 0o644, timeout: transferTimeout(size), size: size, range: range, answer: answer)
                }
                let held = try await attributes(temporary).map { Int64($0.raw.filesize) }
                guard held == sent else {
                    throw TapisError(.remoteFailure, "writing \(temporary) on \(endpoint): the server holds \(held.map(String.init) ?? "no file") of \(sent) bytes (is its disk full?)")
                }
            }
            guard sent == size else {
                throw TapisError(.remoteFailure, "uploading \(localPath) to \(remotePath) on \(endpoint): sent \(sent) of \(size) bytes (the file changed while it was read?)")
            }
            try await rename(temporary, to: remotePath)
        } catch {
            _ = try? await pathCall("removing \(temporary)") { clibssh2_sftp_unlink($0, temporary) }
            throw error
        }
    }

    private func downloadFile(_ remotePath: String, to localPath: String, size: Int64) async throws {
        let temporary = localPath + ".tapisd-tmp"
        do {
            let received: Int64
            let ranges = Self.ranges(size)
            if ranges.count == 1 {
                received = try await perform {
                    SFTPTransferOperation(.download, localPath: temporary, remotePath: remotePath, mode: 0, timeout: transferTimeout(size), size: size, answer: $0)
                }
            } else {
                // Created (and emptied) once here: every part writes its own range into it.
                let created = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                guard created >= 0 else { throw TapisError(.internal, "cannot create \(temporary) on the daemon's host: \(String(cString: strerror(errno)))") }
                Glibc.close(created)
                received = try await transferRanges(ranges) { range, answer in
                    SFTPTransferOperation(.download, localPath: temporary, remotePath: remotePath, mode: 0, timeout: transferTimeout(size), size: size, range: range, answer: answer)
                }
            }
            guard received == size else {
                throw TapisError(.remoteFailure, "downloading \(remotePath) from \(endpoint): got \(received) of \(size) bytes")
            }
            if Glibc.rename(temporary, localPath) != 0 {
                throw TapisError(.internal, "cannot move \(temporary) into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// The ranges a file of `size` bytes moves in, each over its own SFTP session at once: one for
    /// files below 16 MiB, else up to 4 of at least 8 MiB (whole MiB, the last one up to the end).
    static func ranges(_ size: Int64, parts: Int = 4, smallest: Int64 = 8 << 20) -> [(start: Int64, end: Int64?)] {
        guard size >= 2 * smallest, parts > 1 else { return [(0, nil)] }
        let count = Int(min(Int64(parts), size / smallest))
        let step = (size / Int64(count) + (1 << 20) - 1) / (1 << 20) * (1 << 20)
        return (0..<count).map { index in (Int64(index) * step, index == count - 1 ? nil : Int64(index + 1) * step) }
    }

    /// Runs one transfer operation per range at once and returns the bytes they moved together.
    /// The first failure stops the others; this returns (or throws that failure) only once every
    /// part has finished, so nothing still writes when the caller cleans up.
    private func transferRanges(
        _ ranges: [(start: Int64, end: Int64?)],
        _ make: @escaping @Sendable ((start: Int64, end: Int64?, group: SFTPTransferGroup), @escaping (Result<Int64, TapisError>) -> Void) -> SFTPTransferOperation
    ) async throws -> Int64 {
        let group = SFTPTransferGroup()
        let (total, failure) = await withTaskGroup(of: Result<Int64, any Error>.self) { tasks in
            for range in ranges {
                tasks.addTask {
                    do {
                        return .success(try await perform { make((range.start, range.end, group), $0) })
                    } catch {
                        group.fail(error as? TapisError ?? TapisError(.internal, "\(error)"))
                        return .failure(error)
                    }
                }
            }
            var total: Int64 = 0
            var failure: (any Error)?
            for await part in tasks {
                switch part {
                case .success(let bytes): total += bytes
                case .failure(let error): failure = failure ?? error
                }
            }
            return (total, failure)
        }
        if let first = group.failure { throw first }
        if let failure { throw failure }
        return total
    }

    /// A transfer may take 10 minutes plus a second per MiB (at least 1 MiB/s).
    private func transferTimeout(_ size: Int64) -> Duration { .seconds(600 + max(0, size) / (1 << 20)) }

    /// Runs `body` for every item, a few at a time: they share the one connection, whose loop runs
    /// as many file transfers at once as it has SFTP sessions, while the others wait their turn.
    private func forEachConcurrently<Item: Sendable>(_ items: [Item], width: Int = 8, _ body: @escaping @Sendable (Item) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = items.makeIterator()
            for _ in 0..<width {
                guard let item = iterator.next() else { break }
                group.addTask { try await body(item) }
            }
            while try await group.next() != nil {
                if let item = iterator.next() { group.addTask { try await body(item) } }
            }
        }
    }

    /// The attributes at `path`, or nil when nothing is there.
    func attributes(_ path: String, follow: Bool = true) async throws -> SFTPAttributes? {
        let attributes = SFTPAttributes()
        let found: Bool = try await pathCall("reading the attributes of \(path)") { clibssh2_sftp_stat($0, path, follow ? 1 : 0, &attributes.raw) }
        return found ? attributes : nil
    }

    /// A path call: true when it succeeded, false for "no such file" or a plain failure status,
    /// an error for anything else.
    private func pathCall(_ what: String, _ call: @escaping (OpaquePointer) -> Int32) async throws -> Bool {
        try await perform { answer in
            SFTPPathCall<Bool>(timeout: callTimeout, call: call, result: { context, sftp, code in
                if code == 0 { return .success(true) }
                let status = LibSSH2.sftpStatus(code, sftp: sftp)
                if status == UInt(LIBSSH2_FX_NO_SUCH_FILE) || status == UInt(LIBSSH2_FX_NO_SUCH_PATH) || status == UInt(LIBSSH2_FX_FAILURE)
                    || status == UInt(LIBSSH2_FX_FILE_ALREADY_EXISTS)
                {
                    return .success(false)
                }
                return .failure(context.sftpError(code, what, on: sftp))
            }, answer: answer)
        }
    }

    private func requireCall(_ what: String, _ call: @escaping (OpaquePointer) -> Int32) async throws {
        try await perform { answer in
            SFTPPathCall<Void>(timeout: callTimeout, call: call, result: { context, sftp, code in
                code == 0 ? .success(()) : .failure(context.sftpError(code, what, on: sftp))
            }, answer: answer)
        }
    }
}
