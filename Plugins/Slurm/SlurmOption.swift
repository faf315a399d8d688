import Foundation
import TapisCore

/// One of the user's `schedulerOptions` for Slurm, under Tapis's rules (spec §5.5): one sbatch
/// option with at most one value, from a whitelist; the options tapisd derives from Tapis fields are
/// refused with the field to use instead.
struct SlurmOption: Equatable {
    /// The long form, such as `--account`.
    var name: String
    var value: String?

    /// The `#SBATCH` directive's text.
    var directive: String { value.map { "\(name)=\($0)" } ?? name }

    /// Options tapisd sets itself, with the Tapis field that sets them.
    static let subsumed: [String: String] = [
        "--mem": "memoryMB", "--nodes": "nodeCount", "--ntasks": "coresPerNode (times nodeCount)",
        "--partition": "execSystemLogicalQueue", "--time": "maxMinutes",
    ]

    /// Options a job may not set, and why.
    static let refused: [String: String] = [
        "--job-name": "tapisd names each Slurm job after its submission tag, which is how it finds the job again after a crash",
        "--array": "array jobs are not supported by tapisd",
    ]

    /// The sbatch options a job may set.
    static let allowed: Set<String> = [
        "--account", "--acctg-freq", "--batch", "--bb", "--bbf", "--begin", "--cluster-constraint", "--clusters",
        "--comment", "--constraint", "--container", "--contiguous", "--core-spec", "--cores-per-socket", "--cpu-freq",
        "--cpus-per-gpu", "--cpus-per-task", "--deadline", "--delay-boot", "--dependency", "--distribution", "--error",
        "--exclude", "--exclusive", "--export", "--extra-node-info", "--get-user-env", "--gpu-bind", "--gpu-freq",
        "--gpus", "--gpus-per-node", "--gpus-per-socket", "--gpus-per-task", "--gres", "--gres-flags", "--hint",
        "--hold", "--ignore-pbs", "--input", "--kill-on-invalid-dep", "--licenses", "--mail-type", "--mail-user",
        "--mcs-label", "--mem-bind", "--mem-per-cpu", "--mem-per-gpu", "--mincpus", "--network", "--nice", "--no-kill",
        "--no-requeue", "--nodefile", "--nodelist", "--ntasks-per-core", "--ntasks-per-gpu", "--ntasks-per-node",
        "--ntasks-per-socket", "--open-mode", "--output", "--overcommit", "--oversubscribe", "--power", "--priority",
        "--profile", "--propagate", "--qos", "--quiet", "--reboot", "--requeue", "--reservation", "--signal",
        "--sockets-per-node", "--spread-job", "--switches", "--tapis-profile", "--thread-spec", "--threads-per-core", "--time-min",
        "--tmp", "--use-min-nodes", "--verbose", "--wckey",
    ]

    /// sbatch's one-letter options, by their long form.
    static let shortForms: [Character: String] = [
        "A": "--account", "B": "--extra-node-info", "C": "--constraint", "D": "--chdir", "F": "--nodefile",
        "G": "--gpus", "H": "--hold", "J": "--job-name", "L": "--licenses", "M": "--clusters", "N": "--nodes",
        "O": "--overcommit", "Q": "--quiet", "S": "--core-spec", "W": "--wait", "a": "--array", "b": "--begin",
        "c": "--cpus-per-task", "d": "--dependency", "e": "--error", "i": "--input", "k": "--no-kill",
        "m": "--distribution", "n": "--ntasks", "o": "--output", "p": "--partition", "q": "--qos",
        "s": "--oversubscribe", "t": "--time", "v": "--verbose", "w": "--nodelist", "x": "--exclude",
    ]

    /// Reads one option: `--name`, `--name=value`, `--name value`, `-X value` or `-Xvalue`.
    /// - Throws: `TapisError.badRequest` naming the option and the rule it breaks.
    static func parse(_ text: String) throws(TapisError) -> SlurmOption {
        let field = "parameterSet.schedulerOptions"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("-") else {
            throw .invalid(field, "\(text.debugDescription) is not an sbatch option (it must start with -)")
        }
        var name: String
        var rest: Substring
        if trimmed.hasPrefix("--") {
            let end = trimmed.firstIndex { $0 == "=" || $0 == " " || $0 == "\t" } ?? trimmed.endIndex
            name = String(trimmed[..<end])
            rest = trimmed[end...]
            if rest.first == "=" { rest = rest.dropFirst() }
        } else {
            let letter = trimmed.dropFirst().first
            guard let letter, let long = shortForms[letter] else {
                throw .invalid(field, "\(text.debugDescription) is not an sbatch option tapisd knows")
            }
            name = long
            rest = trimmed.dropFirst(2)
            if rest.first == "=" { rest = rest.dropFirst() }
        }
        let value = rest.trimmingCharacters(in: .whitespaces)
        if let tapisField = subsumed[name] {
            throw .invalid(field, "\(name) is set by tapisd from the job's \(tapisField); set that field instead")
        }
        if let reason = refused[name] { throw .invalid(field, "\(name) is not allowed: \(reason)") }
        guard allowed.contains(name) else {
            throw .invalid(field, "\(name) is not among the sbatch options a job may set")
        }
        if value.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "\\" }) {
            throw .invalid(field, "the value of \(name) may not hold spaces, quotes or backslashes (one option, one value per entry)")
        }
        return SlurmOption(name: name, value: value.isEmpty ? nil : value)
    }
}
