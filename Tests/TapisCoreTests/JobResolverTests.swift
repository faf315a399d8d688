import Foundation
import Testing
import TapisCore

@Suite struct JobResolverTests {
    static let uuid = JobUUID(rawValue: "11111111-2222-4333-8444-555555555555-007")

    static func system(_ id: String = "exec") -> TapisSystem {
        var system = TapisSystem(id: id)
        system.host = "localhost"
        system.rootDir = "/"
        system.jobWorkingDir = "/work/${apiUserId}"
        system.canExec = true
        return system
    }

    static func app() -> TapisApp {
        var app = TapisApp(id: "hello", version: "1.0")
        app.containerImage = "/apps/hello.tgz"
        var attributes = TapisApp.JobAttributes()
        attributes.execSystemId = "exec"
        attributes.nodeCount = 2
        attributes.maxMinutes = 30
        attributes.parameterSet = AppParameterSet(
            appArgs: [
                AppArgSpec(name: "fixed", inputMode: "FIXED", arg: "--fixed"),
                AppArgSpec(name: "byDefault", inputMode: "INCLUDE_BY_DEFAULT", arg: "--default"),
                AppArgSpec(name: "onDemand", inputMode: "INCLUDE_ON_DEMAND", arg: "--demand"),
            ],
            envVariables: [KeyValuePair(key: "APP_ONLY", value: "a"), KeyValuePair(key: "BOTH", value: "from-app")],
            archiveFilter: ArchiveFilterSpec(includes: ["*.dat"], excludes: ["tmp/**"], includeLaunchFiles: false))
        app.jobAttributes = attributes
        return app
    }

    static func resolve(_ request: JobSubmitRequest, app: TapisApp = app(), systems: [TapisSystem] = [system()]) throws -> Job {
        try JobResolver(
            request: request, app: app, systems: Dictionary(uniqueKeysWithValues: systems.map { ($0.id, $0) }), owner: "alice",
            tenant: "t1", uuid: uuid, now: Date(timeIntervalSince1970: 1_700_000_000)
        ).resolve()
    }

