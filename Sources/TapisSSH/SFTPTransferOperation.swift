import CLibSSH2
import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// Copies one file between a local path and a remote path over SFTP, in large buffers so that
/// libssh2 keeps many requests in flight (not one round trip per 32 KiB). 2 MiB measured best on
/// the test bed: larger buffers slowed downloads (16 MiB: a third slower), smaller ones uploads.
/// An upload ends by asking the server for the file's size on the open handle.
///
/// A transfer holds the connection's exclusive turn from open to close: libssh2 1.10 mixes up
/// replies between SFTP handles used at once (seen as a 4 KiB file written with another file's
/// bytes, and as bogus "SFTP status 0" on reads). Commands on exec channels still run beside it. Writes go to the target
/// path given (the caller uses a temporary name and renames after checking the size).
final class SFTPTransferOperation: SSHOperation, @unchecked Sendable {
    enum Direction { case upload, download }
    enum Phase { case open, transfer, verify, close }

    let usesChannel = false
    private(set) var deadline: ContinuousClock.Instant
    private let direction: Direction
    private let localPath: String
    private let remotePath: String
    private let mode: Int
    private var phase = Phase.open
    private var handle: OpaquePointer?
    private var local: Int32 = -1
    private var buffer: [CChar]
    private var bufferStart = 0
    private var bufferEnd = 0
    private var localEOF = false
    private var transferred: Int64 = 0
    private var failure: TapisError?
    private var answer: ((Result<Int64, TapisError>) -> Void)?
    /// The size of the remote file as the server reports it after an upload.
    private(set) var remoteSize: Int64 = -1

    /// - Parameters:
    ///   - direction: upload (local → remote) or download.
    ///   - localPath: the local file (read for an upload, created for a download).
    ///   - remotePath: the remote file.
    ///   - mode: the permissions of the file created.
    ///   - timeout: how long the whole transfer may take.
    ///   - size: the file's size when known: the buffer (and so libssh2's read-ahead) is no larger
    ///     than it needs to be, up to 2 MiB.
    ///   - answer: called once with the number of bytes transferred (for an upload, after the
    ///     server confirmed the file's size).
    init(_ direction: Direction, localPath: String, remotePath: String, mode: Int, timeout: Duration, size: Int64,
         answer: @escaping (Result<Int64, TapisError>) -> Void) {
        self.direction = direction
        self.localPath = localPath
        self.remotePath = remotePath
        self.mode = mode
        deadline = .now + timeout
        buffer = [CChar](repeating: 0, count: Int(min(2 << 20, max(32 << 10, size + 1))))
        self.answer = answer
    }

    func step(_ context: SSHLoopContext) -> SSHStep {
        switch phase {
        case .open:
            return open(context)
        case .transfer:
            return direction == .upload ? upload(context) : download(context)
        case .verify:
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            let code = libssh2_sftp_fstat_ex(handle, &attributes, 0)
            if code == LibSSH2.again { return .blocked }
            if code != 0 { return fail(context.sftpError(code, "reading the size of \(remotePath)")) }
            remoteSize = Int64(attributes.filesize)
            if remoteSize != transferred {
                failure = TapisError(.remoteFailure, "writing \(remotePath): the server holds \(remoteSize) of \(transferred) bytes (is its disk full?)")
            }
            phase = .close
            return .progress
        case .close:
            let code = libssh2_sftp_close_handle(handle)
            if code == LibSSH2.again { return .blocked }
            if code != 0, failure == nil { failure = context.sftpError(code, "closing \(remotePath)") }
            if local >= 0 { close(local) }
            local = -1
            context.release(self)
            answer?(failure.map { .failure($0) } ?? .success(transferred))
            answer = nil
            return .done
        }
    }

    private func open(_ context: SSHLoopContext) -> SSHStep {
        if local < 0 {
            local = direction == .upload
                ? Glibc.open(localPath, O_RDONLY | O_CLOEXEC)
                : Glibc.open(localPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            if local < 0 {
                answer?(.failure(TapisError(.internal, "cannot open \(localPath) on the daemon's host: \(String(cString: strerror(errno)))")))
                answer = nil
                return .done
            }
        }
        guard context.acquire(self) else { return .blocked }
        let flags = direction == .upload
            ? UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC) : UInt(LIBSSH2_FXF_READ)
        guard let opened = clibssh2_sftp_open(context.sftp, remotePath, flags, mode, LIBSSH2_SFTP_OPENFILE) else {
            let code = context.lastErrno
            if code == LibSSH2.again { return .blocked }
            context.release(self)
            close(local)
            local = -1
            answer?(.failure(context.sftpError(code, "opening \(remotePath)")))
            answer = nil
            return .done
        }
        handle = opened
        phase = .transfer
        return .progress
    }

    private func upload(_ context: SSHLoopContext) -> SSHStep {
        if bufferStart == bufferEnd {
            if localEOF {
                phase = .verify
                return .progress
            }
            let count = buffer.withUnsafeMutableBytes { read(local, $0.baseAddress, $0.count) }
            if count < 0 { return fail(TapisError(.internal, "reading \(localPath): \(String(cString: strerror(errno)))")) }
            if count == 0 { localEOF = true }
            bufferStart = 0
            bufferEnd = count
            return .progress
        }
        let written = buffer.withUnsafeBufferPointer { libssh2_sftp_write(handle, $0.baseAddress! + bufferStart, bufferEnd - bufferStart) }
        if written == Int(LibSSH2.again) { return .blocked }
        guard written >= 0 else { return fail(context.sftpError(Int32(written), "writing \(remotePath)")) }
        bufferStart += written
        transferred += Int64(written)
        return .progress
    }

    private func download(_ context: SSHLoopContext) -> SSHStep {
        let count = buffer.withUnsafeMutableBufferPointer { libssh2_sftp_read(handle, $0.baseAddress, $0.count) }
        if count == Int(LibSSH2.again) { return .blocked }
        guard count >= 0 else { return fail(context.sftpError(Int32(count), "reading \(remotePath)")) }
        if count == 0 {
            phase = .close
            return .progress
        }
        var offset = 0
        while offset < count {
            let written = buffer.withUnsafeBytes { write(local, $0.baseAddress! + offset, count - offset) }
            if written < 0 { return fail(TapisError(.internal, "writing \(localPath): \(String(cString: strerror(errno)))")) }
            offset += written
        }
        transferred += Int64(count)
        return .progress
    }

    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool {
        context.release(self)
        failure = failure ?? error
        answer?(.failure(failure!))
        answer = nil
        deadline = .now + .seconds(60)
        guard context.fatal == nil, handle != nil else {
            if local >= 0 { close(local) }
            local = -1
            return true
        }
        phase = .close
        return false
    }

    private func fail(_ error: TapisError) -> SSHStep {
        failure = failure ?? error
        phase = .close
        return .progress
    }
}
