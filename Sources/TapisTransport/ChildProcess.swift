import CTapisSystem
import Foundation
import Synchronization
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// A process started with `posix_spawn` in its own process group, with default signal handling
/// (the daemon ignores some signals; its children must not inherit that) and its pipes
/// non-inherited. Its I/O and `waitpid` are blocking calls on `BlockingPool`; standard output and
/// error are read together (with `poll`), so a process that fills one pipe never stalls on the
/// other.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let stdin: Int32?
    private let stdout: Int32
    private let stderr: Int32
    /// What is left to read, and standard error read while waiting for standard output.
    private let pending = Mutex<Pending>(Pending())

    private struct Pending {
        var stdoutOpen = true
        var stderrOpen = true
        var errors: [UInt8] = []
    }

    /// Starts `arguments[0]` (an absolute path) with the rest as its arguments.
    /// - Throws: `TapisError.unavailable` if the process cannot be started.
    init(arguments: [String], environment: [String], withInput: Bool) throws {
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard ctapis_pipe_cloexec(&outputPipe) == 0, ctapis_pipe_cloexec(&errorPipe) == 0,
            !withInput || ctapis_pipe_cloexec(&inputPipe) == 0
        else { throw TapisError(.unavailable, "cannot create pipes: \(String(cString: strerror(errno)))") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if withInput {
            posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        close(outputPipe[1])
        close(errorPipe[1])
        if withInput { close(inputPipe[0]) }
        guard rc == 0 else {
            [outputPipe[0], errorPipe[0]].forEach { close($0) }
            if withInput { close(inputPipe[1]) }
            throw TapisError(.unavailable, "cannot start \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        pid = child
        stdin = withInput ? inputPipe[1] : nil
        stdout = outputPipe[0]
        stderr = errorPipe[0]
        if let stdin { _ = fcntl(stdin, F_SETFL, fcntl(stdin, F_GETFL) | O_NONBLOCK) }
    }

    /// Feeds `input` to standard input (then closes it) and reads standard output and error to
    /// their ends, as one call on the pool. The process group is killed at `deadline` or when the
    /// task is cancelled.
    /// - Returns: both outputs and whether the deadline killed the process.
    func communicate(input: [UInt8]?, deadline: ContinuousClock.Instant) async throws -> (stdout: [UInt8], stderr: [UInt8], timedOut: Bool) {
        try await withTaskCancellationHandler {
            try await BlockingPool.run { try self.communicateBlocking(input: input ?? [], deadline: deadline) }
        } onCancel: {
            killGroup()
        }
    }

    private func communicateBlocking(input: [UInt8], deadline: ContinuousClock.Instant) throws -> (stdout: [UInt8], stderr: [UInt8], timedOut: Bool) {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var inputFd = stdin
        var written = 0
        var open: [Int32: Bool] = [stdout: true, stderr: true]
        var timedOut = false
        if input.isEmpty, let fd = inputFd {
            close(fd)
            inputFd = nil
        }
        while open.values.contains(true) {
            var fds = open.filter(\.value).map { pollfd(fd: $0.key, events: Int16(POLLIN), revents: 0) }
            if let fd = inputFd { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            let remaining = ContinuousClock.now.duration(to: deadline)
            let milliseconds = timedOut ? -1 : max(0, Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&fds, nfds_t(fds.count), milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw TapisError(.unavailable, "waiting for a child process: \(String(cString: strerror(errno)))")
            }
            if ready == 0 {
                timedOut = true
                killGroup()
                if let fd = inputFd { close(fd) }
                inputFd = nil
                continue
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inputFd {
                    let count = input.withUnsafeBytes { Glibc.write(entry.fd, $0.baseAddress! + written, input.count - written) }
                    if count > 0 { written += count }
                    if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                        close(entry.fd)
                        inputFd = nil
                    }
                } else if let chunk = try readAvailable(entry.fd) {
                    if entry.fd == stdout { output += chunk } else { errors += chunk }
                } else {
                    open[entry.fd] = false
                }
            }
        }
        pending.withLock { $0 = Pending(stdoutOpen: false, stderrOpen: false) }
        return (output, errors, timedOut)
    }

    /// The next chunk of standard output, or nil at its end; standard error is kept meanwhile (see
    /// `remainingErrors()`).
    func readChunk() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await BlockingPool.run { try self.readChunkBlocking() }
        } onCancel: {
            killGroup()
        }
    }

    private func readChunkBlocking() throws -> [UInt8]? {
        while true {
            let (stdoutOpen, stderrOpen) = pending.withLock { ($0.stdoutOpen, $0.stderrOpen) }
            guard stdoutOpen else { return nil }
            var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)]
            if stderrOpen { fds.append(pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                throw TapisError(.unavailable, "waiting for a child process: \(String(cString: strerror(errno)))")
            }
            if fds.count > 1, fds[1].revents != 0 {
                let chunk = try readAvailable(stderr)
                pending.withLock { pending in
                    if let chunk { pending.errors += chunk } else { pending.stderrOpen = false }
                }
            }
            if fds[0].revents != 0 {
                if let chunk = try readAvailable(stdout) { return chunk }
                pending.withLock { $0.stdoutOpen = false }
                return nil
            }
        }
    }

    /// Standard error: what was kept while reading standard output, and the rest to its end.
    func remainingErrors() async throws -> [UInt8] {
        try await BlockingPool.run {
            var errors = self.pending.withLock { $0.errors }
            if self.pending.withLock({ $0.stderrOpen }) {
                while let chunk = try self.readAvailable(self.stderr) { errors += chunk }
                self.pending.withLock { $0.stderrOpen = false }
            }
            return errors
        }
    }

    /// One read from `fd`: the bytes, or nil at end of file.
    private func readAvailable(_ fd: Int32) throws -> [UInt8]? {
        let size = 256 * 1024
        var buffer = [UInt8](repeating: 0, count: size)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, size) }
            if count > 0 { return Array(buffer.prefix(count)) }
            if count == 0 { return nil }
            if errno != EINTR { throw TapisError(.unavailable, "reading from a child process: \(String(cString: strerror(errno)))") }
        }
    }

    /// Waits for the process to end; its exit status, or 128 + signal number.
    func wait() async throws -> Int32 {
        try await BlockingPool.run { [pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                if errno != EINTR { throw TapisError(.internal, "waitpid: \(String(cString: strerror(errno)))") }
            }
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }
    }

    /// Kills the process and everything in its process group.
    func killGroup() {
        Glibc.kill(-pid, SIGKILL)
    }

    /// Closes the read ends (after the process ended).
    func closeOutputs() {
        close(stdout)
        close(stderr)
    }
}
