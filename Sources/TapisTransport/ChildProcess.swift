import CTapisSystem
import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// A process started with `posix_spawn` in its own process group, with default signal handling
/// (the daemon ignores some signals; its children must not inherit that), its pipes non-inherited,
/// and every blocking call (read, write, wait) moved off Swift's cooperative pool.
final class ChildProcess: Sendable {
    let pid: pid_t
    let stdin: Int32?
    let stdout: Int32
    let stderr: Int32

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
    }

    /// The next chunk from `fd`, or nil at end of file.
    func readChunk(_ fd: Int32, size: Int = 256 * 1024) async throws -> [UInt8]? {
        try await Blocking.run {
            var buffer = [UInt8](repeating: 0, count: size)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, size) }
                if count > 0 { return Array(buffer.prefix(count)) }
                if count == 0 { return nil }
                if errno != EINTR { throw TapisError(.unavailable, "reading from a child process: \(String(cString: strerror(errno)))") }
            }
        }
    }

    /// Everything `fd` yields until end of file.
    func readAll(_ fd: Int32) async throws -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try await readChunk(fd) { all += chunk }
        return all
    }

    /// Writes `bytes` to standard input, then closes it.
    func writeInput(_ bytes: [UInt8]) async throws {
        guard let fd = stdin else { return }
        try await Blocking.run {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { return }
                    throw TapisError(.unavailable, "writing to a child process: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }

    /// Waits for the process to end; its exit status, or 128 + signal number.
    func wait() async throws -> Int32 {
        try await Blocking.run { [pid] in
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

/// Runs blocking calls on a thread of their own, never on the cooperative pool. (GCD's global
/// queues keep about one thread per core and grow slowly when those block, so a few concurrent
/// reads would queue behind each other on a small machine.)
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }
}
