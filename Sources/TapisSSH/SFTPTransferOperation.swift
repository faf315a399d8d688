import CLibSSH2
import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// Copies one file, or one range of it, between a local path and a remote path over SFTP, on an
/// SFTP session of its own (see `SFTPSessions`), in large buffers so that libssh2 keeps many
/// requests in flight: a read asks for up to four buffers ahead; a write keeps between one and
/// two buffers outstanding (the buffer is refilled once half of it is acknowledged, so the
/// pipeline never drains between buffers). 2 MiB measured best on the test bed.
///
/// A large file moves as several of these at once, each a contiguous range on its own session,
/// tied by an `SFTPTransferGroup`: the part at offset 0 creates and truncates the remote file and
/// the others open it only after that; the first failure stops them all. A whole-file upload ends
/// by asking the server for the file's size on the open handle (a ranged upload leaves that to the
/// caller, once every part is done). Writes go to the target path given (the caller uses a
/// temporary name and renames after checking the size).
///
/// A libssh2 call that returned EAGAIN is repeated until it completes before anything else is done
/// on its session (a failure or a timeout only takes effect then): libssh2 1.10 keeps the call's
/// state in the SFTP session, and a session left mid-call hands the next user a bogus error.
/// A transfer stopped mid-stream (its own failure or another part's) closes its session instead
/// of the handle: 1.10 drops the requests still queued on a handle when a write fails or the
/// handle closes, even one whose first bytes are already sent (a write split by the channel
/// window), and the server then reads the CLOSE as the rest of that write and never answers.
/// Closing the channel ends the server's SFTP process, and with it the open file.
final class SFTPTransferOperation: SSHOperation, SFTPSessionUser, @unchecked Sendable {
    enum Direction { case upload, download }
    enum Phase { case open, transfer, verify, close }

    let usesChannel = false
    var sftpSessions: SFTPSessions?
    private(set) var deadline: ContinuousClock.Instant
    private let direction: Direction
    private let localPath: String
    private let remotePath: String
    private let mode: Int
    /// Where the range starts, and where it ends (nil: at the end of the file).
    private let start: Int64
    private let end: Int64?
    private let group: SFTPTransferGroup?
    /// Whether a download creates (and truncates) the local file; ranged parts write into a file
    /// their caller created.
    private let createLocal: Bool
    private var phase = Phase.open
    private var sftp: OpaquePointer?
    private var handle: OpaquePointer?
    private var local: Int32 = -1
    private var buffer: [CChar]
    private var bufferStart = 0
    private var bufferEnd = 0
    /// Bytes of the local file read so far (uploads), from `start`.
    private var localRead: Int64 = 0
    private var localEOF = false
    private var transferred: Int64 = 0
    /// The last libssh2 call returned EAGAIN: it must be called again, and nothing else on the session.
    private var callPending = false
    /// Stopped mid-stream: the session is closed rather than the handle (see above).
    private var discard = false
    private var abandoned = 0
    private var failure: TapisError?
    private var answer: ((Result<Int64, TapisError>) -> Void)?

    /// - Parameters:
    ///   - direction: upload (local → remote) or download.
    ///   - localPath: the local file (read for an upload, written for a download).
    ///   - remotePath: the remote file.
    ///   - mode: the permissions of a remote file created.
    ///   - timeout: how long the transfer may take.
    ///   - size: the file's size when known: the buffer (and so libssh2's read-ahead) is no larger
    ///     than it needs to be, up to 2 MiB.
    ///   - range: the part of the file this operation moves (offsets; nil upper bound: to the end),
    ///     with the group of the other parts; nil: the whole file.
    ///   - answer: called once with the number of bytes transferred (for a whole-file upload, after
    ///     the server confirmed the file's size), once nothing of the transfer is open any more.
    init(_ direction: Direction, localPath: String, remotePath: String, mode: Int, timeout: Duration, size: Int64,
         range: (start: Int64, end: Int64?, group: SFTPTransferGroup)? = nil,
         answer: @escaping (Result<Int64, TapisError>) -> Void) {
        self.direction = direction
        self.localPath = localPath
        self.remotePath = remotePath
        self.mode = mode
        deadline = .now + timeout
        let start = range?.start ?? 0
        self.start = start
        end = range?.end
        group = range?.group
        createLocal = range == nil
        let span = range?.end.map { $0 - start } ?? (size - start)
        let capacity = Int(min(2 << 20, max(32 << 10, span + 1)))
        // An upload keeps up to two buffers' worth (see `upload`).
        buffer = [CChar](repeating: 0, count: direction == .upload ? capacity * 2 : capacity)
        self.answer = answer
    }

