import Foundation
import Testing
import TapisCore
import TapisTestSupport

@Suite struct ContainerTests {
    static func dockerApp(_ image: String = "localhost/tapisd-test:1") -> TapisApp {
        var app = TapisApp(id: "box", version: "1")
        app.runtime = "DOCKER"
        app.containerImage = image
        return app
    }

    static func podmanSystem() -> TapisSystem {
        var system = TapisSystem(id: "exec")
        system.jobWorkingDir = "/work/${apiUserId}"
        system.containerEngine = "podman"
        system.containerEngineOptions = ["--network=none", "--ulimit=nofile=1024:1024"]
        return system
    }

    static func job(containerArgs: [String] = [], appArgs: [String] = [], env: [KeyValuePair] = [], inputs: [JobFileInput] = []) throws -> Job {
        var request = JobSubmitRequest(name: "n", appId: "box", appVersion: "1")
        request.execSystemId = "exec"
        request.parameterSet = JobParameterSet(appArgs: appArgs.map { JobArgSpec(arg: $0) }, envVariables: env)
        request.parameterSet?.containerArgs = containerArgs.map { JobArgSpec(arg: $0) }
        request.fileInputs = inputs
        return try JobResolver(request: request, app: dockerApp(), systems: ["exec": podmanSystem()], owner: "alice", tenant: "t", uuid: .random(), now: Date()).resolve()
    }

    static func launch(_ job: Job, localInputs: [String] = []) -> ContainerLaunch {
        ContainerLaunch(
            job: job, engine: try! ContainerEngine(system: podmanSystem()), execDir: job.execSystemExecDir,
            inputDir: job.execSystemInputDir, outputDir: job.execSystemOutputDir, localInputs: localInputs)
    }

    @Test func dockerAppsNeedAPlainImageReference() throws {
        try Self.dockerApp().validate()
        try Self.dockerApp("docker.io/library/busybox:1.36@sha256:abc123").validate()
        try Self.dockerApp("registry.example.org:5000/lab/tool:2.1").validate()
        for bad in ["", "-v /:/host", "busybox;id", "busybox $(id)", "busy box", "box`id`", "box\n", "a//b", "busybox:"] {
            #expect(throws: TapisError.self, "\(bad.debugDescription)") { try Self.dockerApp(bad).validate() }
        }
    }

    @Test func singularityIsRefusedWithTheReason() {
        var app = Self.dockerApp()
        app.runtime = "SINGULARITY"
        #expect { try app.validate() } throws: { ($0 as? TapisError)?.message.contains("Apptainer") == true }
        app.runtime = "LXC"
        #expect(throws: TapisError.self) { try app.validate() }
    }

    @Test func systemsNameASupportedEngineAndPlainOptions() throws {
        try Self.podmanSystem().validate()
        var system = Self.podmanSystem()
        system.containerEngine = "lxc"
        #expect { try system.validate() } throws: { ($0 as? TapisError)?.message.contains("docker or podman") == true }
        system = Self.podmanSystem()
        system.containerEngineOptions = ["none"]
        #expect(throws: TapisError.self) { try system.validate() }
        system.containerEngineOptions = ["--name=fixed"]
        #expect(throws: TapisError.self) { try system.validate() }
        system.containerEngineOptions = ["--network=$(id)"]
        #expect(throws: TapisError.self) { try system.validate() }
        #expect(try ContainerEngine(system: TapisSystem(id: "d")).kind == .docker)
        system = Self.podmanSystem()
        system.containerEngineOptions = ["--privileged"]
        try system.validate(byAdministrator: true)
        #expect(throws: TapisError.self, "only an administrator's system gives every container more") { try system.validate(byAdministrator: false) }
        system.containerEngineOptions = ["--mount=type=bind,source=/,target=/host"]
        #expect(throws: TapisError.self) { try system.validate(byAdministrator: false) }
        system.containerEngineOptions = ["--network=none", "--ulimit=nproc=64:64"]
        try system.validate(byAdministrator: false)
    }

