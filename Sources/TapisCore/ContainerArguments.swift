/// The rules for the words a DOCKER job passes to the container engine (its merged
/// `containerArgs`): plain words only, none of the options tapisd sets itself (Tapis's reserved
/// arguments), none that give a container more than its user has, none the site's options set.
public enum ContainerArguments {
    /// Options tapisd sets for every container (Tapis refuses the first six by name).
    static let reserved: Set<String> = [
        "--cidfile", "--detach", "--env", "--env-file", "--name", "--user",
        "--userns", "--attach", "--interactive", "--tty", "--sig-proxy", "--restart", "--env-host",
    ]
    /// Options that would give a container what its user does not have on the host, or reach
    /// outside its own namespaces (other containers, the host's network, the daemon's logging).
    static let privileged: Set<String> = [
        "--privileged", "--cap-add", "--security-opt", "--device", "--device-cgroup-rule", "--pid",
        "--ipc", "--uts", "--cgroupns", "--cgroup-parent", "--cgroup-conf", "--group-add", "--volumes-from",
        "--oom-score-adj", "--oom-kill-disable", "--runtime", "--link", "--log-driver", "--log-opt",
        "--uidmap", "--gidmap", "--subuidname", "--subgidname", "--annotation", "--gpus",
    ]
    /// Options whose values may only be those that stay inside the container: no `host` network
    /// and no joining another container's namespace.
    static let confined: Set<String> = ["--network"]
    /// Short options and aliases, by the long name they stand for.
    static let aliases: [String: String] = [
        "-d": "--detach", "-e": "--env", "-u": "--user", "-a": "--attach", "-i": "--interactive", "-t": "--tty",
        "--net": "--network", "-m": "--memory", "-c": "--cpu-shares", "-w": "--workdir", "-h": "--hostname",
        "-p": "--publish", "-P": "--publish-all", "-l": "--label", "-v": "--volume",
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
        for (index, word) in words.enumerated() {
            try checkWord(word, field: field)
            guard word.hasPrefix("-"), !isRemoval(word) else { continue }
            for name in optionNames(word) {
                if reserved.contains(name) {
                    throw .invalid(field, "\(name) is reserved: tapisd sets it for every container (name, user, environment, detaching)")
                }
                if privileged.contains(name) {
                    throw .invalid(field, "\(name) is not allowed: it would give the container more than the job's user has on the host")
                }
                if site.contains(name) {
                    throw .invalid(field, "\(name) is set by the exec system's containerEngineOptions and cannot be changed by a job")
                }
                if confined.contains(name) {
                    let value = word.contains("=") ? String(word.drop { $0 != "=" }.dropFirst()) : (index + 1 < words.count ? words[index + 1] : "")
                    if value == "host" || value.hasPrefix("container:") || value.hasPrefix("ns:") {
                        throw .invalid(field, "\(name) \(value) is not allowed: a job's container keeps its own network")
                    }
                }
            }
        }
        return words.filter { !isRemoval($0) }
    }

    /// Refuses site options (`containerEngineOptions`) that a user who is not an administrator may
    /// not give every container of their system: the privileged ones and bind mounts.
    static func checkUserSiteOptions(_ options: [String]) throws(TapisError) {
        for option in options {
            for name in optionNames(option) where privileged.contains(name) || name == "--volume" || name == "--mount" {
                throw .invalid("containerEngineOptions", "\(name) may be set only by an administrator")
            }
        }
    }

    /// `--rm` and `--rm=…`, which tapisd drops.
    private static func isRemoval(_ word: String) -> Bool { word == "--rm" || word.hasPrefix("--rm=") }

    /// Refuses a word with control characters or shell syntax.
    static func checkWord(_ word: String, field: String) throws(TapisError) {
        try Validation.rejectControlCharacters(word, field: field)
        if let bad = word.first(where: shellSyntax.contains) {
            throw .invalid(field, "\(word.debugDescription) contains \(String(bad).debugDescription): container arguments are plain words passed to the engine, never shell syntax")
        }
    }

    /// The reserved option `word` names, if any.
    static func reservedName(_ word: String) -> String? {
        optionNames(word).first(where: reserved.contains)
    }

    /// The short options that take no value, so that another may follow in the same word.
    private static let shortFlags: Set<Character> = ["d", "i", "t", "P"]

    /// The long names of the options `word` sets: `--network` for `--network=none` and `--net=x`;
    /// in a group of short options, as the engine reads it, each flag and then the first option
    /// that takes a value (`-dit`, `-Pu=0`, `-v/a:/b`).
    static func optionNames(_ word: String) -> [String] {
        if word.hasPrefix("--") {
            let name = String(word.prefix { $0 != "=" })
            return [aliases[name] ?? name]
        }
        guard word.hasPrefix("-"), word.count > 1 else { return [] }
        var names: [String] = []
        for letter in word.dropFirst() {
            names.append(aliases["-\(letter)"] ?? "-\(letter)")
            if !shortFlags.contains(letter) { break }
        }
        return names
    }
}