    func step(_ context: SSHLoopContext) -> SSHStep {
        // (Not while a call, or the opening of a session, is under way: that must finish first.)
        if !busy, phase != .close, failure == nil, let stopped = group?.failure {
            failure = stopped
            return closeOrFinish(context)
        }
        switch phase {
        case .open:
            return open(context)
        case .transfer:
            return direction == .upload ? upload(context) : download(context)
        case .verify:
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            let code = libssh2_sftp_fstat_ex(handle, &attributes, 0)
            if pending(code == LibSSH2.again, context) { return .blocked }
            if code != 0 { return fail(context.sftpError(code, "reading the size of \(remotePath)", on: sftp!)) }
            let remoteSize = Int64(attributes.filesize)
            if remoteSize != transferred {
                failure = TapisError(.remoteFailure, "writing \(remotePath): the server holds \(remoteSize) of \(transferred) bytes (is its disk full?)")
            }
            phase = .close
            return .progress
        case .close:
            if callPending { return finishPendingCall(context) }
            if discard {
                sftpSessions?.discard(self)
                handle = nil
                return finish(context)
            }
            let code = libssh2_sftp_close_handle(handle)
            if pending(code == LibSSH2.again, context) { return .blocked }
            if code != 0, failure == nil { failure = context.sftpError(code, "closing \(remotePath)", on: sftp!) }
            handle = nil
            return finish(context)
        }
    }

    /// Whether a libssh2 call, or the opening of this operation's session, is under way.
    private var busy: Bool { callPending || sftpSessions?.isOpening(self) == true }

    /// Notes whether a call must be repeated; true when it must (EAGAIN).
    private func pending(_ again: Bool, _ context: SSHLoopContext) -> Bool {
        callPending = again
        return again
    }

