import Foundation
import TapisCore
import TapisScheduling

/// Slurm's job states and what they mean for a Tapis job (spec §5.4).
enum SlurmState {
    /// Short codes of jobs waiting to start (a requeued job waits again).
    static let waiting: Set<String> = ["PD", "RQ", "RH", "RF", "RD"]
    /// Short codes of jobs that hold resources.
    static let active: Set<String> = ["R", "CG", "CF", "RS", "SO", "S", "ST", "SI"]
    /// Short codes of jobs that ended (the details come from accounting or the exit-code file).
    static let ended: Set<String> = ["CD", "F", "CA", "TO", "OOM", "DL", "NF", "BF", "PR", "RV", "SE"]

    /// The remote state for a squeue line; an unknown code is never final.
    static func remoteState(short: String, long: String) -> RemoteState {
        if waiting.contains(short) { return .queued(raw: short) }
        if active.contains(short) { return .running(raw: short) }
        if ended.contains(short) { return .finishing(raw: long) }
        return .unknown(raw: short)
    }

    /// How a job that left the queue ended, or nil when nothing answers definitely yet.
    /// - Parameters:
    ///   - state: the long state from accounting (`COMPLETED`, `CANCELLED by 1001`, …) or from the
    ///     last squeue that showed the job.
    ///   - accountingExit: sacct's `ExitCode` (`3:0`).
    ///   - exitFile: the wrapper's `tapisjob.exitcode` (a number, or `missing`).
    ///   - accountingOff: whether sacct said accounting is disabled.
    static func outcome(state: String?, accountingExit: String?, exitFile: String?, accountingOff: Bool) -> RemoteOutcome? {
        guard var outcome = judge(state: state, accountingExit: accountingExit, exitFile: exitFile, accountingOff: accountingOff) else { return nil }
        if let state { outcome.message = "Slurm: \(state). " + outcome.message }
        return outcome
    }

    private static func judge(state: String?, accountingExit: String?, exitFile: String?, accountingOff: Bool) -> RemoteOutcome? {
        let code = exitFile.flatMap { Int($0) }
        let info = code.map(String.init) ?? accountingExit ?? "unknown"
        guard let state, let word = state.split(separator: " ").first.map(String.init) else {
            // Gone from the queue with no record: only the wrapper's exit code can tell.
            guard let code else {
                return accountingOff || exitFile == "missing"
                    ? RemoteOutcome(succeeded: false, resultInfo: "unknown", message: "The job left the Slurm queue without writing \(LaunchFiles.exitCode) and no accounting record tells how it ended (cancelled, timed out or killed?).")
                    : nil
            }
            return appOutcome(code: code, info: info)
        }
        switch word {
        case "COMPLETED", "SPECIAL_EXIT":
            return appOutcome(code: code ?? 0, info: info)
        case "FAILED":
            return RemoteOutcome(succeeded: false, resultInfo: info, message: "The app failed under Slurm with exit code \(info); see \(LaunchFiles.output).")
        case "CANCELLED": return schedulerEnd(.schedulerCancelled, "Slurm cancelled the job (\(state)).", info)
        case "TIMEOUT": return schedulerEnd(.schedulerTimeout, "Slurm stopped the job at its time limit (maxMinutes).", info)
        case "OUT_OF_MEMORY": return schedulerEnd(.schedulerOutOfMemory, "Slurm stopped the job: it ran out of memory (memoryMB).", info)
        case "DEADLINE": return schedulerEnd(.schedulerDeadline, "Slurm stopped the job at its deadline.", info)
        case "NODE_FAIL", "BOOT_FAIL", "PREEMPTED":
            var end = schedulerEnd(.schedulerTerminated, "Slurm ended the job: \(state).", info)
            end.mayBeRequeued = true
            return end
        case "REVOKED":
            return schedulerEnd(.schedulerTerminated, "Slurm ended the job: \(state).", info)
        default:
            return nil
        }
    }

    private static func appOutcome(code: Int, info: String) -> RemoteOutcome {
        code == 0
            ? RemoteOutcome(succeeded: true, resultInfo: info, message: "The app exited with status 0.")
            : RemoteOutcome(succeeded: false, resultInfo: info, message: "The app exited with status \(code); see \(LaunchFiles.output) in the job's output for why.")
    }

    private static func schedulerEnd(_ condition: JobCondition, _ message: String, _ info: String) -> RemoteOutcome {
        RemoteOutcome(succeeded: false, resultInfo: info, condition: condition, message: message)
    }
}
