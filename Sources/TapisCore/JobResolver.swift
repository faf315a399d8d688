public import Foundation

/// Turns a submit request into a fully resolved `Job`: the inherit chain request → app → system →
/// defaults, macros in their documented order, merged arguments, environment and inputs, and every
/// path normalized (spec §2). Pure: it never touches a host; the values `HOST_EVAL` reads are
/// asked for with `hostEvaluations()` and given in `hostValues`.
public struct JobResolver: Sendable {
    public var request: JobSubmitRequest
    public var app: TapisApp
    /// Every system the job may name, by id.
    public var systems: [String: TapisSystem]
    /// The caller's user name: the job's owner unless an administrator names another in the request.
    public var owner: String
    /// Whether the caller is an administrator, who may submit a job for another user (`owner`).
    public var callerIsAdmin = false
    public var tenant: String
    public var uuid: JobUUID
    public var now: Date
    /// The HOST_EVAL variables' values, by system id and variable name.
    public var hostValues: [String: [String: String]] = [:]

    public init(
        request: JobSubmitRequest, app: TapisApp, systems: [String: TapisSystem], owner: String,
        tenant: String, uuid: JobUUID, now: Date
    ) {
        self.request = request
        self.app = app
        self.systems = systems
        self.owner = owner
        self.tenant = tenant
        self.uuid = uuid
        self.now = now
    }

    /// The user the job runs for: the request's `owner` when an administrator submits it, else the caller.
    public var jobOwner: String { callerIsAdmin ? request.owner ?? owner : owner }

    /// The HOST_EVAL variables the job's directories read, on which system (the exec system's, and
    /// the archive system's for `archiveSystemDir`).
    /// - Throws: `TapisError.badRequest` for a malformed HOST_EVAL or a bad system.
    public func hostEvaluations() throws(TapisError) -> [(systemId: String, variable: String)] {
        let attributes = app.jobAttributes ?? .init()
        let execSystem = try system(request.execSystemId ?? attributes.execSystemId, field: "execSystemId")
        let archiveSystem = try system(request.archiveSystemId ?? attributes.archiveSystemId ?? execSystem.id, field: "archiveSystemId")
        let onExec: [(String?, String)] = [
            (execSystem.jobWorkingDir, "jobWorkingDir"),
            (request.execSystemInputDir ?? attributes.execSystemInputDir, "execSystemInputDir"),
            (request.execSystemExecDir ?? attributes.execSystemExecDir, "execSystemExecDir"),
            (request.execSystemOutputDir ?? attributes.execSystemOutputDir, "execSystemOutputDir"),
        ]
        var found: [(systemId: String, variable: String)] = []
        for (text, field) in onExec {
            if let text, let eval = try HostEval.parse(text, field: field) { found.append((execSystem.id, eval.variable)) }
        }
        if let text = request.archiveSystemDir ?? attributes.archiveSystemDir, let eval = try HostEval.parse(text, field: "archiveSystemDir") {
            found.append((archiveSystem.id, eval.variable))
        }
        var seen: Set<String> = []
        return found.filter { seen.insert($0.systemId + "\u{0}" + $0.variable).inserted }
    }

