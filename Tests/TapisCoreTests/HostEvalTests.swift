import Foundation
import Testing
import TapisCore

@Suite struct HostEvalTests {
    @Test func parsesTheVariableTheDefaultAndTheRest() throws {
        #expect(try HostEval.parse("HOST_EVAL($SCRATCH)/runs/${JobUUID}", field: "f") == HostEval(variable: "SCRATCH", fallback: nil, rest: "/runs/${JobUUID}"))
        #expect(try HostEval.parse("HOST_EVAL($WORK, /tmp/w)/x", field: "f") == HostEval(variable: "WORK", fallback: "/tmp/w", rest: "/x"))
        #expect(try HostEval.parse("/plain/HOST_EVAL($HOME)", field: "f") == nil, "only at the start of a value")
        for bad in ["HOST_EVAL($HOME", "HOST_EVAL(HOME)", "HOST_EVAL($(id))", "HOST_EVAL($A;B)", "HOST_EVAL($1X)"] {
            #expect(throws: TapisError.self, "\(bad)") { try HostEval.parse(bad, field: "f") }
        }
    }

    @Test func anEmptyValueNeedsADefault() throws {
        let eval = try #require(try HostEval.parse("HOST_EVAL($SCRATCH, /fallback)/x", field: "execSystemExecDir"))
        #expect(try eval.expand(hostValue: "/scratch/alice", system: "hpc", field: "execSystemExecDir") == "/scratch/alice/x")
        #expect(try eval.expand(hostValue: "", system: "hpc", field: "execSystemExecDir") == "/fallback/x")
        let bare = try #require(try HostEval.parse("HOST_EVAL($SCRATCH)", field: "execSystemExecDir"))
        let error = #expect(throws: TapisError.self) { try bare.expand(hostValue: "", system: "hpc", field: "execSystemExecDir") }
        #expect(error?.message == "execSystemExecDir: HOST_EVAL($SCRATCH) is empty on system hpc for the job's user, and no default is given")
    }

    @Test func theValueIsTheLastMarkedLineOfTheOutput() {
        let command = HostEval.command(for: "HOME")
        #expect(command == "printf 'tapisd-host-eval:%s\\n' \"$HOME\"")
        #expect(HostEval.value(inOutput: "Welcome!\ntapisd-host-eval:/home/a\n") == "/home/a")
        #expect(HostEval.value(inOutput: "tapisd-host-eval:\n") == "")
        #expect(HostEval.value(inOutput: "banner only\n") == nil)
    }

    @Test func theResolverAsksForAndUsesHostValues() throws {
        var system = JobResolverTests.system()
        system.jobWorkingDir = "HOST_EVAL($WORK)/tapis"
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.execSystemOutputDir = "HOST_EVAL($SCRATCH, /tmp)/out/${JobUUID}"
        var resolver = JobResolver(
            request: request, app: JobResolverTests.app(), systems: ["exec": system], owner: "alice", tenant: "t", uuid: JobResolverTests.uuid,
            now: Date())
        #expect(try resolver.hostEvaluations().map { "\($0.systemId):\($0.variable)" } == ["exec:WORK", "exec:SCRATCH"])
        resolver.hostValues = ["exec": ["WORK": "/work/alice", "SCRATCH": ""]]
        let job = try resolver.resolve()
        #expect(job.execSystemExecDir == "/work/alice/tapis/jobs/\(JobResolverTests.uuid)")
        #expect(job.execSystemOutputDir == "/tmp/out/\(JobResolverTests.uuid)")
    }
}
