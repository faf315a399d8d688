import Foundation
import TapisCore
import TapisStore
import TapisTransport

/// ARCHIVING: copies the outputs the archive filter keeps (excludes first, then includes) and the
/// launch files to the archive dir, then ends the job FINISHED or FAILED by its remote outcome.
struct Archiver: Sendable {
    let jobContext: JobContext
    let store: JobStore
    let stagingDirectory: String

    func archive() async throws -> Job {
        let job = jobContext.job
        let skipped = job.remoteOutcome == .failedSkipArchive || job.archiveMode == .never
        if !skipped { try await copyOutputs() }
        let place = "\(job.archiveSystemId):\(job.archiveSystemDir)"
        if job.remoteOutcome == .finished {
            return try await store.transition(job.uuid, to: .finished, message: "The job finished; its outputs are in \(place).") { job in
                job.condition = .normalCompletion
            }
        }
        let why = job.condition.map { Self.explain($0, job) } ?? "The app failed with exit status \(job.remoteResultInfo ?? "unknown")."
        let archived = skipped ? "Outputs were not archived (archive mode)." : "Outputs are in \(place); see \(LaunchFiles.output) there."
        return try await store.transition(job.uuid, to: .failed, message: why + " " + archived) { job in
            job.condition = job.condition ?? .remoteOutcomeError
        }
    }

    private func copyOutputs() async throws {
        let job = jobContext.job
        let filter = try ArchiveFilter(job.parameterSet.archiveFilter)
        if job.archiveSystemId != job.execSystemId { return try await copyToAnotherSystem(filter) }
        let execDir = jobContext.execHostPath(job.execSystemExecDir)
        let outputDir = jobContext.execHostPath(job.execSystemOutputDir)
        let archiveDir = jobContext.archiveHostPath(job.archiveSystemDir)
        var script = ["set -e", "mkdir -p -- \(Shell.quote(archiveDir))"]
        if outputDir != archiveDir || job.archiveSystemId != job.execSystemId {
            if filter.keepsEverything {
                script.append("cp -R -p -- \(Shell.quote(outputDir + "/.")) \(Shell.quote(archiveDir + "/"))")
            } else {
                for file in try await jobContext.exec.list(outputDir, recursive: true) where file.type == "file" && filter.keeps(file.path) {
                    let target = TapisPath.join(archiveDir, file.path)
                    script.append("mkdir -p -- \(Shell.quote(TapisPath.parent(target)))")
                    script.append("cp -p -- \(Shell.quote(TapisPath.join(outputDir, file.path))) \(Shell.quote(target))")
                }
            }
        }
        if filter.includeLaunchFiles, execDir != archiveDir {
            for file in [LaunchFiles.script, LaunchFiles.environment] {
                script.append("cp -p -- \(Shell.quote(TapisPath.join(execDir, file))) \(Shell.quote(archiveDir + "/"))")
            }
        }
        try await jobContext.exec.check(
            "/bin/sh -s", input: Array((script.joined(separator: "\n") + "\n").utf8), timeout: .seconds(3600),
            what: "archiving outputs to \(job.archiveSystemId):\(job.archiveSystemDir)")
    }

    /// Outputs bound for another system pass through a staging area on the daemon's host, where the
    /// filter is applied before anything is uploaded.
    private func copyToAnotherSystem(_ filter: ArchiveFilter) async throws {
        let job = jobContext.job
        try await StagingArea.using(root: stagingDirectory, for: [jobContext.exec, jobContext.archive]) { area in
            let outputs = area.file("outputs")
            try await jobContext.exec.download(jobContext.execHostPath(job.execSystemOutputDir), to: outputs)
            let dropped = try await LocalFiles.entries(below: outputs).filter { !$0.isDirectory && !filter.keeps($0.path) }
            try await LocalFiles.remove(dropped.map { outputs + "/" + $0.path })
            if filter.includeLaunchFiles {
                for file in [LaunchFiles.script, LaunchFiles.environment] {
                    try await jobContext.exec.download(TapisPath.join(jobContext.execHostPath(job.execSystemExecDir), file), to: outputs + "/" + file)
                }
            }
            try await area.handOverContents()
            try await jobContext.archive.upload(from: outputs, to: jobContext.archiveHostPath(job.archiveSystemDir))
        }
    }

    /// A sentence for a job the scheduler ended, saying which request to change where that helps.
    static func explain(_ condition: JobCondition, _ job: Job) -> String {
        switch condition {
        case .schedulerTimeout: return "The scheduler stopped the job at its time limit (maxMinutes \(job.maxMinutes)); ask for more time."
        case .schedulerOutOfMemory: return "The scheduler stopped the job: it ran out of memory (memoryMB \(job.memoryMB)); ask for more."
        case .schedulerCancelled: return "The scheduler cancelled the job (not through tapisd)."
        case .schedulerDeadline: return "The scheduler stopped the job at its deadline."
        default: return "The scheduler ended the job (\(condition.rawValue), \(job.remoteResultInfo ?? "no exit code"))."
        }
    }
}
