import CLibSSH2
import TapisCore

/// One SFTP call on a path (stat, mkdir, rename, unlink, rmdir, chmod), on an SFTP session of the
/// connection held from the call's first try until it completes (libssh2 keeps its state there).
final class SFTPPathCall<Value: Sendable>: SSHOperation, SFTPSessionUser, @unchecked Sendable {
    let usesChannel = false
    var sftpSessions: SFTPSessions?
    private(set) var deadline: ContinuousClock.Instant
    private let call: (OpaquePointer) -> Int32
    private let result: (SSHLoopContext, OpaquePointer, Int32) -> Result<Value, TapisError>
    private var answer: ((Result<Value, TapisError>) -> Void)?
    private var started = false

    /// - Parameters:
    ///   - timeout: how long the call may take.
    ///   - call: the libssh2 call on the SFTP session given; returns its code (EAGAIN to be called again).
    ///   - result: the outcome for the final code (with the session, for its SFTP status).
    ///   - answer: called once.
    init(timeout: Duration, call: @escaping (OpaquePointer) -> Int32, result: @escaping (SSHLoopContext, OpaquePointer, Int32) -> Result<Value, TapisError>,
         answer: @escaping (Result<Value, TapisError>) -> Void) {
        deadline = .now + timeout
        self.call = call
        self.result = result
        self.answer = answer
    }

    func step(_ context: SSHLoopContext) -> SSHStep {
        guard let sessions = sftpSessions else {
            finish(.failure(TapisError(.internal, "an SFTP call ran without SFTP sessions")))
            return .done
        }
        guard let sftp = sessions.acquire(self, context) else { return .blocked }
        if answer == nil {
            // Abandoned while its session was opening: nothing is left to do.
            sessions.release(self)
            return .done
        }
        let code = call(sftp)
        started = true
        if code == LibSSH2.again { return .blocked }
        let outcome = result(context, sftp, code)
        sessions.release(self)
        finish(outcome)
        return .done
    }

    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool {
        if sftpSessions?.isOpening(self) == true {
            // The new session's opening must still be finished; it is given back once open.
            finish(.failure(error))
            deadline = .now + .seconds(60)
            return false
        }
        // A call left half done would hand its state to the session's next user: close the session.
        if context.fatal == nil { started ? sftpSessions?.discard(self) : sftpSessions?.release(self) }
        finish(.failure(error))
        return true
    }

    private func finish(_ result: Result<Value, TapisError>) {
        answer?(result)
        answer = nil
    }
}

/// Attributes filled by a stat call on the loop thread.
final class SFTPAttributes: @unchecked Sendable {
    // Written by the loop thread during the call, read by the caller after it is answered.
    var raw = LIBSSH2_SFTP_ATTRIBUTES()

    var isDirectory: Bool { raw.permissions & UInt(LIBSSH2_SFTP_S_IFMT) == UInt(LIBSSH2_SFTP_S_IFDIR) }
}