    @Test func reservedPrivilegedAndSiteOptionsAreRefusedByName() throws {
        let engine = try ContainerEngine(system: Self.podmanSystem())
        func refused(_ arg: String, _ phrase: String) {
            #expect(throws: TapisError.self, "\(arg)") { try ContainerArguments.words(of: [JobArgSpec(arg: arg)], engine: engine) }
            do {
                _ = try ContainerArguments.words(of: [JobArgSpec(arg: arg)], engine: engine)
            } catch {
                #expect(error.message.contains(phrase), "\(arg): \(error.message)")
            }
        }
        for reserved in ["--name x", "--name=x", "--user 0", "-u 0", "--env-file /etc/shadow", "-e A=1", "--env A=1", "-d", "--detach", "-dit", "--cidfile c", "--userns=host"] {
            refused(reserved, "reserved")
        }
        for privileged in ["--privileged", "--cap-add=SYS_ADMIN", "--security-opt seccomp=unconfined", "--device /dev/sda", "--pid=host"] {
            refused(privileged, "more than the job's user has")
        }
        for grouped in ["-Pu=0", "-Pe=A=1", "-tu", "-Pd"] { refused(grouped, "reserved") }
        refused("--network=host", "containerEngineOptions")
        refused("--net=host", "containerEngineOptions")
        refused("--log-driver=syslog", "more than the job's user has")
        refused("--runtime=/tmp/mine", "more than the job's user has")
        refused("--ulimit nofile=9:9", "containerEngineOptions")
        refused("--label a=$(id)", "shell syntax")
        refused("--label 'a;b'", "shell syntax")
        refused("--label \"unterminated", "quote")
        #expect(try ContainerArguments.words(of: [JobArgSpec(arg: "--rm --workdir /TapisExec"), JobArgSpec(arg: "--label 'a b=c' --rm=true")], engine: engine)
            == ["--workdir", "/TapisExec", "--label", "a b=c"])
        #expect(throws: TapisError.self, "-it is interactive and a tty") { try ContainerArguments.words(of: [JobArgSpec(arg: "-it")], engine: ContainerEngine()) }
        #expect(try ContainerArguments.words(of: [JobArgSpec(arg: "-v/data/dir:/data -w /TapisExec")], engine: ContainerEngine()) == ["-v/data/dir:/data", "-w", "/TapisExec"],
            "a short option's value is not read as more options")
        let docker = ContainerEngine()
        for network in ["--network host", "--network=container:tapis-other", "--net=ns:/proc/1/ns/net"] {
            #expect(throws: TapisError.self, "\(network)") { try ContainerArguments.words(of: [JobArgSpec(arg: network)], engine: docker) }
        }
        #expect(try ContainerArguments.words(of: [JobArgSpec(arg: "--network=none")], engine: docker) == ["--network=none"])
    }

    @Test func aJobIsRefusedAtSubmitForABadContainerArgument() {
        #expect(throws: TapisError.self) { try Self.job(containerArgs: ["--name other"]) }
        #expect(throws: TapisError.self) { try Self.job(containerArgs: ["--privileged"]) }
    }

    @Test func theDetachedScriptMountsTheJobDirsAndRunsAsTheLogin() throws {
        let job = try Self.job(containerArgs: ["--workdir /TapisExec"], appArgs: ["hello 'two words'"])
        let body = try Self.launch(job, localInputs: ["/data/ref.fa"]).detachedBody()
        let name = "tapis-" + job.uuid.rawValue
        #expect(body.contains("podman run -d --name \(name) \"$@\" --env-file \(job.execSystemExecDir)/tapisjob.env"))
        #expect(body.contains("--mount type=bind,source=\(job.execSystemExecDir),target=/TapisExec "))
        #expect(body.contains("--mount type=bind,source=\(job.execSystemInputDir),target=/TapisInput,readonly"))
        #expect(body.contains("--mount type=bind,source=\(job.execSystemOutputDir),target=/TapisOutput "))
        #expect(body.contains("--mount type=bind,source=/data/ref.fa,target=/data/ref.fa,readonly"))
        #expect(body.contains("--security-opt=no-new-privileges --network=none --ulimit=nofile=1024:1024 --workdir /TapisExec localhost/tapisd-test:1 hello 'two words'"))
        #expect(body.contains("set -- --userns=keep-id"))
        #expect(body.contains("podman logs -f \(name) >> \(job.execSystemOutputDir)/tapisjob.out 2>&1"))
        #expect(body.contains("podman rm -f \(name)"))
        #expect(body.contains("is not installed on this host"))
    }

    @Test func theForegroundScriptRemovesTheContainerOnTermAndKeepsTheEngineExitCode() throws {
        let job = try Self.job()
        let body = try Self.launch(job).foregroundBody()
        let name = "tapis-" + job.uuid.rawValue
        #expect(body.contains("trap 'podman rm -f \(name) > /dev/null 2>&1; exit 143' TERM INT HUP"))
        #expect(body.contains("podman run --name \(name) \"$@\""))
        #expect(!body.contains("run -d"))
        #expect(body.contains("wait \"$!\""))
        #expect(body.contains("container inspect --format '{{.State.Status}} {{.State.ExitCode}}'"))
        #expect(body.contains("\(job.execSystemOutputDir)/tapisjob.exitcode"))
    }

    @Test func dockerUsesTheLoginsIds() throws {
        let job = try Self.job()
        let launch = ContainerLaunch(job: job, engine: ContainerEngine(), execDir: "/e", inputDir: "/i", outputDir: "/o", localInputs: [])
        #expect(try launch.detachedBody().contains("set -- \"--user=$(id -u):$(id -g)\""))
        #expect(try launch.detachedBody().contains("docker run -d"))
        #expect(try launch.detachedBody().contains("--security-opt=no-new-privileges --cap-drop=ALL"), "Docker's daemon is root: no capabilities, no setuid")
    }

    @Test func theEnvironmentFileIsKeyEqualsValueAndPathsWithCommasAreRefused() throws {
        let job = try Self.job(env: [KeyValuePair(key: "GREETING", value: "it's $HOME")])
        #expect(ContainerLaunch.environmentFile(for: job).contains("GREETING=it's $HOME\n"))
        let launch = ContainerLaunch(job: job, engine: ContainerEngine(), execDir: "/e,x", inputDir: "/i", outputDir: "/o", localInputs: [])
        #expect(throws: TapisError.self) { try launch.detachedBody() }
    }

    @Test func withoutTheEngineTheScriptSaysSoAndExits127() throws {
        let job = try Self.job()
        let directory = try TemporaryDirectory()
        let launch = ContainerLaunch(job: job, engine: try ContainerEngine(system: Self.podmanSystem()), execDir: directory.path, inputDir: "/i", outputDir: "/o", localInputs: [])
        let run = try ProgramRunner.run(["/usr/bin/env", "-i", "PATH=/nonexistent", "/bin/sh", "-c", try launch.detachedBody()])
        #expect(run.status == 127)
        #expect(run.stderr.contains("the container engine podman is not installed on this host"), "\(run.stderr)")
    }
}
