/// The files tapisd writes into a job's exec dir: `tapisjob.env` (the environment) and the body of
/// `tapisjob.sh` (what runs the app). Every value is quoted by `Shell.quote`; nothing a user wrote
/// becomes shell syntax.
public enum LaunchFiles {
    public static let script = "tapisjob.sh"
    public static let environment = "tapisjob.env"
    public static let output = "tapisjob.out"
    public static let exitCode = "tapisjob.exitcode"
    public static let appScript = "tapisjob_app.sh"
    public static let manifest = "tapisjob.manifest"

    /// `export KEY='value'` lines for every variable of the job.
    public static func environmentFile(for job: Job) -> String {
        job.parameterSet.envVariables.map { "export \($0.key)=\(Shell.quote($0.value ?? ""))\n" }.joined()
    }

    /// The shell lines that run the app: source the environment, run the app executable (after its
    /// MPI launcher or command prefix, split into words and quoted) with its arguments, appending
    /// stdout and stderr to the `logConfig` files (`tapisjob.out` by default, after anything a batch
    /// header printed there), then record the exit code atomically in `tapisjob.exitcode`. The
    /// scheduler dialect puts its own header above these lines.
    /// - Parameters:
    ///   - job: the resolved job.
    ///   - executable: the app's executable, relative to the exec dir.
    ///   - execDir: the exec dir as the exec host sees it.
    ///   - outputDir: the output dir as the exec host sees it.
    /// - Throws: `TapisError.badRequest` if an argument has an unterminated quote.
    public static func scriptBody(for job: Job, executable: String, execDir: String, outputDir: String) throws(TapisError) -> String {
        var words: [String] = []
        if let launcher = job.mpi == true ? job.mpiCmd : job.cmdPrefix {
            words += try ShellWords.split(launcher, field: job.mpi == true ? "mpiCmd" : "cmdPrefix")
        }
        words.append("./" + executable)
        words += try argumentWords(of: job)
        return """
            cd \(Shell.quote(execDir)) || exit 97
            . ./\(environment)
            \(Shell.command(words)) \(logRedirection(for: job, outputDir: outputDir)) < /dev/null
            rc=$?
            \(recordExitCode("\"$rc\"", outputDir: outputDir))
            exit "$rc"

            """
    }

    /// The app's arguments, each split into words as a shell would (quotes respected).
    /// - Throws: `TapisError.badRequest` if an argument has an unterminated quote.
    public static func argumentWords(of job: Job) throws(TapisError) -> [String] {
        var words: [String] = []
        for spec in job.parameterSet.appArgs { words += try ShellWords.split(spec.arg, field: "parameterSet.appArgs") }
        return words
    }

    /// The redirections that append a command's stdout and stderr to the job's `logConfig` files.
    public static func logRedirection(for job: Job, outputDir: String) -> String {
        let logs = job.parameterSet.logConfig
        let stdout = Shell.quote(TapisPath.join(outputDir, logs.stdoutFilename))
        let stderr = logs.stderrFilename == logs.stdoutFilename ? "2>&1" : "2>> " + Shell.quote(TapisPath.join(outputDir, logs.stderrFilename))
        return ">> \(stdout) \(stderr)"
    }

    /// The shell line that writes `value` (shell text, such as `"$rc"`) to `tapisjob.exitcode` in
    /// `outputDir` atomically (a temporary file, then a rename).
    public static func recordExitCode(_ value: String, outputDir: String) -> String {
        let file = TapisPath.join(outputDir, exitCode)
        return "printf '%s\\n' \(value) > \(Shell.quote(file + ".tmp")) && mv -f \(Shell.quote(file + ".tmp")) \(Shell.quote(file))"
    }

    /// The app executable named by a `tapisjob.manifest` (`tapisjob_executable=<path>`), if any.
    /// - Throws: `TapisError.badRequest` when the named path is not a plain relative path.
    public static func executable(fromManifest text: String) throws(TapisError) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("tapisjob_executable=") else { continue }
            let value = String(trimmed.dropFirst("tapisjob_executable=".count)).trimmingTrailingSpace()
            let relative = try TapisPath.relative(value, field: "tapisjob.manifest")
            try Validation.rejectDangerous(relative, field: "tapisjob.manifest")
            return relative.isEmpty ? nil : relative
        }
        return nil
    }
}

extension String {
    func trimmingTrailingSpace() -> String {
        var result = self
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
