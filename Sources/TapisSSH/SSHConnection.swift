import CoreMetrics
import CLibSSH2
import CTapisSystem
import Foundation
import Logging
import Synchronization
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection and SSH session to an endpoint, shared by every caller, driven by a thread
/// of its own: libssh2 runs non-blocking, operations are advanced until they would block, and the
/// thread then waits in poll(2) on the socket and a wake pipe. At most `channelLimit` operations
/// that hold a channel run at once, less the SFTP sessions opened beyond the first (see
/// `SFTPSessions`); the rest wait their turn.
///
/// libssh2 encrypts a packet before it sends it, and a packet the socket took only part of must be
/// finished by the same call before any other packet goes out (1.10 answers any other with
/// LIBSSH2_ERROR_BAD_USE). So the operation whose step left the session blocked outbound is the
/// only one stepped until that packet is out.
final class SSHConnection: @unchecked Sendable {
    // Shared state lives in `shared` (a Mutex); everything else is set once or touched only by
    // the loop thread.
    let endpoint: SSHEndpoint
    let channelLimit: Int
    /// SFTP sessions (channels) at most on this connection.
    let sftpSessionLimit: Int
    private let credential: SSHCredential
    private let hostKeys: HostKeyPolicy
    private let connectTimeout: Duration
    private let logger: Logger
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let shared = Mutex(Shared())
    /// The channels this connection holds, commands and SFTP sessions (counted in `channelsInUse`);
    /// the loop thread's.
    private var channelsHeld = 0
    /// The channels every connection of the process holds (`tapisd_ssh_channels`); no label names
    /// a host or login, which are users' own.
    private static let channelsInUse = Mutex(0)

    private struct Shared {
        var pending: [any SSHOperation] = []
        var running = 0
        var state = State.starting
        var lastUsed = ContinuousClock.now
    }

    enum State: Equatable {
        case starting, ready, closing, dead
    }

