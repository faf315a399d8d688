import TapisCore
import TapisScheduling
import TapisTransport

/// STAGING_JOB: writes `tapisjob.env` and `tapisjob.sh` (with the module loads of a BATCH job's
/// scheduler profile). A ZIP app's archive is fetched first when it is a URL, checked, and
/// unpacked into the exec dir, and its executable found (`tapisjob_app.sh` or the one
/// `tapisjob.manifest` names); a DOCKER app's script runs its container (`ContainerLaunch`).
struct JobScriptWriter: Sendable {
    let jobContext: JobContext
    let catalog: DefinitionCatalog
    let context: EngineContext

    func write() async throws {
        let job = jobContext.job
        let exec = jobContext.exec
        let execDir = jobContext.execHostPath(job.execSystemExecDir)
        var remote = jobContext.remote
        if job.jobType == .batch, let name = SchedulerProfile.requested(in: remote.schedulerOptions) {
            guard let profile = try await catalog.schedulerProfile(name) else {
                throw TapisError(.conflict, "the job's scheduler profile \(name) no longer exists")
            }
            remote.profile = profile
        }
        let environment: String
        let body: String
        if let engine = jobContext.containerEngine {
            let launch = ContainerLaunch(
                job: job, engine: engine, execDir: execDir,
                inputDir: jobContext.execHostPath(job.execSystemInputDir), outputDir: remote.outputDir,
                localInputs: localInputs)
            environment = ContainerLaunch.environmentFile(for: job)
            body = job.jobType == .batch ? try launch.foregroundBody() : try launch.detachedBody()
        } else {
            let executable = try await unpackArchive(into: execDir)
            environment = LaunchFiles.environmentFile(for: job)
            body = try LaunchFiles.scriptBody(for: job, executable: executable, execDir: execDir, outputDir: remote.outputDir)
        }
        let script = jobContext.scheduler.scriptHeader(for: remote) + body
        try await exec.write(Array(environment.utf8), to: TapisPath.join(execDir, LaunchFiles.environment), mode: "0600")
        try await exec.write(Array(script.utf8), to: TapisPath.join(execDir, LaunchFiles.script), mode: "0700")
    }

    /// The host paths of the job's `tapislocal` inputs that are mounted into its container (such an
    /// input's target is its own path).
    private var localInputs: [String] {
        jobContext.job.fileInputs
            .filter { $0.sourceUrl.hasPrefix("tapislocal://") && $0.autoMountLocal != false }
            .map { jobContext.execHostPath($0.targetPath) }
    }

    /// Puts the ZIP app's archive in the exec dir (fetching a URL), checks it is whole, unpacks it
    /// and returns the app's executable, made executable.
    private func unpackArchive(into execDir: String) async throws -> String {
        let job = jobContext.job
        let exec = jobContext.exec
        let archive = try AppArchive(image: job.containerImage)
        let path: String
        if archive.isRemote {
            let target = TapisPath.join(job.execSystemExecDir, archive.fetchedName)
            let input = ResolvedFileInput(name: "containerImage", sourceUrl: archive.source, targetPath: target)
            _ = try await InputStager(jobContext: jobContext, catalog: catalog, context: context).stage(input, systems: try await catalog.systems())
            path = jobContext.execHostPath(target)
        } else {
            path = jobContext.execHostPath(archive.source)
            guard try await exec.run("test -f \(Shell.quote(path)) && test -r \(Shell.quote(path))", input: nil, timeout: .seconds(60)).status == 0 else {
                throw TapisError(.remoteFailure, "the app archive \(job.containerImage) does not exist on system \(jobContext.execSystem.id) or \(exec.login) cannot read it")
            }
        }
        let check = try await exec.run(archive.checkCommand(path), input: nil, timeout: .seconds(600))
        guard check.status == 0 else {
            throw TapisError(.remoteFailure, "the app archive \(job.containerImage) is not a whole \(archive.format.rawValue) archive: \(check.errorText.isEmpty ? "exit \(check.status)" : check.errorText)")
        }
        try await exec.check("cd \(Shell.quote(execDir)) && \(archive.unpackCommand(path))", what: "unpacking the app archive \(job.containerImage)")
        let executable = try await findExecutable(in: execDir)
        try await exec.check("chmod u+x -- \(Shell.quote(TapisPath.join(execDir, executable)))", what: "making \(executable) executable")
        return executable
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
