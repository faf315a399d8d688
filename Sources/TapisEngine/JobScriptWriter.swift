import TapisCore
import TapisScheduling
import TapisTransport

/// STAGING_JOB: unpacks the ZIP-runtime app archive into the exec dir, finds its executable
/// (`tapisjob_app.sh` or the one `tapisjob.manifest` names), and writes `tapisjob.env` and
/// `tapisjob.sh` (with the module loads of a BATCH job's scheduler profile).
struct JobScriptWriter: Sendable {
    let jobContext: JobContext
    let catalog: DefinitionCatalog

    func write() async throws {
        let job = jobContext.job
        let exec = jobContext.exec
        let execDir = jobContext.execHostPath(job.execSystemExecDir)
        let image = jobContext.execHostPath(job.containerImage)
        guard let archive = AppArchive(path: image) else {
            throw TapisError(.remoteFailure, "the app's containerImage \(job.containerImage) is not a .zip, .tar.gz or .tgz archive")
        }
        guard try await exec.run("test -f \(Shell.quote(image)) && test -r \(Shell.quote(image))", input: nil, timeout: .seconds(60)).status == 0 else {
            throw TapisError(.remoteFailure, "the app archive \(job.containerImage) does not exist on system \(jobContext.execSystem.id) or \(exec.login) cannot read it")
        }
        try await exec.check("cd \(Shell.quote(execDir)) && \(archive.unpackCommand)", what: "unpacking the app archive \(job.containerImage)")
        let executable = try await findExecutable(in: execDir)
        try await exec.check("chmod u+x -- \(Shell.quote(TapisPath.join(execDir, executable)))", what: "making \(executable) executable")

        var remote = jobContext.remote
        if job.jobType == .batch, let name = SchedulerProfile.requested(in: remote.schedulerOptions) {
            guard let profile = try await catalog.schedulerProfile(name) else {
                throw TapisError(.conflict, "the job's scheduler profile \(name) no longer exists")
            }
            remote.profile = profile
        }
        let script = jobContext.scheduler.dialect.scriptHeader(for: remote)
            + (try LaunchFiles.scriptBody(for: job, executable: executable, execDir: execDir, outputDir: remote.outputDir))
        try await exec.write(Array(LaunchFiles.environmentFile(for: job).utf8), to: TapisPath.join(execDir, LaunchFiles.environment), mode: "0600")
        try await exec.write(Array(script.utf8), to: TapisPath.join(execDir, LaunchFiles.script), mode: "0700")
    }

    private func findExecutable(in execDir: String) async throws -> String {
        let dir = Shell.quote(execDir)
        if try await jobContext.exec.exists(TapisPath.join(execDir, LaunchFiles.appScript)) { return LaunchFiles.appScript }
        let manifest = try await jobContext.exec.run("cat \(dir)/\(LaunchFiles.manifest)", input: nil, timeout: .seconds(60))
        if manifest.status == 0, let executable = try LaunchFiles.executable(fromManifest: manifest.output) {
            guard try await jobContext.exec.exists(TapisPath.join(execDir, executable)) else {
                throw TapisError(.remoteFailure, "\(LaunchFiles.manifest) names \(executable), which the app archive does not contain")
            }
            return executable
        }
        throw TapisError(.remoteFailure, "the app archive \(jobContext.job.containerImage) holds neither \(LaunchFiles.appScript) nor a \(LaunchFiles.manifest) naming tapisjob_executable")
    }
}
