import Foundation
import Testing
import TapisCore

@Suite struct LaunchFilesTests {
    static func job(args: [String], env: [KeyValuePair]) throws -> Job {
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.parameterSet = JobParameterSet(appArgs: args.map { JobArgSpec(arg: $0) }, envVariables: env)
        var app = TapisApp(id: "hello", version: "1.0")
        app.containerImage = "/apps/hello.tgz"
        var system = TapisSystem(id: "local")
        system.jobWorkingDir = "/work"
        request.execSystemId = "local"
        return try JobResolver(request: request, app: app, systems: ["local": system], owner: "alice", tenant: "t", uuid: .random(), now: Date()).resolve()
    }

    @Test func environmentFileRoundTripsHostileValues() throws {
        let values = ["plain", "two words", "$(id)", "`id`", "it's", "line1\nline2"]
        let job = try Self.job(args: [], env: [])
        var withEnv = job
        withEnv.parameterSet.envVariables = values.enumerated().map { KeyValuePair(key: "V\($0.offset)", value: $0.element) }
        let file = LaunchFiles.environmentFile(for: withEnv)
        let script = file + values.indices.map { "printf '%s\\0' \"$V\($0)\"" }.joined(separator: "\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(output.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) } == values)
    }

    @Test func scriptQuotesEveryArgumentWord() throws {
        let job = try Self.job(args: ["-n 5", "'a b' $(id)"], env: [])
        let body = try LaunchFiles.scriptBody(for: job, executable: "tapisjob_app.sh", execDir: "/e dir", outputDir: "/o")
        #expect(body.contains("./tapisjob_app.sh -n 5 'a b' '$(id)' >> /o/tapisjob.out 2>&1 < /dev/null"))
        #expect(body.contains("cd '/e dir' || exit 97"))
        #expect(body.contains("mv -f /o/tapisjob.exitcode.tmp /o/tapisjob.exitcode"))
    }

    @Test func manifestNamesTheExecutable() throws {
        #expect(try LaunchFiles.executable(fromManifest: "# comment\ntapisjob_executable=bin/run.sh  \n") == "bin/run.sh")
        #expect(try LaunchFiles.executable(fromManifest: "other=1\n") == nil)
        #expect(throws: TapisError.self) { try LaunchFiles.executable(fromManifest: "tapisjob_executable=../x") }
        #expect(throws: TapisError.self) { try LaunchFiles.executable(fromManifest: "tapisjob_executable=a;b") }
    }

    @Test func appArchiveKinds() throws {
        #expect(try AppArchive(image: "/a/app.zip").unpackCommand("/a/app.zip") == "unzip -o -q /a/app.zip")
        #expect(try AppArchive(image: "/a/my app.tgz").unpackCommand("/a/my app.tgz") == "tar -xzf '/a/my app.tgz'")
        #expect(try AppArchive(image: "/a/app.tar.gz").format == .tarGzip)
        #expect(try AppArchive(image: "/a/app.tar").format == .tar)
        let web = try AppArchive(image: "http://127.0.0.1:8000/apps/hello.zip?v=2")
        #expect(web.isRemote && web.format == .zip && web.source == "http://127.0.0.1:8000/apps/hello.zip?v=2")
        #expect(try AppArchive(image: "tapis://store/apps/hello.tgz").isRemote)
        #expect(throws: TapisError.self) { try AppArchive(image: "/a/app.rar") }
        #expect(throws: TapisError.self) { try AppArchive(image: "apps/app.zip") }
        #expect(throws: TapisError.self) { try AppArchive(image: "https:///app.zip") }
        #expect(throws: TapisError.self) { try AppArchive(image: "ftp://host/app.zip") }
    }
}