    init(endpoint: SSHEndpoint, credential: SSHCredential, hostKeys: HostKeyPolicy, channelLimit: Int, connectTimeout: Duration, logger: Logger,
         sftpSessionLimit: Int = 4) {
        _ = LibSSH2.initialized
        self.endpoint = endpoint
        self.credential = credential
        self.hostKeys = hostKeys
        self.channelLimit = max(1, channelLimit)
        self.sftpSessionLimit = max(1, min(sftpSessionLimit, channelLimit))
        self.connectTimeout = connectTimeout
        self.logger = logger
        var pipe: [Int32] = [-1, -1]
        _ = ctapis_pipe_cloexec(&pipe)
        _ = fcntl(pipe[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(pipe[1], F_SETFL, O_NONBLOCK)
        wakeRead = pipe[0]
        wakeWrite = pipe[1]
    }

    deinit {
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Connects, checks the host key and logs in, on the connection's own thread.
    /// - Throws: `TapisError` saying what failed, for which endpoint.
    func start() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread { [self] in self.main(started: continuation) }
            thread.name = "ssh \(endpoint)"
            thread.start()
        }
    }

    /// The connection's state.
    var state: State { shared.withLock { $0.state } }

    /// Operations queued or running, and when it was last used (for idle close).
    var load: (operations: Int, lastUsed: ContinuousClock.Instant) {
        shared.withLock { ($0.pending.count + $0.running, $0.lastUsed) }
    }

    /// Hands an operation to the loop.
    /// - Throws: `TapisError.unavailable` when the connection is closed or dead.
    func enqueue(_ operation: any SSHOperation) throws(TapisError) {
        try shared.withLock { (shared) throws(TapisError) in
            guard shared.state == .ready else {
                throw TapisError(.unavailable, "the SSH connection to \(endpoint) is closed")
            }
            shared.pending.append(operation)
            shared.lastUsed = .now
        }
        wake()
    }

    /// Asks the loop to finish what it runs and close.
    func close() {
        shared.withLock { shared in
            if shared.state == .ready || shared.state == .starting { shared.state = .closing }
        }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The loop thread

    private func main(started: CheckedContinuation<Void, any Error>) {
        let socket: Int32
        let session: OpaquePointer
        let sftp: OpaquePointer
        do {
            socket = try TCPConnector.connect(host: endpoint.host, port: endpoint.port, timeout: connectTimeout)
            guard let newSession = clibssh2_session_init() else {
                Glibc.close(socket)
                throw TapisError(.internal, "libssh2 could not create a session")
            }
            session = newSession
            do {
                sftp = try SSHLogin(session: session, socket: socket, endpoint: endpoint, credential: credential, hostKeys: hostKeys, timeout: connectTimeout).perform()
            } catch {
                libssh2_session_free(session)
                Glibc.close(socket)
                throw error
            }
        } catch {
            shared.withLock { $0.state = .dead }
            started.resume(throwing: error)
            return
        }
        libssh2_keepalive_config(session, 1, 30)
        libssh2_session_set_blocking(session, 0)
        shared.withLock { shared in if shared.state == .starting { shared.state = .ready } }
        logger.debug("ssh connection open", metadata: ["ssh.endpoint": "\(endpoint)"])
        started.resume()

        let context = SSHLoopContext(session: session, sftp: sftp, host: endpoint.description)
        let sftpSessions = SFTPSessions(primary: sftp, limit: sftpSessionLimit, channelLimit: channelLimit)
        run(context, sftpSessions: sftpSessions, socket: socket)

        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, 2000)
        sftpSessions.shutdownAll()
        _ = clibssh2_session_disconnect(session, "tapisd closing")
        libssh2_session_free(session)
        Glibc.close(socket)
        countChannels(0)
        logger.debug("ssh connection closed", metadata: ["ssh.endpoint": "\(endpoint)"])
    }

    private func run(_ context: SSHLoopContext, sftpSessions: SFTPSessions, socket: Int32) {
        var active: [any SSHOperation] = []
        // The operation (or the SFTP sessions' closing) with a packet half sent, if any.
        var sender: ObjectIdentifier?
        let sessionsID = ObjectIdentifier(sftpSessions)
        while true {
            let (closing, channelsWanted) = admit(into: &active, sftpSessions: sftpSessions)
            var progressed = false
            var index = 0
            while index < active.count {
                let id = ObjectIdentifier(active[index])
                if let sender, sender != id {
                    index += 1
                    continue
                }
                let step = active[index].step(context)
                sender = clibssh2_session_blocked_outbound(context.session) != 0 ? id : nil
                switch step {
                case .done:
                    active.remove(at: index)
                    progressed = true
                    if sender == id { sender = nil }
                    continue
                case .progress:
                    progressed = true
                case .blocked:
                    break
                }
                index += 1
            }
            if sender == nil || sender == sessionsID {
                if sftpSessions.maintain(context, channelsWanted: channelsWanted) { progressed = true }
                sender = clibssh2_session_blocked_outbound(context.session) != 0 && sftpSessions.busy ? sessionsID : nil
            }
            let now = ContinuousClock.now
            active.removeAll { operation in
                guard operation.deadline < now else { return false }
                return operation.abandon(context, error: TapisError(.unavailable, "an SSH operation on \(endpoint) timed out"))
            }
            if let current = sender, current != sessionsID, !active.contains(where: { ObjectIdentifier($0) == current }) { sender = nil }
            if let fatal = context.fatal {
                logger.warning("ssh connection lost", metadata: ["ssh.endpoint": "\(endpoint)", "error": "\(fatal.message)"])
                let stranded = shared.withLock { shared -> [any SSHOperation] in
                    shared.state = .dead
                    defer { shared.pending.removeAll() }
                    return shared.pending
                }
                for operation in active + stranded { _ = operation.abandon(context, error: fatal) }
                return
            }
            shared.withLock { $0.running = active.count }
            if closing && active.isEmpty && shared.withLock({ $0.pending.isEmpty }) { return }
            if progressed { continue }
            if active.isEmpty && sftpSessions.busy {
                wait(socket: socket, session: context.session, busy: true)
                continue
            }
            if active.isEmpty && sender == nil {
                var seconds: Int32 = 0
                _ = libssh2_keepalive_send(context.session, &seconds)
            }
            wait(socket: socket, session: context.session, busy: !active.isEmpty)
        }
    }

    /// Publishes that this connection now holds `held` channels.
    private func countChannels(_ held: Int) {
        let change = held - channelsHeld
        channelsHeld = held
        guard change != 0 else { return }
        let total = Self.channelsInUse.withLock { total in
            total += change
            return total
        }
        Gauge(label: "tapisd_ssh_channels").record(total)
    }

    /// Moves queued operations into `active` up to the channel limit (less the extra SFTP
    /// sessions' channels), handing SFTP operations the sessions; returns whether the connection is
    /// closing and whether a command waits for a channel.
    private func admit(into active: inout [any SSHOperation], sftpSessions: SFTPSessions) -> (closing: Bool, channelsWanted: Bool) {
        shared.withLock { shared in
            var channels = active.filter(\.usesChannel).count
            let limit = channelLimit - sftpSessions.extraChannels
            var wanted = false
            var index = 0
            while index < shared.pending.count {
                let operation = shared.pending[index]
                if operation.usesChannel {
                    if channels >= limit {
                        wanted = true
                        index += 1
                        continue
                    }
                    channels += 1
                }
                (operation as? any SFTPSessionUser)?.sftpSessions = sftpSessions
                active.append(operation)
                shared.pending.remove(at: index)
            }
            sftpSessions.execChannels = channels
            countChannels(channels + sftpSessions.channelsHeld)
            shared.running = active.count
            if !active.isEmpty { shared.lastUsed = .now }
            return (shared.state == .closing, wanted)
        }
    }

    /// Sleeps until the socket is ready in the direction libssh2 waits on, work arrives, or (while
    /// operations run) 10 ms pass: libssh2 may hold data it read for another operation.
    private func wait(socket: Int32, session: OpaquePointer, busy: Bool) {
        var events: Int16 = 0
        if busy {
            if clibssh2_session_blocked_inbound(session) != 0 { events |= Int16(POLLIN) }
            if clibssh2_session_blocked_outbound(session) != 0 { events |= Int16(POLLOUT) }
            if events == 0 { events = Int16(POLLIN) }
        }
        var fds = [pollfd(fd: socket, events: events, revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, busy ? 10 : 15_000)
        if fds[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &buffer, buffer.count) > 0 {}
        }
    }
}
