import Foundation
import Synchronization
import TapisCore
import TapisScheduling
import TapisTransport

/// A scheduler whose answers each test scripts, in the spirit of PSI/J's test executor. It keeps a
/// table of the jobs "submitted" to it (by tag, so a lookup finds an earlier copy), reports each
/// job's state as the test sets it, and answers each call kind from a script: the next scripted
/// step, or the table once the script is used up. Its commands reach it through `RecordingTransport`,
/// so transport faults and scheduler answers stay separate.
final class ScriptedScheduler: Sendable {
    enum Call: String, Sendable { case submit, lookup, status, finalize, cancel }

    /// What one call does.
    enum Step: Sendable {
        /// Answer from the table.
        case answer
        /// The scheduler refuses or cannot answer.
        case fail(TapisError)
        /// The scheduler acts (a submit is queued), but the answer is lost with `error`.
        case lose(TapisError)
        /// The scheduler acts, then `hook` runs before the answer returns.
        case answerAfter(@Sendable () async throws -> Void)
    }

    private struct State {
        var ids: [JobUUID: String] = [:]
        var states: [String: RemoteState] = [:]
        var scripts: [Call: [Step]] = [:]
        var calls: [(Call, [JobUUID])] = []
        var pending: [Int: (Call, [RemoteJob])] = [:]
        var answers: [Int: Result<Answer, TapisError>] = [:]
        var serial = 0
    }

    enum Answer: Sendable {
        case id(String?)
        case states([String: RemoteState])
        case outcomes([String: RemoteOutcome])
        case done
    }

    let name: String
    private let state = Mutex(State())

    init(name: String = "slurm") { self.name = name }

    var dialect: Dialect { Dialect(scheduler: self) }

    /// The next calls of `call` follow `steps`, in order.
    func script(_ call: Call, _ steps: Step...) {
        state.withLock { $0.scripts[call, default: []] += steps }
    }

    /// What the scheduler says about the job from now on (`.ended` is reported through accounting).
    func set(_ uuid: JobUUID, _ remote: RemoteState) {
        state.withLock { state in
            guard let id = state.ids[uuid] else { return }
            state.states[id] = remote
        }
    }

    /// The scheduler's id for the job, if it was submitted.
    func remoteId(_ uuid: JobUUID) -> String? { state.withLock { $0.ids[uuid] } }

    /// The calls of one kind, each with the jobs it asked about.
    func calls(_ call: Call) -> [[JobUUID]] { state.withLock { $0.calls.filter { $0.0 == call }.map(\.1) } }

    /// Runs a command built by the dialect; nil for any other command.
    func execute(_ command: String) async throws -> CommandResult? {
        guard command.hasPrefix(Dialect.prefix), let serial = Int(command.dropFirst(Dialect.prefix.count)) else { return nil }
        let (call, jobs, step) = state.withLock { state -> (Call, [RemoteJob], Step) in
            let (call, jobs) = state.pending.removeValue(forKey: serial)!
            state.calls.append((call, jobs.map(\.uuid)))
            let step = state.scripts[call]?.isEmpty == false ? state.scripts[call]!.removeFirst() : .answer
            return (call, jobs, step)
        }
        let answer: Result<Answer, TapisError>
        switch step {
        case .answer:
            answer = .success(act(call, jobs))
        case .fail(let error):
            answer = .failure(error)
        case .lose(let error):
            _ = act(call, jobs)
            answer = .failure(error)
        case .answerAfter(let hook):
            answer = .success(act(call, jobs))
            try await hook()
        }
        if call == .cancel {
            guard case .failure(let error) = answer else { return CommandResult(status: 0, stdout: [], stderr: []) }
            return CommandResult(status: 1, stdout: [], stderr: Array(error.message.utf8))
        }
        let stored = answer
        state.withLock { $0.answers[serial] = stored }
        return CommandResult(status: 0, stdout: Array(String(serial).utf8), stderr: [])
    }

    private func act(_ call: Call, _ jobs: [RemoteJob]) -> Answer {
        state.withLock { state in
            switch call {
            case .submit:
                let job = jobs[0]
                if let id = state.ids[job.uuid] { return .id(id) }
                state.serial += 1
                let id = "\(1000 + state.serial)"
                state.ids[job.uuid] = id
                state.states[id] = .queued(raw: "PENDING")
                return .id(id)
            case .lookup:
                return .id(state.ids[jobs[0].uuid])
            case .status:
                var answer: [String: RemoteState] = [:]
                for job in jobs {
                    guard let id = job.remoteJobId, let remote = state.states[id] else { continue }
                    if case .ended = remote { continue }
                    answer[id] = remote
                }
                return .states(answer)
            case .finalize:
                var answer: [String: RemoteOutcome] = [:]
                for job in jobs {
                    if let id = job.remoteJobId, case .ended(let outcome) = state.states[id] { answer[id] = outcome }
                }
                return .outcomes(answer)
            case .cancel:
                if let id = jobs[0].remoteJobId {
                    state.states[id] = .ended(RemoteOutcome(succeeded: false, resultInfo: "CANCELLED", condition: .schedulerCancelled, message: "cancelled"))
                }
                return .done
            }
        }
    }

    fileprivate func command(_ call: Call, _ jobs: [RemoteJob]) -> String {
        let serial = state.withLock { state in
            state.serial += 1
            state.pending[state.serial] = (call, jobs)
            return state.serial
        }
        return Dialect.prefix + String(serial)
    }

    fileprivate func answer(_ result: CommandResult) throws(TapisError) -> Answer {
        let serial = Int(result.output) ?? -1
        guard let answer = state.withLock({ $0.answers.removeValue(forKey: serial) }) else {
            throw TapisError(.internal, "no scripted answer for \(result.output)")
        }
        return try answer.get()
    }

    /// The dialect: commands name a pending call by serial; parsing returns its answer.
    struct Dialect: SchedulerDialect {
        static let prefix = "scripted-scheduler "
        let scheduler: ScriptedScheduler
        var name: String { scheduler.name }

        func scriptHeader(for job: RemoteJob) -> String { "#!/bin/sh\n" }
        func submitCommand(for job: RemoteJob) -> String { scheduler.command(.submit, [job]) }
        func lookupCommand(for job: RemoteJob) -> String { scheduler.command(.lookup, [job]) }
        func statusCommand(for jobs: [RemoteJob]) -> String { scheduler.command(.status, jobs) }
        func finalizeCommand(for jobs: [RemoteJob]) -> String { scheduler.command(.finalize, jobs) }
        func cancelCommand(for job: RemoteJob) -> String { scheduler.command(.cancel, [job]) }

        func parseSubmission(_ result: CommandResult, for job: RemoteJob) throws(TapisError) -> String {
            guard case .id(let id?) = try scheduler.answer(result) else { throw TapisError(.remoteFailure, "no id") }
            return id
        }

        func parseLookup(_ result: CommandResult) throws(TapisError) -> String? {
            guard case .id(let id) = try scheduler.answer(result) else { return nil }
            return id
        }

        func parseStatus(_ result: CommandResult, for jobs: [RemoteJob]) throws(TapisError) -> [String: RemoteState] {
            guard case .states(let states) = try scheduler.answer(result) else { return [:] }
            return states
        }

        func parseFinal(_ result: CommandResult, for jobs: [RemoteJob], lastSeen: [String: String]) throws(TapisError) -> [String: RemoteOutcome] {
            guard case .outcomes(let outcomes) = try scheduler.answer(result) else { return [:] }
            return outcomes
        }
    }
}