    /// The resolved job, status PENDING.
    /// - Throws: `TapisError.badRequest` naming the field and the rule it breaks.
    public func resolve() throws(TapisError) -> Job {
        let attributes = app.jobAttributes ?? .init()
        guard app.isAvailable else { throw .invalid("appId", "app \(app.id) version \(app.version) is disabled") }
        try checkRequestText()

        let execSystem = try system(request.execSystemId ?? attributes.execSystemId, field: "execSystemId")
        guard execSystem.canExec ?? true else { throw .invalid("execSystemId", "system \(execSystem.id) cannot run jobs (canExec is false)") }
        let archiveSystem = try system(request.archiveSystemId ?? attributes.archiveSystemId ?? execSystem.id, field: "archiveSystemId")
        let dtnSystem = try dtnSystem(of: execSystem)
        let jobType = try (request.jobType ?? app.jobType).map { (name) throws(TapisError) in try JobType.named(name) }
            ?? (execSystem.canRunBatch == true ? .batch : .fork)
        if jobType == .batch, execSystem.batchSchedulerName == nil {
            throw .invalid("jobType", "BATCH jobs need an exec system with a batchScheduler; \(execSystem.id) has none")
        }
        if jobType == .batch, execSystem.canRunBatch == false {
            throw .invalid("jobType", "system \(execSystem.id) does not run BATCH jobs (canRunBatch is false)")
        }
        let runtime = (app.runtime ?? "ZIP").uppercased()
        if let runtimes = execSystem.jobRuntimes, !runtimes.isEmpty, !runtimes.contains(where: { $0.runtimeType.uppercased() == runtime }) {
            throw .invalid("execSystemId", "system \(execSystem.id) does not offer the app's runtime \(runtime) (its jobRuntimes: \(runtimes.map(\.runtimeType).joined(separator: ", ")))")
        }
        let containerArgs = try checkedContainerArgs(runtime: runtime, on: execSystem, attributes: attributes)
        let archiveMode = try (request.archiveMode ?? attributes.archiveMode).map { (name) throws(TapisError) in try ArchiveMode.named(name) } ?? .always
        let archiveOnAppError = archiveMode == .always && (request.archiveOnAppError ?? attributes.archiveOnAppError ?? true)

        let nodeCount = positive(request.nodeCount) ?? positive(attributes.nodeCount) ?? 1
        let coresPerNode = positive(request.coresPerNode) ?? positive(attributes.coresPerNode) ?? 1
        let memoryMB = request.memoryMB ?? positive(attributes.memoryMB) ?? 100
        let maxMinutes = request.maxMinutes ?? positive(attributes.maxMinutes) ?? 10
        try Self.checkSizes(nodeCount: nodeCount, coresPerNode: coresPerNode, memoryMB: memoryMB, maxMinutes: maxMinutes)

        let (mpiCmd, cmdPrefix) = try launcher(on: execSystem, attributes: attributes)

        let queue = try logicalQueue(jobType: jobType, on: execSystem, attributes: attributes)
        try queue?.check(nodeCount: nodeCount, coresPerNode: coresPerNode, memoryMB: memoryMB, maxMinutes: maxMinutes)

        var macros = groundMacros(execSystem: execSystem, archiveSystem: archiveSystem, dtnSystem: dtnSystem)
        macros.set("ExecSystemLogicalQueue", queue?.name ?? "")
        macros.set("ExecSystemHPCQueue", queue?.hpcQueueName ?? "")
        macros.set("Nodes", String(nodeCount))
        macros.set("CoresPerNode", String(coresPerNode))
        macros.set("MemoryMB", String(memoryMB))
        macros.set("MaxMinutes", String(maxMinutes))
        macros.set("ArchiveOnAppError", String(archiveOnAppError))
        let name = try macros.substitute(request.name, field: "name")
        try Validation.rejectControlCharacters(name, field: "name")
        macros.set("JobName", name)
        macros.set("JobWorkingDir", try workingDir(of: execSystem, macros: macros))

        let jobDir = "${JobWorkingDir}/jobs/${JobUUID}"
        let inputDir = try macros.directory(
            try hostEvaluated(request.execSystemInputDir ?? attributes.execSystemInputDir ?? jobDir, on: execSystem, field: "execSystemInputDir"),
            field: "execSystemInputDir")
        macros.set("ExecSystemInputDir", inputDir)
        let execDir = try macros.directory(
            try hostEvaluated(request.execSystemExecDir ?? attributes.execSystemExecDir ?? jobDir, on: execSystem, field: "execSystemExecDir"),
            field: "execSystemExecDir")
        macros.set("ExecSystemExecDir", execDir)
        let outputDir = try macros.directory(
            try hostEvaluated(
                request.execSystemOutputDir ?? attributes.execSystemOutputDir ?? jobDir + "/output", on: execSystem, field: "execSystemOutputDir"),
            field: "execSystemOutputDir")
        macros.set("ExecSystemOutputDir", outputDir)
        let defaultArchiveDir = archiveSystem.id == execSystem.id ? outputDir : "/jobs/${JobUUID}/archive"
        let archiveDir = try macros.directory(
            try hostEvaluated(request.archiveSystemDir ?? attributes.archiveSystemDir ?? defaultArchiveDir, on: archiveSystem, field: "archiveSystemDir"),
            field: "archiveSystemDir")
        macros.set("ArchiveSystemDir", archiveDir)
        let dtnInputDir = try dtnDirectory(request.dtnSystemInputDir ?? attributes.dtnSystemInputDir, of: dtnSystem, macros: macros, field: "dtnSystemInputDir")
        macros.set("DtnSystemInputDir", dtnInputDir ?? "")
        let dtnOutputDir = try dtnDirectory(request.dtnSystemOutputDir ?? attributes.dtnSystemOutputDir, of: dtnSystem, macros: macros, field: "dtnSystemOutputDir")
        macros.set("DtnSystemOutputDir", dtnOutputDir ?? "")

        let singles = try FileInputMerge(
            app: attributes.fileInputs ?? [], request: request.fileInputs ?? [], strict: app.strictFileInputs ?? false,
            inputDir: inputDir, systems: systems
        ).merged()
        let arrays = try FileInputArrayMerge(
            app: attributes.fileInputArrays ?? [], request: request.fileInputArrays ?? [], strict: app.strictFileInputs ?? false,
            inputDir: inputDir, systems: systems
        ).merged()
        let inputs = singles + arrays.inputs
        let inputVariables = singles.compactMap { input in input.envKey.map { KeyValuePair(key: $0, value: input.targetPath) } } + arrays.variables
        let args = try ArgumentMerge(app: attributes.parameterSet?.appArgs ?? [], request: request.parameterSet?.appArgs ?? [])
            .merged().map { spec throws(TapisError) in
                var spec = spec
                spec.arg = try macros.substitute(spec.arg, field: "parameterSet.appArgs")
                try Validation.rejectControlCharacters(spec.arg, field: "parameterSet.appArgs")
                _ = try ShellWords.split(spec.arg, field: "parameterSet.appArgs")
                return spec
            }
        let logConfig = try resolvedLogConfig(macros: macros, attributes: attributes)
        macros.set("StdoutFilename", logConfig.stdoutFilename)
        macros.set("StderrFilename", logConfig.stderrFilename)
        var schedulerOptions = try ArgumentMerge(
            app: attributes.parameterSet?.schedulerOptions ?? [], request: request.parameterSet?.schedulerOptions ?? [],
            field: "parameterSet.schedulerOptions"
        ).merged().map { spec throws(TapisError) in
            var spec = spec
            spec.arg = try macros.substitute(spec.arg, field: "parameterSet.schedulerOptions")
            try Validation.rejectControlCharacters(spec.arg, field: "parameterSet.schedulerOptions")
            return spec
        }
        if jobType == .batch, let profile = execSystem.batchSchedulerProfile,
            SchedulerProfile.requested(in: schedulerOptions.map(\.arg)) == nil {
            schedulerOptions.append(JobArgSpec(arg: "--tapis-profile=" + profile))
        }
        let filter = try mergedFilter(macros: macros)
        let environment = try EnvironmentMerge(
            system: execSystem.jobEnvVariables ?? [], app: attributes.parameterSet?.envVariables ?? [], request: request.parameterSet?.envVariables ?? []
        ).merged(inputVariables: inputVariables, macros: macros)

        let description =
            try (request.description ?? attributes.description).map { text throws(TapisError) in
                let value = try macros.substitute(text, field: "description")
                try Validation.rejectControlCharacters(value, field: "description")
                return value
            } ?? "\(app.id)-\(app.version) submitted by \(jobOwner)@\(tenant)"
        let tags = try mergedTags(attributes: attributes)
        let notes = try checkedNotes(attributes: attributes)

        return Job(
            uuid: uuid, name: name, owner: jobOwner, tenant: tenant, description: description, status: .pending,
            condition: nil, lastMessage: "The job was accepted.", created: now, lastUpdated: now, ended: nil,
            appId: app.id, appVersion: app.version, jobType: jobType, runtime: runtime,
            containerImage: app.containerImage ?? "", execSystemId: execSystem.id, execSystemExecDir: execDir,
            execSystemInputDir: inputDir, execSystemOutputDir: outputDir, archiveSystemId: archiveSystem.id,
            archiveSystemDir: archiveDir, archiveOnAppError: archiveOnAppError, archiveMode: archiveMode,
            dtnSystemId: dtnSystem?.id, dtnSystemInputDir: dtnInputDir, dtnSystemOutputDir: dtnOutputDir,
            execSystemLogicalQueue: queue?.name, remoteQueue: queue?.hpcQueueName,
            nodeCount: nodeCount, coresPerNode: coresPerNode, memoryMB: memoryMB, maxMinutes: maxMinutes,
            mpi: mpiCmd != nil, mpiCmd: mpiCmd, cmdPrefix: cmdPrefix,
            fileInputs: inputs, parameterSet: ResolvedParameterSet(
                appArgs: args, schedulerOptions: schedulerOptions, containerArgs: containerArgs, envVariables: environment, archiveFilter: filter,
                logConfig: logConfig),
            tags: tags, notes: notes, remoteJobId: nil, remoteOutcome: nil, remoteResultInfo: nil,
            remoteSubmitted: nil, remoteStarted: nil, remoteEnded: nil, remoteLastStatusCheck: nil,
            remoteChecksSuccess: 0, remoteChecksFailed: 0, blockedCount: 0, visible: true)
    }

