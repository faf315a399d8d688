/// What runs a DOCKER job (spec §5.5): `tapisjob.env` in the engine's `KEY=value` format and the
/// lines of `tapisjob.sh` that run the container named after the job, as the job's login, with
/// the exec dir at `/TapisExec`, the input dir read-only at `/TapisInput`, the output dir at
/// `/TapisOutput` and `tapislocal` inputs read-only at their own paths. Every word is quoted by
/// `Shell.quote`.
public struct ContainerLaunch: Sendable {
    public let job: Job
    public let engine: ContainerEngine
    /// The job's directories as the exec host sees them.
    public let execDir: String
    public let inputDir: String
    public let outputDir: String
    /// Host paths of the job's `tapislocal` inputs, as the exec host sees them.
    public let localInputs: [String]

    public init(job: Job, engine: ContainerEngine, execDir: String, inputDir: String, outputDir: String, localInputs: [String]) {
        self.job = job
        self.engine = engine
        self.execDir = execDir
        self.inputDir = inputDir
        self.outputDir = outputDir
        self.localInputs = localInputs
    }

    /// The container's name: the job's scheduler tag.
    public var name: String { job.uuid.submissionTag }

    /// `KEY=value` lines, as `--env-file` reads them (the value is the rest of the line, unquoted).
    public static func environmentFile(for job: Job) -> String {
        job.parameterSet.envVariables.map { "\($0.key)=\($0.value ?? "")\n" }.joined()
    }

    /// The body of a FORK job's `tapisjob.sh`: starts the container detached, starts a follower
    /// that appends its output to the job's log files, and prints the container's name. If the
    /// engine refuses, a container it created but never started is removed (never one that runs)
    /// and the engine's message goes to standard error.
    public func detachedBody() throws(TapisError) -> String {
        let quotedName = Shell.quote(name)
        let state = Shell.command([engine.command, "container", "inspect", "--format", "{{.State.Status}}", name])
        return try preamble() + """
            \(try runCommand(detached: true)) > /dev/null || { rc=$?; case "$(\(state) 2>/dev/null)" in ""|created|configured|initialized) \(removal);; esac; exit "$rc"; }
            setsid \(Shell.command([engine.command, "logs", "-f", name])) \(logRedirection) < /dev/null &
            echo "$!" > \(Shell.quote(Self.followerFile))
            printf '%s\\n' \(quotedName)

            """
    }

    /// The body of a BATCH job's `tapisjob.sh`: runs the container in the foreground, so the batch
    /// scheduler's accounting, time limit and cancel apply to it; a TERM (cancel, time limit) removes
    /// the container. Records the engine's exit code in `tapisjob.exitcode` and removes the container.
    public func foregroundBody() throws(TapisError) -> String {
        return try preamble() + """
            \(removal)
            trap '\(removal); exit 143' TERM INT HUP
            \(try runCommand(detached: false)) \(logRedirection) < /dev/null &
            wait "$!"
            rc=$?
            state=$(\(Shell.command([engine.command, "container", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name])) 2>/dev/null)
            case "$state" in "exited "*) rc=${state#exited } ;; esac
            \(removal)
            \(LaunchFiles.recordExitCode("\"$rc\"", outputDir: outputDir))
            exit "$rc"

            """
    }

    /// The file in the exec dir holding the pid of the FORK job's log follower.
    public static let followerFile = "tapisjob.logpid"

    /// Lines common to both bodies: the exec dir, a clear error when the engine is missing, and the
    /// user options in the positional parameters.
    private func preamble() throws(TapisError) -> String {
        let missing = "tapisd: the container engine \(engine.command) is not installed on this host (not on PATH)"
        return """
            cd \(Shell.quote(execDir)) || exit 97
            command -v \(Shell.quote(engine.command)) > /dev/null 2>&1 || { echo \(Shell.quote(missing)) >&2; exit 127; }
            \(engine.userOptionLines)
            """
    }

    /// `rm -f` of the container, quiet.
    private var removal: String {
        Shell.command([engine.command, "rm", "-f", name]) + " > /dev/null 2>&1"
    }

    private var logRedirection: String { LaunchFiles.logRedirection(for: job, outputDir: outputDir) }

    /// `<engine> run [-d] --name … "$@" --env-file … --mount … <site options> <container args>
    /// <image> <app args>`.
    func runCommand(detached: Bool) throws(TapisError) -> String {
        var head = [engine.command, "run"]
        if detached { head.append("-d") }
        head += ["--name", name]
        var tail = ["--env-file", TapisPath.join(execDir, LaunchFiles.environment)]
        tail += try mount(execDir, at: "/TapisExec", readOnly: false)
        tail += try mount(inputDir, at: "/TapisInput", readOnly: true)
        tail += try mount(outputDir, at: "/TapisOutput", readOnly: false)
        for path in localInputs { tail += try mount(path, at: path, readOnly: true) }
        tail += engine.hardeningOptions + engine.runOptions
        tail += try ContainerArguments.words(of: job.parameterSet.containerArgs, engine: engine)
        tail.append(job.containerImage)
        tail += try LaunchFiles.argumentWords(of: job)
        return Shell.command(head) + " \"$@\" " + Shell.command(tail)
    }

    /// A bind mount; a path with a comma cannot be written in `--mount`'s syntax and is refused.
    private func mount(_ source: String, at target: String, readOnly: Bool) throws(TapisError) -> [String] {
        guard !source.contains(","), !target.contains(",") else {
            throw TapisError(.badRequest, "the path \(source.debugDescription) contains a comma, which a container mount cannot name; choose job directories without one")
        }
        return ["--mount", "type=bind,source=\(source),target=\(target)" + (readOnly ? ",readonly" : "")]
    }
}
