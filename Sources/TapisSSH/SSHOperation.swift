import CLibSSH2
import TapisCore

/// A unit of work a connection's event loop advances: `step` makes what progress it can without
/// blocking and says whether it finished. An operation is handed from its caller to the loop once
/// and from then on touched only by the loop thread, which is why implementations are
/// `@unchecked Sendable`.
protocol SSHOperation: AnyObject, Sendable {
    /// Whether this operation holds an SSH channel (and so counts against the channel cap).
    var usesChannel: Bool { get }
    /// When the operation gives up.
    var deadline: ContinuousClock.Instant { get }
    /// Advances the operation.
    func step(_ context: SSHLoopContext) -> SSHStep
    /// Answers the caller with `error` (the connection failed or the deadline passed). Returns true
    /// when nothing is left to do, false when further steps must still close what it holds.
    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool
}

/// What one call to `step` achieved.
enum SSHStep {
    /// Finished (its caller has been answered).
    case done
    /// Moved forward; call again soon.
    case progress
    /// Waiting on the network (or on the exclusive lock).
    case blocked
}

/// What operations see of their connection, on the loop thread only.
final class SSHLoopContext {
    let session: OpaquePointer
    let sftp: OpaquePointer
    let host: String
    /// libssh2 keeps the state of a channel open and of SFTP path calls in the session, and 1.10
    /// mixes up replies between SFTP handles used at once; so one such call, or one SFTP handle
    /// from open to close, is in flight at a time: the operation doing it holds this.
    private var exclusiveHolder: ObjectIdentifier?
    /// Set when a call reported that the session itself is dead.
    var fatal: TapisError?

    init(session: OpaquePointer, sftp: OpaquePointer, host: String) {
        self.session = session
        self.sftp = sftp
        self.host = host
    }

    /// Takes the exclusive right to a session-state call, if free (or already held by `owner`).
    func acquire(_ owner: AnyObject) -> Bool {
        let id = ObjectIdentifier(owner)
        if exclusiveHolder == nil { exclusiveHolder = id }
        return exclusiveHolder == id
    }

    func release(_ owner: AnyObject) {
        if exclusiveHolder == ObjectIdentifier(owner) { exclusiveHolder = nil }
    }

    /// The last error number of the session (for calls that return NULL).
    var lastErrno: Int32 { libssh2_session_last_errno(session) }

    /// The error for a failed session/channel call; a transient one also marks the session dead.
    func error(_ code: Int32, _ what: String) -> TapisError {
        let error = LibSSH2.error(code, session: session, what, host: host)
        if LibSSH2.isTransient(code) { fatal = fatal ?? error }
        return error
    }

    /// The error for a failed SFTP call.
    func sftpError(_ code: Int32, _ what: String) -> TapisError {
        if code != Int32(LIBSSH2_ERROR_SFTP_PROTOCOL) { return error(code, what) }
        return LibSSH2.sftpError(code, session: session, sftp: sftp, what, host: host)
    }
}