    /// The logical queue of a BATCH job: request → app → the system's default (spec §2.1).
    /// The MPI launcher (request → app → system, when `isMpi`) or the command prefix (request → app,
    /// when the system enables prefixes) put before the executable; at most one of them.
    private func launcher(on system: TapisSystem, attributes: TapisApp.JobAttributes) throws(TapisError) -> (mpiCmd: String?, cmdPrefix: String?) {
        let cmdPrefix = request.cmdPrefix ?? attributes.cmdPrefix
        if let cmdPrefix {
            guard system.enableCmdPrefix == true else {
                throw .invalid("cmdPrefix", "system \(system.id) does not allow command prefixes (its enableCmdPrefix is not true)")
            }
            guard (1...1024).contains(cmdPrefix.count) else { throw .invalid("cmdPrefix", "must be 1 to 1024 characters") }
            try Validation.rejectControlCharacters(cmdPrefix, field: "cmdPrefix")
            _ = try ShellWords.split(cmdPrefix, field: "cmdPrefix")
        }
        guard request.isMpi ?? attributes.isMpi ?? false else { return (nil, cmdPrefix) }
        guard let mpiCmd = request.mpiCmd ?? attributes.mpiCmd ?? system.mpiCmd, !mpiCmd.isEmpty else {
            throw .invalid("mpiCmd", "required when isMpi is true: the request, the app or system \(system.id) must name the MPI launcher")
        }
        if cmdPrefix != nil { throw .invalid("cmdPrefix", "cannot be combined with mpiCmd when isMpi is true") }
        guard mpiCmd.count <= 126 else { throw .invalid("mpiCmd", "longer than 126 characters") }
        try Validation.rejectControlCharacters(mpiCmd, field: "mpiCmd")
        try Validation.rejectDangerous(mpiCmd, field: "mpiCmd")
        _ = try ShellWords.split(mpiCmd, field: "mpiCmd")
        return (mpiCmd, nil)
    }

