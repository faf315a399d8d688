import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Inputs staged into a job and outputs archived out of it, through the real daemon.
@Suite(.serialized, .timeLimit(.minutes(3))) struct StagingAndArchivingTests {
    func submit(_ daemon: DaemonHarness, _ request: [String: Any]) async throws -> String {
        var body = request
        body["name"] = body["name"] ?? "staging"
        body["appId"] = "hello"
        body["appVersion"] = "1.0"
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: data).uuid.rawValue
    }

    @Test func tapisInputsAreCopiedAndLocalInputsStayInPlace() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let source = daemon.directory.file("data in/lines.txt")
        try FileManager.default.createDirectory(atPath: daemon.directory.file("data in"), withIntermediateDirectories: true)
        try "one\ntwo\nthree\n".write(toFile: source, atomically: true, encoding: .utf8)
        let uuid = try await submit(daemon, [
            "fileInputs": [
                ["name": "lines", "sourceUrl": "tapis://local\(source)", "targetPath": "copied.txt", "envKey": "INPUT_FILE"],
                ["name": "inplace", "sourceUrl": "tapislocal://exec.tapis\(source)", "envKey": "SAME_FILE"],
            ],
        ])
        let job = try await daemon.waitFor(uuid)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        let inputDir = daemon.stateDirectory + "/work/root/jobs/\(uuid)"
        #expect(try String(contentsOfFile: inputDir + "/copied.txt", encoding: .utf8) == "one\ntwo\nthree\n")
        #expect(try daemon.cli(["jobs", "download", uuid, "line-count.txt"]).stdout == "3\n", "the app read the staged copy through its envKey")
        let env = try String(contentsOfFile: inputDir + "/tapisjob.env", encoding: .utf8)
        #expect(env.contains("export SAME_FILE='\(source)'"), "a tapislocal input is used where it is")
        #expect(env.contains("export INPUT_FILE=\(inputDir)/copied.txt"))
    }

    @Test func anInputArrayStagesEachFileIntoItsDirectory() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let sources = daemon.directory.file("array")
        try FileManager.default.createDirectory(atPath: sources, withIntermediateDirectories: true)
        for name in ["a.txt", "b c.txt"] { try "file \(name)\n".write(toFile: sources + "/" + name, atomically: true, encoding: .utf8) }
        let uuid = try await submit(daemon, [
            "fileInputArrays": [["name": "batch", "sourceUrls": ["tapis://local\(sources)/a.txt", "tapis://local\(sources)/b c.txt"], "targetDir": "batch", "envKey": "BATCH_DIR"]],
        ])
        let job = try await daemon.waitFor(uuid)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        let inputDir = daemon.stateDirectory + "/work/root/jobs/\(uuid)"
        #expect(try FileManager.default.contentsOfDirectory(atPath: inputDir + "/batch").sorted() == ["a.txt", "b c.txt"])
        #expect(try String(contentsOfFile: inputDir + "/batch/b c.txt", encoding: .utf8) == "file b c.txt\n")
        #expect(try String(contentsOfFile: inputDir + "/tapisjob.env", encoding: .utf8).contains("export BATCH_DIR=\(inputDir)/batch\n"))
    }

    @Test func aMissingInputFailsTheJobNamingTheFile() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let uuid = try await submit(daemon, ["fileInputs": [["sourceUrl": "tapis://local/no/such/file.dat"]]])
        let job = try await daemon.waitFor(uuid)
        #expect(job.status == .failed)
        #expect(job.condition == .unableToStageInputs)
        #expect(job.lastMessage?.contains("tapis://local/no/such/file.dat does not exist") == true, "\(job.lastMessage ?? "")")
        #expect(job.remoteJobId == nil, "nothing was started")
    }

    @Test func aMissingAppArchiveFailsStagingWithItsPath() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        let definition = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8)
            .replacingOccurrences(of: "hello-1.0.tgz", with: "gone.tgz")
        #expect(try daemon.cli(["apps", "create", "-"], input: Data(definition.utf8)).status == 0)
        let uuid = try await submit(daemon, [:])
        let job = try await daemon.waitFor(uuid)
        #expect(job.status == .failed)
        #expect(job.condition == .unableToStageJob)
        #expect(job.lastMessage?.contains("gone.tgz does not exist") == true, "\(job.lastMessage ?? "")")
    }

    @Test func aZipAppFromAnHTTPOrTapisURLIsFetchedCheckedAndRun() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        let served = daemon.directory.file("apps")
        try "not an archive\n".write(toFile: served + "/broken.zip", atomically: true, encoding: .utf8)
        let server = try StaticHTTPServer(directory: served)
        defer { server.stop() }
        func app(_ version: String, image: String) throws {
            let definition = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8)
                .replacingOccurrences(of: "\"version\": \"1.0\"", with: "\"version\": \"\(version)\"")
                .replacingOccurrences(of: served + "/hello-1.0.tgz", with: image)
            let created = try daemon.cli(["apps", "create", "-"], input: Data(definition.utf8))
            #expect(created.status == 0, "\(created.stderr)")
        }
        try app("web", image: "http://127.0.0.1:\(server.port)/hello-1.0.tgz")
        try app("broken", image: "http://127.0.0.1:\(server.port)/broken.zip")
        try app("gone", image: "http://127.0.0.1:\(server.port)/gone.tar")
        try app("system", image: "tapis://local\(served)/hello-1.0.tgz")
        func run(_ version: String) async throws -> Job {
            let request: [String: Any] = ["name": "web-\(version)", "appId": "hello", "appVersion": version]
            let uuid = try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: try JSONSerialization.data(withJSONObject: request)).uuid.rawValue
            return try await daemon.waitFor(uuid)
        }
        let fetched = try await run("web")
        #expect(fetched.status == .finished, "\(fetched.lastMessage ?? "")\n\(daemon.log.suffix(2000))")
        #expect(try daemon.cli(["jobs", "download", fetched.uuid.rawValue, "tapisjob.out"]).stdout.hasPrefix("Hello from tapisd job"))
        let copied = try await run("system")
        #expect(copied.status == .finished, "a tapis:// archive is copied from its system: \(copied.lastMessage ?? "")")
        let broken = try await run("broken")
        #expect(broken.status == .failed && broken.condition == .unableToStageJob)
        #expect(broken.lastMessage?.contains("is not a whole zip archive") == true, "\(broken.lastMessage ?? "")")
        let gone = try await run("gone")
        #expect(gone.status == .failed && gone.lastMessage?.contains("HTTP error") == true, "\(gone.lastMessage ?? "")")
        #expect(server.requests.contains("GET /hello-1.0.tgz"), "fetched from the URL: \(server.requests)")
    }

    @Test func archivingHonoursTheFilterExcludesFirst() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let source = daemon.directory.file("input.txt")
        try "x\n".write(toFile: source, atomically: true, encoding: .utf8)
        let uuid = try await submit(daemon, [
            "archiveSystemDir": "${JobWorkingDir}/archive/${JobName}-${JobUUID}",
            "name": "filtered",
            "fileInputs": [["sourceUrl": "tapis://local\(source)", "envKey": "INPUT_FILE"]],
            "parameterSet": [
                "archiveFilter": ["includes": ["*.txt", "REGEX:tapisjob\\.(out|exitcode)"], "excludes": ["arguments.txt"], "includeLaunchFiles": false],
            ],
        ])
        let job = try await daemon.waitFor(uuid)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        let archive = daemon.stateDirectory + "/work/root/archive/filtered-\(uuid)"
        #expect(job.archiveSystemDir == archive)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: archive)) == ["line-count.txt", "tapisjob.out", "tapisjob.exitcode"])
        #expect(try daemon.cli(["jobs", "download", uuid, "line-count.txt"]).stdout == "1\n", "downloads read the archive once the job ended")
    }

    @Test func aZipAppWithAManifestRuns() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        let source = daemon.directory.file("zipapp")
        try FileManager.default.createDirectory(atPath: source + "/bin", withIntermediateDirectories: true)
        try "tapisjob_executable=bin/run.sh\n".write(toFile: source + "/tapisjob.manifest", atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho \"zip app ran with: $*\"\n".write(toFile: source + "/bin/run.sh", atomically: true, encoding: .utf8)
        let archive = daemon.directory.file("zipapp.zip")
        let zip = try ProgramRunner.run(["/bin/sh", "-c", "cd \(source) && zip -q -r \(archive) ."])
        #expect(zip.status == 0, "\(zip.stderr)")
        let definition = #"{"id": "zipapp", "version": "2", "runtime": "ZIP", "containerImage": "\#(archive)", "jobAttributes": {"execSystemId": "local"}}"#
        #expect(try daemon.cli(["apps", "create", "-"], input: Data(definition.utf8)).status == 0)
        let body = #"{"name": "zip", "appId": "zipapp", "appVersion": "2", "parameterSet": {"appArgs": [{"arg": "a 'b c'"}]}}"#
        let uuid = try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: Data(body.utf8)).uuid.rawValue
        let job = try await daemon.waitFor(uuid)
        #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        #expect(try daemon.cli(["jobs", "download", uuid, "tapisjob.out"]).stdout == "zip app ran with: a b c\n")
    }
}