    private func open(_ context: SSHLoopContext) -> SSHStep {
        if local < 0 {
            local = direction == .upload
                ? Glibc.open(localPath, O_RDONLY | O_CLOEXEC)
                : Glibc.open(localPath, createLocal ? O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC : O_WRONLY | O_CLOEXEC, 0o600)
            if local < 0 {
                failure = TapisError(.internal, "cannot open \(localPath) on the daemon's host: \(String(cString: strerror(errno)))")
                return finish(context)
            }
        }
        // The other parts of an upload wait until the first has created (and truncated) the file.
        if direction == .upload, start > 0, let group, !group.created { return .blocked }
        guard let sessions = sftpSessions else {
            failure = TapisError(.internal, "an SFTP transfer ran without SFTP sessions")
            return finish(context)
        }
        guard let sftp = sessions.acquire(self, context) else { return .blocked }
        self.sftp = sftp
        if !callPending, failure == nil, let stopped = group?.failure { failure = stopped }
        if failure != nil && !callPending { return finish(context) }
        let flags = direction == .download ? UInt(LIBSSH2_FXF_READ)
            : start == 0 ? UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC) : UInt(LIBSSH2_FXF_WRITE)
        guard let opened = clibssh2_sftp_open(sftp, remotePath, flags, mode, LIBSSH2_SFTP_OPENFILE) else {
            let code = context.lastErrno
            if pending(code == LibSSH2.again, context) { return .blocked }
            failure = context.sftpError(code, "opening \(remotePath)", on: sftp)
            return finish(context)
        }
        callPending = false
        handle = opened
        if start > 0 { libssh2_sftp_seek64(opened, UInt64(start)) }
        if direction == .upload && start == 0 { group?.markCreated() }
        if failure != nil { return closeOrFinish(context) }
        phase = .transfer
        return .progress
    }

    /// Keeps between one and two buffers of the range outstanding: libssh2 skips the bytes it
    /// already made into packets (it copies them), so the unsent tail can move to the front and
    /// more be read behind it while earlier writes await their acknowledgements.
    private func upload(_ context: SSHLoopContext) -> SSHStep {
        let half = buffer.count / 2
        if !localEOF && bufferEnd - bufferStart < half {
            if bufferStart > 0 {
                buffer.withUnsafeMutableBytes { bytes in
                    _ = memmove(bytes.baseAddress!, bytes.baseAddress! + bufferStart, bufferEnd - bufferStart)
                }
                bufferEnd -= bufferStart
                bufferStart = 0
            }
            var room = buffer.count - bufferEnd
            if let end { room = Int(min(Int64(room), end - start - localRead)) }
            let count = room == 0 ? 0 : buffer.withUnsafeMutableBytes { pread(local, $0.baseAddress! + bufferEnd, room, off_t(start + localRead)) }
            if count < 0 { return fail(TapisError(.internal, "reading \(localPath): \(String(cString: strerror(errno)))")) }
            if count == 0 { localEOF = true }
            bufferEnd += count
            localRead += Int64(count)
            return .progress
        }
        if bufferStart == bufferEnd {
            phase = group == nil ? .verify : .close
            return .progress
        }
        let written = buffer.withUnsafeBufferPointer { libssh2_sftp_write(handle, $0.baseAddress! + bufferStart, bufferEnd - bufferStart) }
        if pending(written == Int(LibSSH2.again), context) { return .blocked }
        guard written >= 0 else { return fail(context.sftpError(Int32(written), "writing \(remotePath)", on: sftp!)) }
        bufferStart += written
        transferred += Int64(written)
        return .progress
    }

    private func download(_ context: SSHLoopContext) -> SSHStep {
        var wanted = buffer.count
        if let end {
            let remaining = end - start - transferred
            if remaining <= 0 && !callPending {
                phase = .close
                return .progress
            }
            // Near the end of the range, ask for less: libssh2 reads four times the buffer ahead.
            wanted = Int(max(1, min(Int64(wanted), max(32 << 10, remaining / 4), remaining)))
        }
        let count = buffer.withUnsafeMutableBufferPointer { libssh2_sftp_read(handle, $0.baseAddress, wanted) }
        if pending(count == Int(LibSSH2.again), context) { return .blocked }
        guard count >= 0 else { return fail(context.sftpError(Int32(count), "reading \(remotePath)", on: sftp!)) }
        if count == 0 {
            phase = .close
            return .progress
        }
        var offset = 0
        while offset < count {
            let written = buffer.withUnsafeBytes { pwrite(local, $0.baseAddress! + offset, count - offset, off_t(start + transferred) + off_t(offset)) }
            if written < 0 { return fail(TapisError(.internal, "writing \(localPath): \(String(cString: strerror(errno)))")) }
            offset += written
        }
        transferred += Int64(count)
        return .progress
    }

    /// Repeats the interrupted read or write (its result no longer matters) so that the session
    /// is left idle, then lets the close go ahead.
    private func finishPendingCall(_ context: SSHLoopContext) -> SSHStep {
        let code = buffer.withUnsafeMutableBufferPointer { bytes -> Int in
            direction == .upload
                ? libssh2_sftp_write(handle, bytes.baseAddress! + bufferStart, max(1, bufferEnd - bufferStart))
                : libssh2_sftp_read(handle, bytes.baseAddress, bytes.count)
        }
        return pending(code == Int(LibSSH2.again), context) ? .blocked : .progress
    }

    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool {
        failure = failure ?? error
        group?.fail(failure!)
        abandoned += 1
        // A dead session has nothing left to close (it is freed with the connection). Otherwise the
        // call under way is finished and the handle closed, on later steps; if that too stalls past
        // a second deadline, the session is closed instead.
        if context.fatal != nil || handle == nil && !callPending && !(sftpSessions?.isOpening(self) ?? false) {
            callPending = false
            _ = finish(context)
            return true
        }
        if abandoned > 1 {
            sftpSessions?.discard(self)
            handle = nil
            callPending = false
            _ = finish(context)
            return true
        }
        deadline = .now + .seconds(60)
        if phase == .transfer { discard = true }
        phase = handle == nil ? .open : .close
        return false
    }

    /// After a failure: closes the handle if one is open, else finishes.
    private func closeOrFinish(_ context: SSHLoopContext) -> SSHStep {
        guard handle != nil else { return finish(context) }
        if phase == .transfer { discard = true }
        phase = .close
        return .progress
    }

    private func fail(_ error: TapisError) -> SSHStep {
        failure = failure ?? error
        group?.fail(failure!)
        if phase == .transfer { discard = true }
        phase = .close
        return .progress
    }

    /// Gives back the session and the local file and answers; the operation is done.
    private func finish(_ context: SSHLoopContext) -> SSHStep {
        if let failure { group?.fail(failure) }
        if context.fatal == nil { sftpSessions?.release(self) }
        if local >= 0 { close(local) }
        local = -1
        answer?(failure.map { .failure($0) } ?? .success(transferred))
        answer = nil
        return .done
    }
}
