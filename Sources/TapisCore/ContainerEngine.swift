/// The container engine a system runs DOCKER jobs with (tapisd's `containerEngine` and
/// `containerEngineOptions` system fields): its command and the options the site puts on every
/// `run`, which a job's container arguments can neither repeat nor override.
public struct ContainerEngine: Sendable, Hashable {
    /// The engines tapisd drives; each is run by its name on the exec host's PATH.
    public enum Kind: String, Sendable, Hashable {
        case docker, podman
    }

    public var kind: Kind
    /// Options after `run`, one word each (`--network=none`, `--ulimit=nofile=1024:1024`).
    public var runOptions: [String]

    public init(kind: Kind = .docker, runOptions: [String] = []) {
        self.kind = kind
        self.runOptions = runOptions
    }

    /// The engine `system` names (docker when it names none).
    /// - Throws: `TapisError.badRequest` naming `containerEngine` or `containerEngineOptions`.
    public init(system: TapisSystem) throws(TapisError) {
        let name = system.containerEngine ?? Kind.docker.rawValue
        guard let kind = Kind(rawValue: name) else {
            throw .invalid("containerEngine", "\(name.debugDescription) is not supported; use docker or podman")
        }
        let options = system.containerEngineOptions ?? []
        for option in options {
            guard option.hasPrefix("-") else {
                throw .invalid("containerEngineOptions", "\(option.debugDescription) is not an option: give each as one word, such as --network=none")
            }
            try ContainerArguments.checkWord(option, field: "containerEngineOptions")
            if let reserved = ContainerArguments.reservedName(option) {
                throw .invalid("containerEngineOptions", "\(reserved) is set by tapisd for every container")
            }
        }
        self.init(kind: kind, runOptions: options)
    }

    /// The engine's command.
    public var command: String { kind.rawValue }

    /// The option names the site's options set (`--network` for `--network=none` or `--net=none`).
    var siteOptionNames: Set<String> { Set(runOptions.flatMap(ContainerArguments.optionNames)) }

    /// What tapisd puts on every container: no gaining of privileges (setuid files), and for
    /// Docker, whose daemon is root, no capabilities.
    var hardeningOptions: [String] {
        kind == .docker ? ["--security-opt=no-new-privileges", "--cap-drop=ALL"] : ["--security-opt=no-new-privileges"]
    }

    /// Shell lines that set the positional parameters to the options that run the container as the
    /// job's user: Docker's `--user` with the login's ids; for rootless Podman `--userns=keep-id`,
    /// which maps the login to the same uid inside (Docker's `--user` would map it to a sub-uid).
    var userOptionLines: String {
        switch kind {
        case .docker:
            return "set -- \"--user=$(id -u):$(id -g)\"\n"
        case .podman:
            return "if [ \"$(id -u)\" -eq 0 ]; then set -- --user=0:0; else set -- --userns=keep-id; fi\n"
        }
    }
}
