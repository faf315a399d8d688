import CLibSSH2
import TapisCore
import TapisTransport

#if canImport(Glibc)
import Glibc
#endif

/// Runs one command on its own channel: open, exec, feed stdin, read stdout and stderr together
/// (so neither window can fill and stall the other), close, collect the exit status, free.
final class ExecOperation: SSHOperation, @unchecked Sendable {
    enum Phase { case open, exec, input, eof, read, close, waitClosed, free }

    let usesChannel = true
    private(set) var deadline: ContinuousClock.Instant
    private let command: String
    private let input: [UInt8]
    private var inputOffset = 0
    private var phase = Phase.open
    private var channel: OpaquePointer?
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    private var status: Int32 = -1
    private var failure: TapisError?
    /// Whether the command may have started (a failure before that is safe to retry elsewhere).
    private(set) var started = false
    /// Takes stdout as it comes when streaming; returns false (keeping nothing) while it is full.
    private let stdoutSink: (([UInt8]) -> Bool)?
    private var answer: ((Result<CommandResult, TapisError>, Bool) -> Void)?

    /// - Parameters:
    ///   - command: the command line (already quoted).
    ///   - input: bytes for its standard input.
    ///   - timeout: how long it may take.
    ///   - stdoutSink: when given, stdout goes there instead of into the result.
    ///   - answer: called once with the result and whether the command may have started.
    init(command: String, input: [UInt8], timeout: Duration, stdoutSink: (([UInt8]) -> Bool)? = nil,
         answer: @escaping (Result<CommandResult, TapisError>, Bool) -> Void) {
        self.command = command
        self.input = input
        deadline = .now + timeout
        self.stdoutSink = stdoutSink
        self.answer = answer
    }

    func step(_ context: SSHLoopContext) -> SSHStep {
        switch phase {
        case .open:
            // Held until the server accepted the command: libssh2 1.10 takes another channel's
            // CHANNEL_SUCCESS for a failure of this one when two start at once.
            guard context.acquire(self) else { return .blocked }
            guard let opened = clibssh2_channel_open_session(context.session) else {
                let code = context.lastErrno
                if code == LibSSH2.again { return .blocked }
                context.release(self)
                finish(.failure(context.error(code, "opening a channel")))
                return .done
            }
            channel = opened
            phase = .exec
            return .progress
        case .exec:
            let code = clibssh2_channel_exec(channel, command)
            if code == LibSSH2.again { return .blocked }
            context.release(self)
            started = true
            guard code == 0 else { return fail(context.error(code, "starting a command")) }
            phase = input.isEmpty ? .eof : .input
            return .progress
        case .input:
            let written = input.withUnsafeBytes { bytes in
                clibssh2_channel_write(channel, bytes.baseAddress!.assumingMemoryBound(to: CChar.self) + inputOffset, input.count - inputOffset)
            }
            if written == Int(LibSSH2.again) { return readAvailable(context) }
            guard written >= 0 else { return fail(context.error(Int32(written), "sending a command's input")) }
            inputOffset += written
            if inputOffset == input.count { phase = .eof }
            return .progress
        case .eof:
            let code = libssh2_channel_send_eof(channel)
            if code == LibSSH2.again { return .blocked }
            guard code == 0 else { return fail(context.error(code, "closing a command's input")) }
            phase = .read
            return .progress
        case .read:
            return readAvailable(context)
        case .close:
            let code = libssh2_channel_close(channel)
            if code == LibSSH2.again { return .blocked }
            phase = .waitClosed
            return .progress
        case .waitClosed:
            let code = libssh2_channel_wait_closed(channel)
            if code == LibSSH2.again { return .blocked }
            status = exitStatus()
            phase = .free
            return .progress
        case .free:
            let code = libssh2_channel_free(channel)
            if code == LibSSH2.again { return .blocked }
            channel = nil
            if let failure {
                finish(.failure(failure))
            } else {
                finish(.success(CommandResult(status: status, stdout: stdout, stderr: stderr)))
            }
            return .done
        }
    }

    func abandon(_ context: SSHLoopContext, error: TapisError) -> Bool {
        context.release(self)
        finish(.failure(failure ?? error))
        failure = failure ?? error
        deadline = .now + .seconds(60)
        guard context.fatal == nil, channel != nil else { return true }
        if phase != .waitClosed && phase != .free { phase = .close }
        return false
    }

    private func readAvailable(_ context: SSHLoopContext) -> SSHStep {
        var progressed = false
        var buffer = [CChar](repeating: 0, count: 64 * 1024)
        for stream in [Int32(0), Int32(SSH_EXTENDED_DATA_STDERR)] {
            // While streaming, stdout waits in `stdout` for the sink; stop reading it at 1 MiB.
            while stream != 0 || stdoutSink == nil || stdout.count < 1 << 20 {
                let count = clibssh2_channel_read(channel, stream, &buffer, buffer.count)
                if count == Int(LibSSH2.again) || count == 0 { break }
                guard count > 0 else { return fail(context.error(Int32(count), "reading a command's output")) }
                progressed = true
                let chunk = buffer.prefix(count).map { UInt8(bitPattern: $0) }
                if stream == 0 { stdout += chunk } else { stderr += chunk }
            }
        }
        if let stdoutSink, !stdout.isEmpty, stdoutSink(stdout) {
            stdout = []
            progressed = true
        }
        if phase == .read, stdoutSink == nil || stdout.isEmpty, libssh2_channel_eof(channel) == 1 {
            phase = .close
            return .progress
        }
        return progressed ? .progress : .blocked
    }

    private func exitStatus() -> Int32 {
        var signal: UnsafeMutablePointer<CChar>?
        var length = 0
        _ = libssh2_channel_get_exit_signal(channel, &signal, &length, nil, nil, nil, nil)
        if let signal {
            let name = String(cString: signal)
            free(signal)
            let numbers = ["HUP": 1, "INT": 2, "QUIT": 3, "ABRT": 6, "KILL": 9, "SEGV": 11, "PIPE": 13, "ALRM": 14, "TERM": 15]
            return Int32(128 + (numbers[name] ?? 127))
        }
        return libssh2_channel_get_exit_status(channel)
    }

    private func fail(_ error: TapisError) -> SSHStep {
        failure = failure ?? error
        phase = .close
        return .progress
    }

    private func finish(_ result: Result<CommandResult, TapisError>) {
        answer?(result, started)
        answer = nil
    }
}
