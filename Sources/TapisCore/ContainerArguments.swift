/// The rules for the words a DOCKER job passes to the container engine (its merged
/// `containerArgs`): plain words only, none of the options tapisd sets itself (Tapis's reserved
/// arguments), none that give a container more than its user has, none the site's options set.
public enum ContainerArguments {
    /// Options tapisd sets for every container (Tapis refuses the first six by name).
    static let reserved: Set<String> = [
        "--cidfile", "-d", "--detach", "-e", "--env", "--env-file", "--name", "-u", "--user",
        "--userns", "-a", "--attach", "-i", "--interactive", "-t", "--tty", "--sig-proxy", "--restart",
    ]
    /// Options that would give a container what its user does not have on the host.
    static let privileged: Set<String> = [
        "--privileged", "--cap-add", "--security-opt", "--device", "--device-cgroup-rule", "--pid",
        "--ipc", "--uts", "--cgroupns", "--cgroup-parent", "--group-add", "--volumes-from", "--oom-score-adj",
    ]
    /// Characters a shell would read as syntax; refused so that no argument looks like a command.
    private static let shellSyntax: Set<Character> = ["`", "$", ";", "|", "&", "<", ">", "(", ")", "\\", "!", "*", "?", "[", "]", "{", "}", "~", "#", "\"", "'"]

    /// The words of a DOCKER job's merged container arguments, checked. Tapis's `--rm` is accepted
    /// and dropped: tapisd removes every container once it has read its exit code.
    /// - Throws: `TapisError.badRequest` naming `parameterSet.containerArgs` and the word.
    public static func words(of args: [JobArgSpec], engine: ContainerEngine) throws(TapisError) -> [String] {
        let field = "parameterSet.containerArgs"
        var words: [String] = []
        for spec in args { words += try ShellWords.split(spec.arg, field: field) }
        let site = engine.siteOptionNames
        for word in words {
            try checkWord(word, field: field)
            guard word.hasPrefix("-") else { continue }
            if let name = reservedName(word) {
                throw .invalid(field, "\(name) is reserved: tapisd sets it for every container (name, user, environment, detaching)")
            }
            let name = optionName(word)
            if privileged.contains(name) {
                throw .invalid(field, "\(name) is not allowed: it would give the container more than the job's user has on the host")
            }
            if site.contains(name) {
                throw .invalid(field, "\(name) is set by the exec system's containerEngineOptions and cannot be changed by a job")
            }
        }
        return words.filter { $0 != "--rm" }
    }

    /// Refuses a word with control characters or shell syntax.
    static func checkWord(_ word: String, field: String) throws(TapisError) {
        try Validation.rejectControlCharacters(word, field: field)
        if let bad = word.first(where: shellSyntax.contains) {
            throw .invalid(field, "\(word.debugDescription) contains \(String(bad).debugDescription): container arguments are plain words passed to the engine, never shell syntax")
        }
    }

    /// The reserved option `word` names, if any (`--name=x` and `-d` alike; short options grouped
    /// as `-dit` count too).
    static func reservedName(_ word: String) -> String? {
        let name = optionName(word)
        if reserved.contains(name) { return name }
        if !word.hasPrefix("--"), word.count > 2, !word.contains("=") {
            for letter in word.dropFirst() where reserved.contains("-\(letter)") { return "-\(letter)" }
        }
        return nil
    }

    /// `--network` for `--network=none`.
    static func optionName(_ word: String) -> String {
        String(word.prefix { $0 != "=" })
    }
}
