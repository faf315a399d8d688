import CLibSSH2
import Synchronization
import TapisCore

/// An operation that works on an SFTP session of its connection: the connection hands it the
/// connection's sessions when it admits it (on the loop thread).
protocol SFTPSessionUser: AnyObject {
    var sftpSessions: SFTPSessions? { get set }
}

/// The SFTP sessions of one connection, each on its own channel; touched only by the loop thread.
///
/// libssh2 1.10 keeps the request state of an SFTP session in the session (one read, one write,
/// one path call of each kind at a time: two handles used at once on one session get each other's
/// replies), so a session serves one holder at a time, from its first call to its last. More
/// sessions let several transfers and path calls run side by side. The first session is opened at
/// login and kept; more are opened on demand, up to `limit`, while the connection's channel budget
/// allows, and closed again after `idleClose` unused or as soon as a command waits for a channel.
final class SFTPSessions {
    private final class Entry {
        let sftp: OpaquePointer
        var holder: ObjectIdentifier?
        var lastUsed = ContinuousClock.now
        init(_ sftp: OpaquePointer) { self.sftp = sftp }
    }

    /// Most SFTP sessions on one connection, the first one included.
    let limit: Int
    private let channelLimit: Int
    private let idleClose: Duration
    private var entries: [Entry]
    private var closing: [OpaquePointer] = []
    /// The operation driving `libssh2_sftp_init` (which keeps its state in the SSH session).
    private var opener: ObjectIdentifier?
    /// After the server refused another session, none is tried before this.
    private var refusedUntil: ContinuousClock.Instant?
    /// Channels that exec operations hold or wait to open, set by the connection as it admits them.
    var execChannels = 0

    init(primary: OpaquePointer, limit: Int, channelLimit: Int, idleClose: Duration = .seconds(10)) {
        entries = [Entry(primary)]
        self.limit = max(1, limit)
        self.channelLimit = channelLimit
        self.idleClose = idleClose
    }

    /// The channels the SFTP sessions hold (open, closing and being opened).
    var channelsHeld: Int { entries.count + closing.count + (opener == nil ? 0 : 1) }

    /// Channels the sessions beyond the first take (they count against the connection's channel
    /// limit, which keeps the total below sshd's MaxSessions).
    var extraChannels: Int { channelsHeld - min(entries.count, 1) }

    /// The session `owner` holds, else a free one, else (when `open` is true and the budget allows)
    /// a new one; nil while none is available (call again on a later step).
    /// A session's failure to open is not an error: the caller waits for one of the others.
    func acquire(_ owner: AnyObject, _ context: SSHLoopContext, open: Bool = true) -> OpaquePointer? {
        let id = ObjectIdentifier(owner)
        if let held = entries.first(where: { $0.holder == id }) { return held.sftp }
        if opener == id { return continueOpening(owner, context) }
        if let free = entries.first(where: { $0.holder == nil }) {
            free.holder = id
            free.lastUsed = .now
            return free.sftp
        }
        guard open, opener == nil, entries.count < limit, execChannels + extraChannels < channelLimit,
            refusedUntil.map({ $0 <= .now }) ?? true, context.acquire(owner)
        else { return nil }
        opener = id
        return continueOpening(owner, context)
    }

    private func continueOpening(_ owner: AnyObject, _ context: SSHLoopContext) -> OpaquePointer? {
        if let sftp = libssh2_sftp_init(context.session) {
            opener = nil
            context.release(owner)
            let entry = Entry(sftp)
            entry.holder = ObjectIdentifier(owner)
            entries.append(entry)
            return sftp
        }
        let code = context.lastErrno
        if code == LibSSH2.again { return nil }
        opener = nil
        context.release(owner)
        refusedUntil = .now + .seconds(60)
        // The server refusing another channel leaves the connection usable; a broken socket does not.
        let broken = [LIBSSH2_ERROR_SOCKET_NONE, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_DISCONNECT,
            LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_TIMEOUT].map { Int32($0) }
        if broken.contains(code) { _ = context.error(code, "opening another SFTP session") }
        return nil
    }

    /// Gives back the session `owner` holds (if any).
    func release(_ owner: AnyObject) {
        let id = ObjectIdentifier(owner)
        if opener == id { return }
        for entry in entries where entry.holder == id {
            entry.holder = nil
            entry.lastUsed = .now
        }
    }

    /// Closes the session `owner` holds instead of giving it back (a call on it never finished, so
    /// its state can serve no one else). The first session is replaced by the next one opened.
    func discard(_ owner: AnyObject) {
        let id = ObjectIdentifier(owner)
        guard let index = entries.firstIndex(where: { $0.holder == id }) else { return }
        closing.append(entries.remove(at: index).sftp)
        if entries.isEmpty { refusedUntil = nil }
    }

    /// Whether an operation is in the middle of opening a session (it must be stepped to finish).
    func isOpening(_ owner: AnyObject) -> Bool { opener == ObjectIdentifier(owner) }

    /// Closes extra sessions that are idle (all idle ones when `channelsWanted`); advances closes
    /// under way. Called by the loop on every turn; true when it made progress.
    func maintain(_ context: SSHLoopContext, channelsWanted: Bool) -> Bool {
        var progressed = false
        let now = ContinuousClock.now
        var index = entries.count - 1
        while index >= 1 {
            let entry = entries[index]
            if entry.holder == nil && (channelsWanted || now - entry.lastUsed > idleClose) {
                entries.remove(at: index)
                closing.append(entry.sftp)
            }
            index -= 1
        }
        closing.removeAll { sftp in
            let code = libssh2_sftp_shutdown(sftp)
            if code == LibSSH2.again { return false }
            progressed = true
            return true
        }
        return progressed
    }

    /// Whether a close is under way (the loop keeps stepping until it is done).
    var busy: Bool { !closing.isEmpty }

    /// Shuts every session down, in blocking mode, when the connection closes.
    func shutdownAll() {
        for entry in entries { libssh2_sftp_shutdown(entry.sftp) }
        for sftp in closing { libssh2_sftp_shutdown(sftp) }
        entries.removeAll()
        closing.removeAll()
    }
}

extension SSHLoopContext {
    /// The error for a failed call on the SFTP session `sftp` (with the server's SFTP status, when
    /// it sent one).
    func sftpError(_ code: Int32, _ what: String, on sftp: OpaquePointer) -> TapisError {
        if code != Int32(LIBSSH2_ERROR_SFTP_PROTOCOL) { return error(code, what) }
        return LibSSH2.sftpError(code, session: session, sftp: sftp, what, host: host)
    }
}

/// The parts of one file moved in ranges over several SFTP sessions at once: whether the first
/// part has created (and truncated) the remote file, so the others may open it, and the first
/// failure, which stops the other parts. Parts may run on different loop threads (when the
/// connection was replaced between them), hence the lock.
final class SFTPTransferGroup: Sendable {
    private struct State {
        var created = false
        var failure: TapisError?
    }

    private let state = Mutex(State())

    var created: Bool { state.withLock { $0.created } }
    var failure: TapisError? { state.withLock { $0.failure } }

    func markCreated() { state.withLock { $0.created = true } }

    /// Records the first failure; later ones are consequences.
    func fail(_ error: TapisError) { state.withLock { $0.failure = $0.failure ?? error } }
}
