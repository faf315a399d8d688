import CLibSSH2
import TapisCore

/// One SFTP call on a path (stat, mkdir, rename, unlink, rmdir, chmod). libssh2 keeps the state of
/// these in the SFTP session, so the call holds the connection's exclusive lock until it is done.
final class SFTPPathCall<Value: Sendable>: SSHOperation, @unchecked Sendable {
    let usesChannel = false
    private(set) var deadline: ContinuousClock.Instant
    private let call: (SSHLoopContext) -> Int32
    private let result: (SSHLoopContext, Int32) -> Result<Value, TapisError>
    private var answer: ((Result<Value, TapisError>) -> Void)?

    /// - Parameters:
    ///   - timeout: how long the call may take.
    ///   - call: the libssh2 call; returns its code (EAGAIN to be called again).
    ///   - result: the outcome for the final code.
    ///   - answer: called once.
    init(timeout: Duration, call: @escaping (SSHLoopContext) -> Int32, result: @escaping (SSHLoopContext, Int32) -> Result<Value, TapisError>,
         answer: @escaping (Result<Value, TapisError>) -> Void) {
        deadline = .now + timeout
        self.call = call
        self.result = result
        self.answer = answer
    }

    func step(_ context: SSHLoopContext) -> SSHStep {
        guard context.acquire(self) else { return .blocked }
        let code = call(context)
        if code == LibSSH2.again { return .blocked }
        context.release(self)
        answer?(result(context, code))
        answer = nil
        return .done
    }

    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool {
        context.release(self)
        answer?(.failure(error))
        answer = nil
        return true
    }
}

/// Attributes filled by a stat call on the loop thread.
final class SFTPAttributes: @unchecked Sendable {
    // Written by the loop thread during the call, read by the caller after it is answered.
    var raw = LIBSSH2_SFTP_ATTRIBUTES()

    var isDirectory: Bool { raw.permissions & UInt(LIBSSH2_SFTP_S_IFMT) == UInt(LIBSSH2_SFTP_S_IFDIR) }
}
