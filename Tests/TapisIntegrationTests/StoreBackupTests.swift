import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// The store's safety on the real daemon and a real SQLite file: a backup made while jobs run and
/// restored, a damaged store refused at start, and a full disk that loses nothing accepted.
@Suite(.serialized, .timeLimit(.minutes(4))) struct StoreBackupTests {
    func databasePath(_ daemon: DaemonHarness) -> String { daemon.stateDirectory + "/db/tapisd.sqlite" }

    func sqlite(_ path: String, _ sql: String) throws -> String {
        try ProgramRunner.run(["/usr/bin/sqlite3", path, sql]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aBackupMadeWhileJobsRunRestoresEveryJob() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let finished = try daemon.submitHello(name: "before")
        try await daemon.waitFor(finished)
        // Long enough that, however loaded the machine, all three still run when the backup is made.
        let running = try (0..<3).map { _ in try daemon.submitHello(name: "running", env: ["SLEEP_SECONDS": "15"]) }
        for uuid in running { try await daemon.waitFor(uuid, status: .running, seconds: 60) }
        let backup = daemon.directory.file("backup.sqlite")
        let made = try daemon.cli(["admin", "backup", backup])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("\(backup): "))
        #expect(try sqlite(backup, "PRAGMA integrity_check") == "ok")
        #expect(try sqlite(backup, "SELECT count(*) FROM job") == "4")
        #expect(try sqlite(backup, "SELECT count(*) FROM job WHERE status = 'RUNNING'") == "3", "made while they ran")
        #expect(try daemon.cli(["admin", "backup", backup]).stderr.contains("exists"), "an existing file is never overwritten")
        var info = stat()
        #expect(stat(backup, &info) == 0 && info.st_mode & 0o077 == 0, "the backup is private to its maker")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory + "/db").filter { $0.hasPrefix("backup-") }
        #expect(leftovers.isEmpty, "the daemon's own copy is gone once sent: \(leftovers)")
        let alices = "/tmp/tapisd-alice-backup-\(UUID().uuidString.prefix(8)).sqlite"
        let refused = try daemon.cli(["admin", "backup", alices], as: "tapis-alice")
        #expect(refused.status != 0 && refused.stderr.contains("only root or the admin group"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: alices) && !FileManager.default.fileExists(atPath: alices + ".part"), "a refused backup leaves no file")
        let log = daemon.log
        #expect(log.contains("store backup sent") && log.contains("audit=backup"), "\(log.suffix(1500))")

        // Restore: stop, put the backup in place, start; the running jobs go on to the end.
        daemon.stop()
        let database = databasePath(daemon)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: database)
        try daemon.start()
        #expect(try await daemon.job(finished).status == .finished)
        for uuid in running {
            let job = try await daemon.waitFor(uuid, seconds: 60)
            #expect(job.status == .finished, "\(job.lastMessage ?? "")")
        }
    }

    @Test func aDamagedStoreIsRefusedAtStartWithHowToRestore() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        for _ in 0..<20 { _ = try daemon.submitHello(name: "filler") }
        daemon.stop()
        let database = databasePath(daemon)
        _ = try sqlite(database, "PRAGMA wal_checkpoint(TRUNCATE)")
        // Pages past the first overwritten with junk, as a failing disk might.
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: database))
        try file.seek(toOffset: 4096)
        try file.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try file.close()
        let result = try ProgramRunner.run([
            try TestEnvironment.binary("tapisd"), "--socket", daemon.directory.file("again.sock"), "--state-dir", daemon.stateDirectory,
            "--systems", daemon.directory.file("none"), "--apps", daemon.directory.file("none"),
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("is damaged") && result.stderr.contains("tapis admin backup"), "\(result.stderr)")
    }

    @Test func aFullDiskRefusesSubmitsClearlyAndLosesNothingAccepted() async throws {
        let mount = try TemporaryDirectory()
        defer { _ = try? ProgramRunner.run(["/bin/umount", mount.path]); mount.remove() }
        let mounted = try ProgramRunner.run(["/bin/mount", "-t", "tmpfs", "-o", "size=3m", "tapisd-full-store", mount.path])
        guard mounted.status == 0 else { throw TestSetupError("cannot mount a tmpfs (run as root): \(mounted.stderr)") }
        let daemon = try DaemonHarness(stateDirectory: mount.path + "/state")
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let request: [String: Any] = ["name": "filler", "appId": "hello", "appVersion": "1.0"]
        let body = try JSONSerialization.data(withJSONObject: request)
        var accepted: [String] = []
        var refusal: TapisClientError?
        for _ in 0..<5000 {
            do {
                accepted.append(try await daemon.client.result(Job.self, .post, "/v3/jobs/submit", body: body).uuid.rawValue)
            } catch let error as TapisClientError {
                refusal = error
                break
            }
        }
        let error = try #require(refusal, "the 3 MB disk never filled")
        #expect(error.status == 503, "\(error)")
        #expect(error.description.contains("disk that holds tapisd's job store is full"), "\(error)")
        daemon.stop()
        // Space returns: the daemon starts on the same store, and every accepted job is there.
        _ = try ProgramRunner.run(["/bin/mount", "-o", "remount,size=64m", mount.path])
        try daemon.start()
        #expect(try sqlite("\(mount.path)/state/db/tapisd.sqlite", "PRAGMA integrity_check") == "ok")
        let stored = try sqlite("\(mount.path)/state/db/tapisd.sqlite", "SELECT count(*) FROM job WHERE name = 'filler'")
        #expect(Int(stored) ?? -1 >= accepted.count, "every job answered 200 is stored: \(stored) of \(accepted.count)")
        for uuid in accepted.suffix(3) { #expect(try await daemon.job(uuid).uuid.rawValue == uuid) }
    }
}
