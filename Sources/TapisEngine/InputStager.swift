import Logging
import TapisCore
import TapisTransport

/// STAGING_INPUTS: puts every file input in place on the exec system. Each copy writes to a
/// temporary name and renames, so a rerun after a crash is harmless. A missing source fails the
/// job, except for an OPTIONAL input (`optional`), which is skipped: the step's history event
/// and the log say which.
struct InputStager: Sendable {
    let jobContext: JobContext
    let catalog: DefinitionCatalog
    let context: EngineContext

    /// Stages every input; returns why each skipped optional input was skipped.
    func stageAll() async throws -> [String] {
        let systems = try await catalog.systems()
        var skipped: [String] = []
        for input in jobContext.job.fileInputs {
            if let reason = try await stage(input, systems: systems) { skipped.append(reason) }
        }
        return skipped
    }

    /// Stages one input; returns nil, or why an optional input was skipped.
    func stage(_ input: ResolvedFileInput, systems: [String: TapisSystem]) async throws -> String? {
        let exec = jobContext.exec
        let target = jobContext.execHostPath(input.targetPath)
        let label = input.name.map { "input \($0.debugDescription)" } ?? "input \(input.sourceUrl)"
        switch try InputSource(input.sourceUrl, systems: systems) {
        case .inPlace(let path):
            guard try await exec.exists(jobContext.execHostPath(path)) else {
                return try missing(input, "\(label): \(path) does not exist on system \(jobContext.execSystem.id)")
            }
            return nil
        case .system(let id, let path):
            guard let source = systems[id] else { throw TapisError(.remoteFailure, "\(label): system \(id) no longer exists") }
            let sourcePath = TapisPath.join(source.rootDir ?? "/", path)
            let sameHost = id == jobContext.execSystem.id || (source.isLocal && jobContext.execSystem.isLocal)
            let reader = sameHost ? exec : try await context.transports.transport(for: source, owner: jobContext.job.owner)
            guard try await reader.stat(sourcePath) != nil else {
                return try missing(input, "\(label): \(input.sourceUrl) does not exist (or \(reader.login) cannot see it)")
            }
            if sameHost {
                try await exec.copy(from: sourcePath, to: target)
            } else {
                try await StagingArea.transfer(sourcePath, from: reader, to: target, on: exec, root: context.stagingDirectory)
            }
            return nil
        case .web(let url):
            let temporary = Shell.quote(target + ".tapisd-tmp")
            let result = try await exec.run(
                "mkdir -p -- \(Shell.quote(TapisPath.parent(target))) && curl -fsSL -g --proto =http,https --proto-redir =http,https --retry 3 -o \(temporary) -- \(Shell.quote(url)) && mv -f -- \(temporary) \(Shell.quote(target))",
                input: nil, timeout: .seconds(3600))
            switch result.status {
            case 0: return nil
            case 5, 6, 7, 28, 35, 52, 55, 56:
                throw TapisError(.unavailable, "\(label): cannot reach \(url) (curl exit \(result.status)): \(result.errorText)")
            case 22:
                return try missing(input, "\(label): \(url) answered an HTTP error (curl exit 22): \(result.errorText)")
            default:
                throw TapisError(.remoteFailure, "\(label): downloading \(url) failed (curl exit \(result.status)): \(result.errorText)")
            }
        }
    }

    /// A source that is not there: an error, unless the input is optional, which is skipped.
    private func missing(_ input: ResolvedFileInput, _ message: String) throws -> String {
        guard input.optional == true else { throw TapisError(.remoteFailure, message) }
        context.logger.with(jobContext.job).warning("optional input skipped", metadata: ["reason": "\(message)"])
        return message
    }
}
