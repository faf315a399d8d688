import Foundation
import Testing
import TapisCore

/// The 34 macros of spec §2.5, each exported as `_tapis<Name>`.
@Suite struct MacroTests {
    static let uuid = JobResolverTests.uuid.rawValue

    /// A BATCH job on a system with a queue, a bucket and a DTN, so that every macro has a value.
    static func fullJob() throws -> Job {
        var exec = JobResolverTests.system()
        exec.host = "hpc.example.org"
        exec.batchScheduler = "SLURM"
        exec.batchLogicalQueues = [LogicalQueue(name: "normal", hpcQueueName: "cpu")]
        exec.bucketName = "bucket1"
        exec.dtnSystemId = "dtn"
        var request = JobSubmitRequest(name: "run", appId: "hello", appVersion: "1.0")
        request.jobType = "BATCH"
        request.execSystemLogicalQueue = "normal"
        request.nodeCount = 3
        request.coresPerNode = 8
        request.memoryMB = 2048
        request.maxMinutes = 45
        request.archiveSystemDir = "/archive/${JobName}"
        request.dtnSystemInputDir = "/dtn/in/${JobUUID}"
        request.dtnSystemOutputDir = "/dtn/out/${JobName}"
        request.parameterSet = JobParameterSet(logConfig: LogConfig(stdoutFilename: "${JobName}.out", stderrFilename: "${JobName}.err"))
        return try JobResolverTests.resolve(request, systems: [exec, JobResolverTests.system("dtn")])
    }

    static let expected: [(name: String, value: String)] = [
        ("JobName", "run"), ("JobUUID", uuid), ("Tenant", "t1"), ("JobOwner", "alice"), ("EffectiveUserId", "alice"),
        ("AppId", "hello"), ("AppVersion", "1.0"), ("ExecSystemId", "exec"),
        ("ExecSystemExecDir", "/work/alice/jobs/\(uuid)"), ("ExecSystemInputDir", "/work/alice/jobs/\(uuid)"),
        ("ExecSystemOutputDir", "/work/alice/jobs/\(uuid)/output"), ("DynamicExecSystem", "false"), ("JobWorkingDir", "/work/alice"),
        ("StdoutFilename", "run.out"), ("StderrFilename", "run.err"), ("ExecSystemLogicalQueue", "normal"), ("ExecSystemHPCQueue", "cpu"),
        ("ArchiveSystemId", "exec"), ("ArchiveSystemDir", "/archive/run"), ("ArchiveOnAppError", "true"),
        ("DtnSystemId", "dtn"), ("DtnSystemInputDir", "/dtn/in/\(uuid)"), ("DtnSystemOutputDir", "/dtn/out/run"),
        ("Nodes", "3"), ("CoresPerNode", "8"), ("MemoryMB", "2048"), ("MaxMinutes", "45"),
        ("SysBucketName", "bucket1"), ("SysRootDir", "/"), ("SysHost", "hpc.example.org"), ("SysBatchScheduler", "SLURM"),
        ("JobCreateTime", "22:13:20"), ("JobCreateDate", "2023-11-14"), ("JobCreateTimestamp", "2023-11-14T22:13:20.000Z"),
    ]

    @Test func everyMacroIsSetAndExported() throws {
        #expect(Self.expected.count == 34)
        let job = try Self.fullJob()
        let exported = job.parameterSet.envVariables.filter { $0.key.hasPrefix("_tapis") }
        let values = Dictionary(uniqueKeysWithValues: exported.map { ($0.key, $0.value ?? "") })
        for (name, value) in Self.expected {
            #expect(values["_tapis" + name] == value, "\(name)")
        }
        #expect(Set(values.keys) == Set(Self.expected.map { "_tapis" + $0.name }), "no macro more, none less")
        #expect(job.dtnSystemId == "dtn" && job.dtnSystemInputDir == "/dtn/in/\(Self.uuid)" && job.dtnSystemOutputDir == "/dtn/out/run")
    }

    @Test func absentOptionalValuesAreEmptyStrings() throws {
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.dtnSystemInputDir = "/ignored/without/a/dtn"
        let job = try JobResolverTests.resolve(request)
        let env = Dictionary(uniqueKeysWithValues: job.parameterSet.envVariables.map { ($0.key, $0.value ?? "") })
        for name in ["DtnSystemId", "DtnSystemInputDir", "DtnSystemOutputDir", "SysBucketName", "SysBatchScheduler", "ExecSystemLogicalQueue", "ExecSystemHPCQueue"] {
            #expect(env["_tapis" + name] == "", "\(name)")
        }
        #expect(job.dtnSystemId == nil && job.dtnSystemInputDir == nil)
    }

    @Test func aSelfReferencingMacroStopsAfterSixteenPasses() throws {
        var request = JobSubmitRequest(name: "a${JobName}", appId: "hello", appVersion: "1.0")
        request.execSystemExecDir = "/x/${JobName}"
        let error = #expect(throws: TapisError.self) { try JobResolverTests.resolve(request) }
        #expect(error?.message == "execSystemExecDir: macros still expand after 16 passes (a macro refers to itself?)")

        var macros = Macros()
        macros.set("Loop", "x${Loop}")
        let direct = #expect(throws: TapisError.self) { try macros.substitute("${Loop}", field: "description") }
        #expect(direct?.message == "description: macros still expand after 16 passes (a macro refers to itself?)")
    }

    @Test func substitutionLeavesUnknownNamesStrayDollarsAndUnclosedBracesAsWritten() throws {
        var macros = Macros()
        macros.set("A", "1")
        macros.set("B", "${A}2")
        macros.set("Same", "${Same}")
        let cases: [(String, String)] = [
            ("${A}${B}", "112"), ("$A ${A}$", "$A 1$"), ("${Unknown}/${A}", "${Unknown}/1"), ("${${A}}", "${1}"),
            ("price $5, ${A", "price $5, ${A"), ("${}", "${}"), ("", ""), ("ünï ${A} ç", "ünï 1 ç"), ("${Same}", "${Same}"),
        ]
        for (text, expected) in cases {
            #expect(try macros.substitute(text, field: "f") == expected, "\(text)")
        }
    }
}
