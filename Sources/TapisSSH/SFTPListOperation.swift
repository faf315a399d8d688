import CLibSSH2
import Foundation
import TapisCore

/// Lists one remote directory: open, read every entry, close, all on one SFTP session of the
/// connection held throughout (libssh2 1.10 mixes up replies between SFTP handles used at once on
/// one session).
final class SFTPListOperation: SSHOperation, SFTPSessionUser, @unchecked Sendable {
    enum Phase { case open, read, close }

    let usesChannel = false
    var sftpSessions: SFTPSessions?
    private var sftp: OpaquePointer?
    private var callPending = false
    private var abandoned = 0
    private(set) var deadline: ContinuousClock.Instant
    private let path: String
    private var phase = Phase.open
    private var handle: OpaquePointer?
    private var entries: [RemoteFile] = []
    private var failure: TapisError?
    private var answer: ((Result<[RemoteFile], TapisError>) -> Void)?

    init(path: String, timeout: Duration, answer: @escaping (Result<[RemoteFile], TapisError>) -> Void) {
        self.path = path
        deadline = .now + timeout
        self.answer = answer
    }

    func step(_ context: SSHLoopContext) -> SSHStep {
        switch phase {
        case .open:
            guard let sessions = sftpSessions else {
                finish(.failure(TapisError(.internal, "an SFTP listing ran without SFTP sessions")))
                return .done
            }
            guard let sftp = sessions.acquire(self, context) else { return .blocked }
            self.sftp = sftp
            if answer == nil && !callPending {
                sessions.release(self)
                return .done
            }
            guard let opened = clibssh2_sftp_open(sftp, path, 0, 0, LIBSSH2_SFTP_OPENDIR) else {
                let code = context.lastErrno
                callPending = code == LibSSH2.again
                if callPending { return .blocked }
                sessions.release(self)
                finish(.failure(context.sftpError(code, "listing \(path)", on: sftp)))
                return .done
            }
            callPending = false
            handle = opened
            if answer == nil {
                phase = .close
                return .progress
            }
            phase = .read
            return .progress
        case .read:
            var name = [CChar](repeating: 0, count: 4096)
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            let count = clibssh2_sftp_readdir(handle, &name, name.count, &attributes)
            callPending = count == LibSSH2.again
            if callPending { return .blocked }
            if count < 0 {
                failure = context.sftpError(count, "listing \(path)", on: sftp!)
                phase = .close
                return .progress
            }
            if count == 0 {
                phase = .close
                return .progress
            }
            let entry = String(decoding: name.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if entry != "." && entry != ".." { entries.append(Self.file(named: entry, path: entry, attributes)) }
            return .progress
        case .close:
            if callPending {
                // A read under way is finished first (its state lives in the session).
                var name = [CChar](repeating: 0, count: 4096)
                var attributes = LIBSSH2_SFTP_ATTRIBUTES()
                callPending = clibssh2_sftp_readdir(handle, &name, name.count, &attributes) == LibSSH2.again
                return callPending ? .blocked : .progress
            }
            let code = libssh2_sftp_close_handle(handle)
            if code == LibSSH2.again { return .blocked }
            handle = nil
            sftpSessions?.release(self)
            finish(failure.map { .failure($0) } ?? .success(entries.sorted { $0.path < $1.path }))
            return .done
        }
    }

    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool {
        failure = failure ?? error
        finish(.failure(failure!))
        if context.fatal != nil { return true }
        abandoned += 1
        if abandoned > 1 {
            // Its close stalled too: the session goes rather than serve anyone in that state.
            sftpSessions?.discard(self)
            return true
        }
        deadline = .now + .seconds(60)
        if handle == nil && !callPending && !(sftpSessions?.isOpening(self) ?? false) {
            sftpSessions?.release(self)
            return true
        }
        if handle != nil { phase = .close }
        return false
    }

    private func finish(_ result: Result<[RemoteFile], TapisError>) {
        answer?(result)
        answer = nil
    }

    /// A listing entry from SFTP attributes.
    static func file(named name: String, path: String, _ attributes: LIBSSH2_SFTP_ATTRIBUTES) -> RemoteFile {
        let kind = attributes.permissions & UInt(LIBSSH2_SFTP_S_IFMT)
        let type = kind == UInt(LIBSSH2_SFTP_S_IFDIR) ? "dir" : kind == UInt(LIBSSH2_SFTP_S_IFREG) ? "file" : "other"
        return RemoteFile(
            name: name, path: path, type: type, size: Int64(attributes.filesize),
            lastModified: Date(timeIntervalSince1970: TimeInterval(attributes.mtime)),
            nativePermissions: String(attributes.permissions & 0o7777, radix: 8))
    }
}