    private func logicalQueue(jobType: JobType, on system: TapisSystem, attributes: TapisApp.JobAttributes) throws(TapisError) -> LogicalQueue? {
        guard jobType == .batch else { return nil }
        let queues = system.batchLogicalQueues ?? []
        guard let name = request.execSystemLogicalQueue ?? attributes.execSystemLogicalQueue ?? system.batchDefaultLogicalQueue else {
            if queues.isEmpty { return nil }
            throw .invalid("execSystemLogicalQueue", "required: system \(system.id) has queues \(queues.map(\.name).joined(separator: ", ")) and no default")
        }
        guard let queue = queues.first(where: { $0.name == name }) else {
            throw .invalid("execSystemLogicalQueue", "system \(system.id) has no logical queue \(name.debugDescription); it has \(queues.map(\.name).joined(separator: ", "))")
        }
        return queue
    }

    func system(_ id: String?, field: String) throws(TapisError) -> TapisSystem {
        guard let id, !id.isEmpty else { throw .invalid(field, "is required (neither the request nor the app names one)") }
        try Validation.identifier(id, field: field)
        guard let system = systems[id] else { throw .invalid(field, "no system named \(id.debugDescription)") }
        guard system.isEnabled else { throw .invalid(field, "system \(id) is disabled") }
        return system
    }

    /// The macros known before any job field is read; an absent optional value is an empty string.
    private func groundMacros(execSystem: TapisSystem, archiveSystem: TapisSystem, dtnSystem: TapisSystem?) -> Macros {
        var macros = Macros()
        macros.set("JobUUID", uuid.rawValue)
        macros.set("Tenant", tenant)
        macros.set("JobOwner", jobOwner)
        macros.set("EffectiveUserId", execSystem.login(for: jobOwner))
        macros.set("AppId", app.id)
        macros.set("AppVersion", app.version)
        macros.set("ExecSystemId", execSystem.id)
        macros.set("ArchiveSystemId", archiveSystem.id)
        macros.set("DtnSystemId", dtnSystem?.id ?? "")
        macros.set("DynamicExecSystem", "false")
        macros.set("SysRootDir", execSystem.rootDir ?? "/")
        macros.set("SysHost", execSystem.host ?? "localhost")
        macros.set("SysBucketName", execSystem.bucketName ?? "")
        macros.set("SysBatchScheduler", execSystem.batchScheduler ?? "")
        let timestamp = Job.timestamp(now)
        macros.set("JobCreateTimestamp", timestamp)
        macros.set("JobCreateDate", String(timestamp.prefix(10)))
        macros.set("JobCreateTime", String(timestamp.dropFirst(11).prefix(8)))
        return macros
    }

