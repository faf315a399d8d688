import Foundation
import Testing
import TapisCore
import TapisTestSupport

/// A store written by the previous release (Fixtures/store-0.1.0.sqlite, written by
/// `scripts/capture-store-fixture.sh` from that release's commit) opens and migrates under this
/// one with every job as it was; a store a newer release wrote is refused.
@Suite(.serialized, .timeLimit(.minutes(3))) struct StoreUpgradeTests {
    struct Fixture: Decodable {
        var commit: String
        var jobs: [String: String]
    }

    /// A state dir holding a copy of the fixture store, and what the fixture says it holds.
    static func stateWithFixture(in directory: TemporaryDirectory) throws -> (state: String, fixture: Fixture) {
        let store = try #require(Bundle.module.url(forResource: "Fixtures/store-0.1.0.sqlite", withExtension: nil))
        let described = try #require(Bundle.module.url(forResource: "Fixtures/store-0.1.0.json", withExtension: nil))
        let state = directory.file("state")
        try FileManager.default.createDirectory(atPath: state + "/db", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: store.path, toPath: state + "/db/tapisd.sqlite")
        return (state, try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: described)))
    }

    @Test func thePreviousReleasesStoreOpensWithEveryJobAndTakesNewOnes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (state, fixture) = try Self.stateWithFixture(in: directory)
        let daemon = try DaemonHarness(stateDirectory: state)
        defer { daemon.shutdown() }
        #expect(fixture.jobs.count == 3)
        for (uuid, status) in fixture.jobs {
            let job = try await daemon.job(uuid)
            #expect(job.status.rawValue == status, "job \(uuid) of the fixture (commit \(fixture.commit.prefix(7)))")
            let history = try await daemon.historyStatuses(uuid)
            #expect(history.first == "PENDING" && history.last == status, "\(history)")
        }
        let listed = try daemon.cli(["jobs", "search", "--where", "name.in=finished,failed,cancelled"])
        #expect(listed.status == 0 && fixture.jobs.keys.allSatisfy { listed.stdout.contains($0) }, "\(listed.stdout)\(listed.stderr)")

        // The upgraded store takes new definitions and jobs.
        let app = try String(contentsOfFile: daemon.appDefinition, encoding: .utf8).replacingOccurrences(of: "\"version\": \"1.0\"", with: "\"version\": \"2.0\"")
        let appFile = directory.file("hello-2.json")
        try app.write(toFile: appFile, atomically: true, encoding: .utf8)
        #expect(try daemon.cli(["apps", "create", appFile]).status == 0)
        let request = #"{"name": "after-upgrade", "appId": "hello", "appVersion": "2.0"}"#
        let submitted = try daemon.cli(["jobs", "submit", "-"], input: Data(request.utf8))
        let uuid = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(try await daemon.waitFor(uuid).status == .finished)
    }

    @Test func aStoreANewerReleaseWroteIsRefusedSayingWhatToDo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (state, _) = try Self.stateWithFixture(in: directory)
        let marked = try ProgramRunner.run(["/usr/bin/sqlite3", state + "/db/tapisd.sqlite", "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')"])
        #expect(marked.status == 0, "\(marked.stderr)")
        let started = try ProgramRunner.run([
            try TestEnvironment.binary("tapisd"), "--socket", directory.file("tapisd.sock"), "--state-dir", state,
            "--systems", directory.file("systems.d"), "--apps", directory.file("apps.d"),
        ])
        #expect(started.status != 0)
        let said = started.stdout + started.stderr
        #expect(said.contains("was written by a newer tapisd (schema v99-future") && said.contains("restore a backup"), "\(said)")
    }
}
