import CLibSSH2
import Foundation
import Synchronization
import TapisCore
import TapisTransport

/// Runs commands and moves files on a host over SSH, through the process-wide pool (one connection
/// per host, port and login). Commands run on exec channels; files move over SFTP.
public struct SSHTransport: Transport {
    public let endpoint: SSHEndpoint
    let credential: SSHCredential
    let hostKeys: HostKeyPolicy
    let pool: SSHConnectionPool
    /// How long one SFTP metadata call may take.
    var callTimeout: Duration = .seconds(120)

    public init(endpoint: SSHEndpoint, credential: SSHCredential, hostKeys: HostKeyPolicy, pool: SSHConnectionPool) {
        self.endpoint = endpoint
        self.credential = credential
        self.hostKeys = hostKeys
        self.pool = pool
    }

    public var login: String { endpoint.login }

    public func run(_ command: String, input: [UInt8]?, timeout: Duration) async throws -> CommandResult {
        try await exec(command, input: input ?? [], timeout: timeout, stdoutSink: nil)
    }

    public func stream(_ command: String, into consumer: ([UInt8]) async throws -> Void) async throws {
        let queue = ChunkQueue()
        async let finished = execFinishing(command, into: queue)
        do {
            while let chunk = await queue.next() { try await consumer(chunk) }
        } catch {
            queue.discardRest()
            _ = try? await finished
            throw error
        }
        let result = try await finished
        guard result.status == 0 else {
            throw TapisError(.remoteFailure, "streaming output on \(endpoint) failed: \(result.errorText.isEmpty ? "exit status \(result.status)" : result.errorText)")
        }
    }

    private func execFinishing(_ command: String, into queue: ChunkQueue) async throws -> CommandResult {
        defer { queue.finish() }
        return try await exec(command, input: [], timeout: .seconds(24 * 3600), stdoutSink: queue.offer)
    }

    /// Runs one exec operation; a connection found dead before the command started is replaced once.
    private func exec(_ command: String, input: [UInt8], timeout: Duration, stdoutSink: (([UInt8]) -> Bool)?) async throws -> CommandResult {
        for attempt in 0..<2 {
            let connection = try await pool.connection(to: endpoint, credential: credential, hostKeys: hostKeys)
            let (result, started) = await withCheckedContinuation { (continuation: CheckedContinuation<(Result<CommandResult, TapisError>, Bool), Never>) in
                let operation = ExecOperation(command: command, input: input, timeout: timeout, stdoutSink: stdoutSink) { result, started in
                    continuation.resume(returning: (result, started))
                }
                do throws(TapisError) { try connection.enqueue(operation) } catch { continuation.resume(returning: (.failure(error), false)) }
            }
            if case .failure(let error) = result, error.code == .unavailable, !started, attempt == 0 { continue }
            return try result.get()
        }
        throw TapisError(.unavailable, "no usable SSH connection to \(endpoint)")
    }

    /// Runs an operation built around an answer callback on the pooled connection.
    func perform<Value: Sendable>(_ make: (@escaping (Result<Value, TapisError>) -> Void) -> any SSHOperation) async throws -> Value {
        let connection = try await pool.connection(to: endpoint, credential: credential, hostKeys: hostKeys)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let operation = make { continuation.resume(with: $0.mapError { $0 as any Error }) }
            do { try connection.enqueue(operation) } catch { continuation.resume(throwing: error) }
        }
    }
}

/// Chunks of a streamed command's stdout on their way from the loop thread to an async consumer,
/// at most a few at a time (the loop stops reading while the queue is full).
final class ChunkQueue: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var waiter: CheckedContinuation<[UInt8]?, Never>?
        var finished = false
        var discarding = false
    }

    private let state = Mutex(State())
    private let capacity = 4

    /// Called on the loop thread; false when full.
    func offer(_ chunk: [UInt8]) -> Bool {
        state.withLock { state in
            if state.discarding { return true }
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: chunk)
                return true
            }
            guard state.chunks.count < capacity else { return false }
            state.chunks.append(chunk)
            return true
        }
    }

    /// The next chunk, or nil once the command's output ended.
    func next() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if !state.chunks.isEmpty {
                    continuation.resume(returning: state.chunks.removeFirst())
                } else if state.finished {
                    continuation.resume(returning: nil)
                } else {
                    state.waiter = continuation
                }
            }
        }
    }

    /// Marks the end of the output.
    func finish() {
        state.withLock { state in
            state.finished = true
            if state.chunks.isEmpty, let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: nil)
            }
        }
    }

    /// Drops whatever still comes (the consumer gave up).
    func discardRest() {
        state.withLock { state in
            state.discarding = true
            state.chunks.removeAll()
        }
    }
}