    @Test func defaultsComeFromAppThenSystemThenBuiltIns() throws {
        let job = try Self.resolve(JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0"))
        #expect(job.execSystemId == "exec")
        #expect(job.execSystemExecDir == "/work/alice/jobs/\(Self.uuid)")
        #expect(job.execSystemInputDir == "/work/alice/jobs/\(Self.uuid)")
        #expect(job.execSystemOutputDir == "/work/alice/jobs/\(Self.uuid)/output")
        #expect(job.archiveSystemId == "exec")
        #expect(job.archiveSystemDir == job.execSystemOutputDir)
        #expect(job.nodeCount == 2 && job.coresPerNode == 1 && job.memoryMB == 100 && job.maxMinutes == 30)
        #expect(job.description == "hello-1.0 submitted by alice@t1")
        #expect(job.status == .pending && job.jobType == .fork)
        #expect(job.parameterSet.archiveFilter == ArchiveFilterSpec(includes: ["*.dat"], excludes: ["tmp/**"], includeLaunchFiles: false))
    }

    @Test func requestOverridesAppAndMacrosExpandInOrder() throws {
        var request = JobSubmitRequest(name: "run-${JobOwner}", appId: "hello", appVersion: "1.0")
        request.nodeCount = 4
        request.coresPerNode = 0
        request.execSystemOutputDir = "${ExecSystemExecDir}/out-${JobName}"
        request.archiveSystemDir = "/archive/${JobName}/${JobUUID}"
        let job = try Self.resolve(request)
        #expect(job.name == "run-alice")
        #expect(job.nodeCount == 4)
        #expect(job.coresPerNode == 1 && job.maxMinutes == 30, "0 cores counts as unset, so the default applies")
        #expect(job.execSystemOutputDir == "/work/alice/jobs/\(Self.uuid)/out-run-alice")
        #expect(job.archiveSystemDir == "/archive/run-alice/\(Self.uuid)")
    }

    @Test func macrosBecomeTapisEnvironmentVariables() throws {
        let job = try Self.resolve(JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0"))
        let env = Dictionary(uniqueKeysWithValues: job.parameterSet.envVariables.map { ($0.key, $0.value ?? "") })
        #expect(env["_tapisJobUUID"] == Self.uuid.rawValue)
        #expect(env["_tapisJobOwner"] == "alice")
        #expect(env["_tapisJobWorkingDir"] == "/work/alice")
        #expect(env["_tapisExecSystemOutputDir"] == job.execSystemOutputDir)
        #expect(env["_tapisNodes"] == "2")
        #expect(env["_tapisJobCreateDate"] == "2023-11-14")
        let keys = job.parameterSet.envVariables.map { $0.key.lowercased() }
        #expect(keys == keys.sorted())
    }

    @Test func environmentRequestBeatsApp() throws {
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.parameterSet = JobParameterSet(envVariables: [KeyValuePair(key: "BOTH", value: "from-request"), KeyValuePair(key: "NEW", value: "x y")])
        let env = Dictionary(uniqueKeysWithValues: try Self.resolve(request).parameterSet.envVariables.map { ($0.key, $0.value ?? "") })
        #expect(env["BOTH"] == "from-request")
        #expect(env["APP_ONLY"] == "a")
        #expect(env["NEW"] == "x y")
    }

    @Test func argumentModes() throws {
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.parameterSet = JobParameterSet(appArgs: [JobArgSpec(arg: "extra")])
        #expect(try Self.resolve(request).parameterSet.appArgs.map(\.arg) == ["--fixed", "--default", "extra"])

        var off = JobArgSpec(name: "byDefault", arg: "--default")
        off.include = false
        request.parameterSet = JobParameterSet(appArgs: [off, JobArgSpec(name: "onDemand", arg: "--demand=7")])
        #expect(try Self.resolve(request).parameterSet.appArgs.map(\.arg) == ["--fixed", "--demand=7"])

        request.parameterSet = JobParameterSet(appArgs: [JobArgSpec(name: "fixed", arg: "--other")])
        let error = #expect(throws: TapisError.self) { try Self.resolve(request) }
        #expect(error?.message.contains("FIXED") == true)
    }

    @Test func fileInputs() throws {
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.fileInputs = [
            JobFileInput(sourceUrl: "tapis://exec/data/in.txt"),
            JobFileInput(name: "local", sourceUrl: "tapislocal://exec.tapis/scratch/big.dat", targetPath: "ignored"),
            JobFileInput(sourceUrl: "https://example.org/x.csv", targetPath: "sub/y.csv"),
        ]
        let inputs = try Self.resolve(request).fileInputs
        #expect(inputs.map(\.targetPath) == ["/work/alice/jobs/\(Self.uuid)/in.txt", "/scratch/big.dat", "/work/alice/jobs/\(Self.uuid)/sub/y.csv"])

        request.fileInputs = [JobFileInput(sourceUrl: "tapis://nosuch/x")]
        #expect((#expect(throws: TapisError.self) { try Self.resolve(request) })?.message.contains("unknown system") == true)
        request.fileInputs = [JobFileInput(sourceUrl: "tapis://exec/x", targetPath: "../escape")]
        #expect((#expect(throws: TapisError.self) { try Self.resolve(request) })?.message.hasPrefix("fileInputs.targetPath") == true)
        request.fileInputs = [JobFileInput(sourceUrl: "ftp://host/x")]
        #expect((#expect(throws: TapisError.self) { try Self.resolve(request) })?.message.hasPrefix("fileInputs.sourceUrl") == true)
    }

    @Test(arguments: [
        ("execSystemId", "nosuch", "execSystemId"),
        ("name", "bad\u{1}name", "name"),
        ("execSystemOutputDir", "/a/../b", "execSystemOutputDir"),
        ("execSystemExecDir", "${NoSuchMacro}/x", "execSystemExecDir"),
    ])
    func badRequestsNameTheField(field: String, value: String, named: String) throws {
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        switch field {
        case "execSystemId": request.execSystemId = value
        case "name": request.name = value
        case "execSystemOutputDir": request.execSystemOutputDir = value
        default: request.execSystemExecDir = value
        }
        let error = #expect(throws: TapisError.self) { try Self.resolve(request) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix(named + ":") == true, "\(error?.message ?? "")")
    }

    @Test func disabledAppAndSystem() throws {
        var app = Self.app()
        app.enabled = false
        #expect(throws: TapisError.self) { try Self.resolve(JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0"), app: app) }
        var system = Self.system()
        system.enabled = false
        let error = #expect(throws: TapisError.self) { try Self.resolve(JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0"), systems: [system]) }
        #expect(error?.message.contains("disabled") == true)
    }

    @Test func schedulerOptionsMergeLikeArgumentsAndTakeMacros() throws {
        var app = Self.app()
        app.jobAttributes?.parameterSet = AppParameterSet(schedulerOptions: [
            AppArgSpec(name: "account", inputMode: "FIXED", arg: "--account=research"),
            AppArgSpec(name: "mail", inputMode: "INCLUDE_BY_DEFAULT", arg: "--mail-type=END"),
            AppArgSpec(name: "qos", inputMode: "INCLUDE_ON_DEMAND", arg: "--qos=normal"),
        ])
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        var off = JobArgSpec(name: "mail", arg: "--mail-type=END")
        off.include = false
        request.parameterSet = JobParameterSet(schedulerOptions: [off, JobArgSpec(arg: "--comment=${JobName}")])
        let job = try Self.resolve(request, app: app)
        #expect(job.parameterSet.schedulerOptions.map(\.arg) == ["--account=research", "--comment=n"])

        request.parameterSet = JobParameterSet(schedulerOptions: [JobArgSpec(name: "account", arg: "--account=other")])
        let fixed = #expect(throws: TapisError.self) { try Self.resolve(request, app: app) }
        #expect(fixed?.message.hasPrefix("parameterSet.schedulerOptions: ") == true, "\(fixed?.message ?? "")")
    }

    @Test func aBatchJobGetsItsSystemsSchedulerProfileUnlessItNamesOne() throws {
        var system = Self.system()
        system.batchScheduler = "SLURM"
        system.batchSchedulerProfile = "site"
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.jobType = "BATCH"
        #expect(try Self.resolve(request, systems: [system]).parameterSet.schedulerOptions.map(\.arg) == ["--tapis-profile=site"])
        request.parameterSet = JobParameterSet(schedulerOptions: [JobArgSpec(arg: "--tapis-profile mine")])
        let named = try Self.resolve(request, systems: [system]).parameterSet.schedulerOptions.map(\.arg)
        #expect(named == ["--tapis-profile mine"])
        #expect(SchedulerProfile.requested(in: named) == "mine")
        request.jobType = "FORK"
        request.parameterSet = nil
        #expect(try Self.resolve(request, systems: [system]).parameterSet.schedulerOptions.isEmpty, "FORK jobs have no scheduler profile")
    }

    @Test func mpiLaunchersAndCommandPrefixesFollowTapissRules() throws {
        var system = Self.system()
        system.mpiCmd = "mpirun -np 4"
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.isMpi = true
        let mpi = try Self.resolve(request, systems: [system])
        #expect(mpi.mpi == true && mpi.mpiCmd == "mpirun -np 4" && mpi.cmdPrefix == nil)
        let body = try LaunchFiles.scriptBody(for: mpi, executable: "run.sh", execDir: "/e", outputDir: "/o")
        #expect(body.contains("mpirun -np 4 ./run.sh --fixed --default >> /o/tapisjob.out"))

        request.mpiCmd = "mpirun; rm -rf ~"
        #expect((#expect(throws: TapisError.self) { try Self.resolve(request, systems: [system]) })?.message.hasPrefix("mpiCmd: ") == true)
        request.mpiCmd = nil
        system.mpiCmd = nil
        let missing = #expect(throws: TapisError.self) { try Self.resolve(request, systems: [system]) }
        #expect(missing?.message == "mpiCmd: required when isMpi is true: the request, the app or system exec must name the MPI launcher")

        request.isMpi = nil
        request.cmdPrefix = "env 'A=1 2'"
        let refused = #expect(throws: TapisError.self) { try Self.resolve(request, systems: [system]) }
        #expect(refused?.message == "cmdPrefix: system exec does not allow command prefixes (its enableCmdPrefix is not true)")
        system.enableCmdPrefix = true
        let prefixed = try Self.resolve(request, systems: [system])
        #expect(try LaunchFiles.scriptBody(for: prefixed, executable: "run.sh", execDir: "/e", outputDir: "/o").contains("env 'A=1 2' ./run.sh"))
        request.isMpi = true
        request.mpiCmd = "mpirun"
        let both = #expect(throws: TapisError.self) { try Self.resolve(request, systems: [system]) }
        #expect(both?.message == "cmdPrefix: cannot be combined with mpiCmd when isMpi is true")
    }

    @Test func logConfigNamesTheOutputFilesWithMacros() throws {
        var request = JobSubmitRequest(name: "run7", appId: "hello", appVersion: "1.0")
        request.parameterSet = JobParameterSet(logConfig: LogConfig(stdoutFilename: "${JobName}.out", stderrFilename: "${JobName}.err"))
        let job = try Self.resolve(request)
        #expect(job.parameterSet.logConfig == ResolvedLogConfig(stdoutFilename: "run7.out", stderrFilename: "run7.err"))
        #expect(job.parameterSet.envVariables.contains(KeyValuePair(key: "_tapisStderrFilename", value: "run7.err")))
        let body = try LaunchFiles.scriptBody(for: job, executable: "run.sh", execDir: "/e", outputDir: "/o")
        #expect(body.contains("./run.sh --fixed --default >> /o/run7.out 2>> /o/run7.err < /dev/null"))
        for bad in ["../escape", "a;b", "sub/dir.out"] {
            request.parameterSet = JobParameterSet(logConfig: LogConfig(stdoutFilename: bad))
            let error = #expect(throws: TapisError.self, "\(bad)") { try Self.resolve(request) }
            #expect(error?.message.hasPrefix("logConfig.stdoutFilename: ") == true, "\(error?.message ?? "")")
        }
    }

    @Test func runtimesBatchAndContainerArgsAreChecked() throws {
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.parameterSet = JobParameterSet(containerArgs: [JobArgSpec(arg: "--tapis-zip-save")])
        _ = try Self.resolve(request)
        request.parameterSet = JobParameterSet(containerArgs: [JobArgSpec(arg: "--privileged")])
        let container = #expect(throws: TapisError.self) { try Self.resolve(request) }
        #expect(container?.message == "parameterSet.containerArgs: \"--privileged\" is not allowed: ZIP apps take only --tapis-zip-save")

        request.parameterSet = nil
        var system = Self.system()
        system.jobRuntimes = [TapisSystem.JobRuntime(runtimeType: "SINGULARITY")]
        let runtime = #expect(throws: TapisError.self) { try Self.resolve(request, systems: [system]) }
        #expect(runtime?.message == "execSystemId: system exec does not offer the app's runtime ZIP (its jobRuntimes: SINGULARITY)")

        system.jobRuntimes = nil
        system.batchScheduler = "SLURM"
        system.canRunBatch = false
        request.jobType = "BATCH"
        let batch = #expect(throws: TapisError.self) { try Self.resolve(request, systems: [system]) }
        #expect(batch?.message == "jobType: system exec does not run BATCH jobs (canRunBatch is false)")
    }

    @Test func aSystemsPollIntervalIsBounded() throws {
        var system = Self.system()
        system.pollIntervalSeconds = 30
        try system.validate()
        system.pollIntervalSeconds = 0
        let error = #expect(throws: TapisError.self) { try system.validate() }
        #expect(error?.message == "pollIntervalSeconds: must be from 1 to 3600 seconds")
    }

    @Test func schedulerProfilesAreChecked() throws {
        let good = SchedulerProfile(name: "site", moduleLoads: [.init(moduleLoadCommand: "module load", modulesToLoad: ["gcc/12"])], hiddenOptions: ["MEM", "PARTITION"])
        try good.validate()
        let hostile = SchedulerProfile(name: "site", moduleLoads: [.init(moduleLoadCommand: "module load; rm -rf ~", modulesToLoad: [])])
        let error = #expect(throws: TapisError.self) { try hostile.validate() }
        #expect(error?.message.hasPrefix("moduleLoads.moduleLoadCommand: \"module load; rm -rf ~\" must be plain words") == true)
        let hidden = #expect(throws: TapisError.self) { try SchedulerProfile(name: "site", hiddenOptions: ["TIME"]).validate() }
        #expect(hidden?.message == "hiddenOptions: \"TIME\" is not one of MEM, PARTITION")
        let module = #expect(throws: TapisError.self) {
            try SchedulerProfile(name: "site", moduleLoads: [.init(moduleLoadCommand: "module load", modulesToLoad: ["a\nb"])]).validate()
        }
        #expect(module?.message.hasPrefix("moduleLoads.modulesToLoad") == true)
    }

    @Test func submitRequestDecodingIsStrict() throws {
        let unknown = #expect(throws: TapisError.self) {
            try TapisJSON.decode(JobSubmitRequest.self, from: Data(#"{"name":"n","appId":"a","appVersion":"1","nmae":"x"}"#.utf8))
        }
        #expect(unknown?.message == "nmae: is not a field of a Tapis job submit request")
        let later = #expect(throws: TapisError.self) {
            try TapisJSON.decode(JobSubmitRequest.self, from: Data(#"{"name":"n","appId":"a","appVersion":"1","execSystemConstraints":[]}"#.utf8))
        }
        #expect(later?.message.contains("does not support yet") == true)
        let nested = #expect(throws: TapisError.self) {
            try TapisJSON.decode(JobSubmitRequest.self, from: Data(#"{"name":"n","appId":"a","appVersion":"1","parameterSet":{"schedulerOption":[]}}"#.utf8))
        }
        #expect(nested?.message == "parameterSet.schedulerOption: is not a field of a Tapis parameterSet")
        let missing = #expect(throws: TapisError.self) { try TapisJSON.decode(JobSubmitRequest.self, from: Data(#"{"appId":"a","appVersion":"1"}"#.utf8)) }
        #expect(missing?.message == "name: is required")
        let wrongType = #expect(throws: TapisError.self) {
            try TapisJSON.decode(JobSubmitRequest.self, from: Data(#"{"name":"n","appId":"a","appVersion":"1","nodeCount":"two"}"#.utf8))
        }
        #expect(wrongType?.message == "nodeCount: expected a number")
        let broken = #expect(throws: TapisError.self) { try TapisJSON.decode(JobSubmitRequest.self, from: Data("{nope".utf8)) }
        #expect(broken?.message == "the body is not valid JSON")
    }

    @Test func timestampsSurviveARoundTripToTheMillisecond() throws {
        for offset in 0..<2000 {
            let date = Date(timeIntervalSince1970: 1_764_071_208 + Double(offset) / 1000)
            let text = Job.timestamp(date)
            #expect(Job.timestamp(try Job.timestampFormat.parse(text)) == text)
        }
        #expect(Job.timestamp(Date(timeIntervalSince1970: 1_764_071_208.0095)) == "2025-11-25T11:46:48.010Z")
    }
}
