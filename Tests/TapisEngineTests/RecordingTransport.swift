import Foundation
import Synchronization
import TapisCore
import TapisTransport

/// What every `RecordingTransport` of a test did, in order, and the faults and pauses the test
/// put in their way.
final class TransportRecorder: Sendable {
    /// One operation, as text: `run <command>`, `stat <path>`, `download <path>`, …
    struct Entry: Sendable {
        var login: String
        var operation: String
        var at: ContinuousClock.Instant
    }

    private struct Fault {
        var matches: @Sendable (String) -> Bool
        var remaining: Int
        var error: TapisError
    }

    private struct Gate {
        var matches: @Sendable (String) -> Bool
        var reached = false
        var open = false
    }

    private let entries = Mutex<[Entry]>([])
    private let faults = Mutex<[Fault]>([])
    private let gates = Mutex<[Int: Gate]>([:])

    /// Every operation so far.
    var log: [Entry] { entries.withLock { $0 } }

    /// The operations whose text contains `text`.
    func operations(containing text: String) -> [Entry] { log.filter { $0.operation.contains(text) } }

    /// The next `times` operations that `matches` accepts throw `error` instead of running.
    func fail(times: Int = .max, with error: TapisError, where matches: @escaping @Sendable (String) -> Bool) {
        faults.withLock { $0.append(Fault(matches: matches, remaining: times, error: error)) }
    }

    /// Stops the first operation `matches` accepts until `open(_:)`; returns the gate's number.
    func pause(where matches: @escaping @Sendable (String) -> Bool) -> Int {
        gates.withLock { gates in
            let id = gates.count
            gates[id] = Gate(matches: matches)
            return id
        }
    }

    /// Waits until an operation reached gate `id`.
    func waitUntilReached(_ id: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while gates.withLock({ $0[id]?.reached }) != true {
            guard .now < deadline else { throw TapisError(.internal, "gate \(id) was never reached") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Lets the operation at gate `id` go on.
    func open(_ id: Int) { gates.withLock { $0[id]?.open = true } }

    /// Records `operation`, waits at its gate, throws its fault if one applies.
    func enter(_ operation: String, login: String) async throws {
        entries.withLock { $0.append(Entry(login: login, operation: operation, at: .now)) }
        let gate = gates.withLock { gates -> Int? in
            guard let id = gates.first(where: { !$0.value.reached && $0.value.matches(operation) })?.key else { return nil }
            gates[id]?.reached = true
            return id
        }
        if let gate {
            while gates.withLock({ $0[gate]?.open }) != true { try await Task.sleep(for: .milliseconds(10)) }
        }
        let error = faults.withLock { faults -> TapisError? in
            guard let index = faults.firstIndex(where: { $0.remaining > 0 && $0.matches(operation) }) else { return nil }
            faults[index].remaining -= 1
            return faults[index].error
        }
        if let error { throw error }
    }
}

/// A transport that records every command and file operation, can be told to fail or pause, hands
/// the scripted scheduler's commands to it, and runs everything else on this host as the test's
/// own user (whatever login the job asks for).
struct RecordingTransport: Transport {
    let login: String
    let base: LocalTransport
    let scheduler: ScriptedScheduler
    let recorder: TransportRecorder

    func run(_ command: String, input: [UInt8]?, timeout: Duration) async throws -> CommandResult {
        try await recorder.enter("run " + command, login: login)
        if let answer = try await scheduler.execute(command) { return answer }
        return try await base.run(command, input: input, timeout: timeout)
    }

    func stream(_ command: String, into consumer: ([UInt8]) async throws -> Void) async throws {
        try await recorder.enter("stream " + command, login: login)
        try await base.stream(command, into: consumer)
    }

    func stat(_ path: String) async throws -> RemoteFile? {
        try await recorder.enter("stat " + path, login: login)
        return try await base.stat(path)
    }

    func list(_ path: String, recursive: Bool) async throws -> [RemoteFile] {
        try await recorder.enter("list " + path, login: login)
        return try await base.list(path, recursive: recursive)
    }

    func download(_ path: String, to localPath: String) async throws {
        try await recorder.enter("download " + path, login: login)
        try await base.download(path, to: localPath)
    }

    func upload(from localPath: String, to path: String) async throws {
        try await recorder.enter("upload " + path, login: login)
        try await base.upload(from: localPath, to: path)
    }
}