    private func workingDir(of system: TapisSystem, macros: Macros) throws(TapisError) -> String {
        guard let dir = system.jobWorkingDir, !dir.isEmpty else {
            throw .invalid("execSystemId", "system \(system.id) has no jobWorkingDir")
        }
        let withUser = dir.replacingOccurrences(of: "${apiUserId}", with: jobOwner).replacingOccurrences(of: "${owner}", with: jobOwner)
        return try macros.directory(try hostEvaluated(withUser, on: system, field: "jobWorkingDir"), field: "jobWorkingDir")
    }

    /// The merged container arguments: a DOCKER job's words for the engine (checked by
    /// `ContainerArguments`); ZIP apps take only `--tapis-zip-save`, which changes nothing here
    /// (tapisd never keeps a fetched archive beyond the exec dir).
    private func checkedContainerArgs(runtime: String, on system: TapisSystem, attributes: TapisApp.JobAttributes) throws(TapisError) -> [JobArgSpec] {
        let args = try ArgumentMerge(
            app: attributes.parameterSet?.containerArgs ?? [], request: request.parameterSet?.containerArgs ?? [], field: "parameterSet.containerArgs"
        ).merged()
        if runtime == "DOCKER" {
            _ = try ContainerArguments.words(of: args, engine: try ContainerEngine(system: system))
            return args
        }
        for spec in args where spec.arg.trimmingCharacters(in: .whitespaces) != "--tapis-zip-save" {
            throw .invalid("parameterSet.containerArgs", "\(spec.arg.debugDescription) is not allowed: ZIP apps take only --tapis-zip-save")
        }
        return []
    }

    /// The output files (request → app → `tapisjob.out`): file names in the output dir, macros
    /// allowed (those known once the directories are), no dangerous characters.
    private func resolvedLogConfig(macros: Macros, attributes: TapisApp.JobAttributes) throws(TapisError) -> ResolvedLogConfig {
        let requested = request.parameterSet?.logConfig
        let defaults = attributes.parameterSet?.logConfig
        func name(_ value: String?, _ field: String) throws(TapisError) -> String {
            guard let value, !value.isEmpty else { return LaunchFiles.output }
            let relative = try TapisPath.relative(try macros.substitute(value, field: field), field: field)
            try Validation.rejectDangerous(relative, field: field)
            guard !relative.isEmpty, !relative.contains("/") else { throw .invalid(field, "must be a file name in the output dir") }
            return relative
        }
        return ResolvedLogConfig(
            stdoutFilename: try name(requested?.stdoutFilename ?? defaults?.stdoutFilename, "logConfig.stdoutFilename"),
            stderrFilename: try name(requested?.stderrFilename ?? defaults?.stderrFilename, "logConfig.stderrFilename"))
    }

    /// `text` with a leading HOST_EVAL replaced by the value read on `system`.
    private func hostEvaluated(_ text: String, on system: TapisSystem, field: String) throws(TapisError) -> String {
        guard let eval = try HostEval.parse(text, field: field) else { return text }
        return try eval.expand(hostValue: hostValues[system.id]?[eval.variable], system: system.id, field: field)
    }

    private func mergedFilter(macros: Macros) throws(TapisError) -> ArchiveFilterSpec {
        let requestFilter = request.parameterSet?.archiveFilter
        let appFilter = app.jobAttributes?.parameterSet?.archiveFilter
        func merged(_ list: [String], _ field: String) throws(TapisError) -> [String] {
            try list.map { item throws(TapisError) in
                let value = try macros.substitute(item, field: field)
                try Validation.rejectControlCharacters(value, field: field)
                return value
            }
        }
        let spec = ArchiveFilterSpec(
            includes: try merged((requestFilter?.includes ?? []) + (appFilter?.includes ?? []), "archiveFilter.includes"),
            excludes: try merged((requestFilter?.excludes ?? []) + (appFilter?.excludes ?? []), "archiveFilter.excludes"),
            includeLaunchFiles: requestFilter?.includeLaunchFiles ?? appFilter?.includeLaunchFiles ?? true)
        _ = try ArchiveFilter(spec)
        return spec
    }

    private func positive(_ value: Int?) -> Int? {
        guard let value, value > 0 else { return nil }
        return value
    }
}
