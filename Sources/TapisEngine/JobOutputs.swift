public import TapisCore
import TapisTransport


/// Where a job's outputs are and how to read them (Tapis `DataLocator`): the archive dir once the
/// job finished (or failed with its outputs archived), the exec system's output dir before that.
/// Files are read as the job's login, so nobody reads through a job what its owner could not.
public struct JobOutputs: Sendable {
    let catalog: DefinitionCatalog
    let context: EngineContext

    public init(catalog: DefinitionCatalog, context: EngineContext) {
        self.catalog = catalog
        self.context = context
    }

    /// The entries below `path` (relative to the output root), one level deep.
    /// - Throws: `TapisError.badRequest` for a running job without `allowIfRunning` or a bad path,
    ///   `.notFound` when the path does not exist.
    public func list(_ job: Job, path: String, allowIfRunning: Bool) async throws -> [RemoteFile] {
        let (transport, target) = try await locate(job, path: path, allowIfRunning: allowIfRunning)
        guard let entry = try await transport.stat(target) else { throw TapisError(.notFound, "no output \(path.debugDescription) for job \(job.uuid)") }
        guard entry.type == "dir" else { return [entry] }
        return try await transport.list(target, recursive: false)
    }

    /// What a download of `path` is: a file streamed as is, or a zip of a directory (or of the
    /// file, with `compress`).
    public func download(_ job: Job, path: String, allowIfRunning: Bool, compress: Bool = false) async throws -> OutputDownload {
        let (transport, target) = try await locate(job, path: path, allowIfRunning: allowIfRunning)
        guard let entry = try await transport.stat(target) else { throw TapisError(.notFound, "no output \(path.debugDescription) for job \(job.uuid)") }
        let name = entry.name.isEmpty || entry.name == "/" ? job.uuid.rawValue : entry.name
        if entry.type == "dir" {
            return OutputDownload(transport: transport, command: "cd \(Shell.quote(target)) && zip -q -r - .", fileName: name + ".zip", size: nil)
        }
        if compress {
            let command = "cd \(Shell.quote(TapisPath.parent(target))) && zip -q - \(Shell.quote("./" + entry.name))"
            return OutputDownload(transport: transport, command: command, fileName: name + ".zip", size: nil)
        }
        // At most the size announced in Content-Length, even if a running job makes the file grow.
        return OutputDownload(transport: transport, command: "head -c \(entry.size) -- \(Shell.quote(target))", fileName: name, size: entry.size)
    }

    /// The last `bytes` bytes of the file at `path`, even while the job runs (a log's tail).
    /// - Throws: `TapisError.notFound` when there is no such file.
    public func tail(_ job: Job, path: String, bytes: Int) async throws -> OutputDownload {
        let (transport, target) = try await locate(job, path: path, allowIfRunning: true)
        guard let entry = try await transport.stat(target), entry.type != "dir" else { throw TapisError(.notFound, "no output file \(path.debugDescription) for job \(job.uuid)") }
        return OutputDownload(transport: transport, command: "tail -c \(bytes) -- \(Shell.quote(target))", fileName: entry.name, size: nil)
    }

    private func locate(_ job: Job, path: String, allowIfRunning: Bool) async throws -> (any Transport, String) {
        if !job.status.isTerminal && !allowIfRunning {
            throw TapisError(.badRequest, "job \(job.uuid) is \(job.status.rawValue); its outputs can be read once it ends, or now with allowIfRunning=true")
        }
        let relative = try TapisPath.relative(path, field: "outputPath")
        let archived = job.status == .finished || (job.status == .failed && job.remoteOutcome != nil && job.remoteOutcome != .failedSkipArchive && job.archiveMode != .never)
        let systemId = archived ? job.archiveSystemId : job.execSystemId
        let root = archived ? job.archiveSystemDir : job.execSystemOutputDir
        guard let system = try await catalog.system(systemId) else { throw TapisError(.notFound, "system \(systemId) no longer exists") }
        let transport = try await context.transports.transport(for: system, owner: job.owner)
        return (transport, TapisPath.join(TapisPath.join(system.rootDir ?? "/", root), relative))
    }
}

/// A download ready to stream.
public struct OutputDownload: Sendable {
    let transport: any Transport
    let command: String
    /// The name a client should save it as.
    public let fileName: String
    /// The size in bytes, when known up front (a single file).
    public let size: Int64?

    /// Streams the bytes to `consumer`.
    public func stream(into consumer: ([UInt8]) async throws -> Void) async throws {
        try await transport.stream(command, into: consumer)
    }
}
