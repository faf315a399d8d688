import CLibSSH2
import Foundation
import TapisCore

/// Lists one remote directory: open, read every entry, close, all in the connection's exclusive
/// turn (libssh2 1.10 mixes up replies between SFTP handles used at once).
final class SFTPListOperation: SSHOperation, @unchecked Sendable {
    enum Phase { case open, read, close }

    let usesChannel = false
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
            guard context.acquire(self) else { return .blocked }
            guard let opened = clibssh2_sftp_open(context.sftp, path, 0, 0, LIBSSH2_SFTP_OPENDIR) else {
                let code = context.lastErrno
                if code == LibSSH2.again { return .blocked }
                context.release(self)
                finish(.failure(context.sftpError(code, "listing \(path)")))
                return .done
            }
            handle = opened
            phase = .read
            return .progress
        case .read:
            var name = [CChar](repeating: 0, count: 4096)
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            let count = clibssh2_sftp_readdir(handle, &name, name.count, &attributes)
            if count == LibSSH2.again { return .blocked }
            if count < 0 {
                failure = context.sftpError(count, "listing \(path)")
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
            let code = libssh2_sftp_close_handle(handle)
            if code == LibSSH2.again { return .blocked }
            context.release(self)
            finish(failure.map { .failure($0) } ?? .success(entries.sorted { $0.path < $1.path }))
            return .done
        }
    }

    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool {
        context.release(self)
        failure = failure ?? error
        finish(.failure(failure!))
        deadline = .now + .seconds(60)
        guard context.fatal == nil, handle != nil, phase != .open else { return true }
        phase = .close
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
