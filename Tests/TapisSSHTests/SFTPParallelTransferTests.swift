import Foundation
import Testing
import TapisCore
import TapisSSH
import TapisTestSupport
import TapisTransport

/// The parallel SFTP paths against the test bed's sshd: a large file moves in ranges over several
/// SFTP sessions at once, a tree several files at once; part of the serialized `SSHTransportTests`
/// (they share its connection count).
extension SSHTransportTests {
    private func random(_ count: Int) throws -> Data {
        let source = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        defer { try? source.close() }
        var data = Data()
        while data.count < count { data += source.readData(ofLength: count - data.count) }
        return data
    }

    @Test func aLargeFileMovesInRangesByteIdentical() async throws {
        let local = try TemporaryDirectory("tapisd-ranges")
        defer { local.remove() }
        // 40 MiB and a bit: four ranges of 10 MiB, the last one 12,345 bytes longer.
        let bytes = try random((40 << 20) + 12_345)
        try bytes.write(to: URL(fileURLWithPath: local.file("in")))
        try await alice.makeDirectories(scratch)
        try await alice.upload(from: local.file("in"), to: scratch + "/large.bin")
        #expect(try await alice.stat(scratch + "/large.bin")?.size == Int64(bytes.count))
        #expect(try await alice.list(scratch, recursive: false).map(\.name) == ["large.bin"], "no temporary file is left behind")
        let remoteSum = try await alice.run("sha256sum < " + Shell.quote(scratch + "/large.bin"), input: nil, timeout: .seconds(30)).output
        let localSum = try ProgramRunner.run(["/bin/sh", "-c", "sha256sum < " + local.file("in")]).stdout
        #expect(remoteSum == localSum, "the server holds the same bytes")
        try await alice.download(scratch + "/large.bin", to: local.file("out"))
        #expect(FileManager.default.contents(atPath: local.file("out")) == bytes)
        #expect(!FileManager.default.fileExists(atPath: local.file("out.tapisd-tmp")))
        // Over an existing file, both ways.
        try await alice.upload(from: local.file("in"), to: scratch + "/large.bin")
        try await alice.download(scratch + "/large.bin", to: local.file("out"))
        #expect(FileManager.default.contents(atPath: local.file("out")) == bytes)
        try await alice.remove(scratch)
    }

    @Test func aTreeMovesSeveralFilesAtOnceIntact() async throws {
        let local = try TemporaryDirectory("tapisd-tree-parallel")
        defer { local.remove() }
        var expected: [String: Data] = [:]
        for index in 0..<120 {
            let path = "d\(index % 4)/sub\(index % 3)/f\(index)"
            expected[path] = try random(index * 997 % 70_000)
        }
        expected["big/one.bin"] = try random((24 << 20) + 77)
        expected["empty"] = Data()
        for (path, data) in expected {
            let file = URL(fileURLWithPath: local.file("tree/" + path))
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: local.file("tree/" + path)))
        }
        try await alice.upload(from: local.file("tree"), to: scratch + "/tree")
        let listed = try await alice.list(scratch + "/tree", recursive: true).filter { $0.type == "file" }
        #expect(Dictionary(uniqueKeysWithValues: listed.map { ($0.path, $0.size) }) == expected.mapValues { Int64($0.count) })
        try await alice.download(scratch + "/tree", to: local.file("back"))
        for (path, data) in expected {
            #expect(FileManager.default.contents(atPath: local.file("back/" + path)) == data, "\(path)")
        }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: local.file("back")).filter { $0.hasSuffix(".tapisd-tmp") }
        #expect(leftovers.isEmpty)
        try await alice.remove(scratch)
    }

    @Test func aPartThatFailsFailsTheTransferAndLeavesNothing() async throws {
        let local = try TemporaryDirectory("tapisd-part-fails")
        defer { local.remove() }
        try random(40 << 20).write(to: URL(fileURLWithPath: local.file("big.bin")))
        // Every part writes into a 1 MiB file system: the ones past the first MiB fail.
        let full = testbed.directory + "/full/ranges-\(UUID().uuidString.prefix(8)).bin"
        let error = await #expect(throws: TapisError.self) { try await alice.upload(from: local.file("big.bin"), to: full) }
        #expect(error?.code == .remoteFailure)
        #expect(error?.message.contains(full + ".tapisd-tmp") == true, "\(error?.message ?? "")")
        #expect(try await alice.stat(full) == nil, "nothing under the final name")
        #expect(try await alice.stat(full + ".tapisd-tmp") == nil, "and no temporary left")

        // A directory the user may not write to: the first part cannot create the file.
        try await alice.makeDirectories(scratch + "/locked")
        try await alice.chmod(scratch + "/locked", mode: 0o555)
        let denied = await #expect(throws: TapisError.self) { try await alice.upload(from: local.file("big.bin"), to: scratch + "/locked/big.bin") }
        #expect(denied?.message.contains("permission denied") == true, "\(denied?.message ?? "")")
        #expect(try await alice.list(scratch + "/locked", recursive: false).isEmpty)

        // A download into a local directory that does not exist.
        try await alice.chmod(scratch + "/locked", mode: 0o755)
        try await alice.upload(from: local.file("big.bin"), to: scratch + "/big.bin")
        let nowhere = await #expect(throws: TapisError.self) { try await alice.download(scratch + "/big.bin", to: local.file("missing/big.bin")) }
        #expect(nowhere?.message.contains(local.file("missing/big.bin.tapisd-tmp")) == true, "\(nowhere?.message ?? "")")
        #expect(try await alice.run("echo fine", input: nil, timeout: .seconds(10)).output == "fine\n", "the connection survives")
        try await alice.remove(scratch)
    }

    @Test func commandsRunBesideALargeTransfer() async throws {
        let local = try TemporaryDirectory("tapisd-beside")
        defer { local.remove() }
        let bytes = try random(64 << 20)
        try bytes.write(to: URL(fileURLWithPath: local.file("in")))
        try await alice.makeDirectories(scratch)
        // A command that waits until the upload's temporary file appears proves it started during
        // the transfer; more commands run while it goes on.
        let temporary = Shell.quote(scratch + "/big.bin.tapisd-tmp")
        async let watcher = alice.run("while [ ! -e \(temporary) ]; do sleep 0.01; done; echo seen", input: nil, timeout: .seconds(60))
        async let upload: Void = alice.upload(from: local.file("in"), to: scratch + "/big.bin")
        var outputs: [String] = []
        for index in 0..<10 { outputs.append(try await alice.run("echo \(index)", input: nil, timeout: .seconds(60)).output) }
        try await upload
        #expect(try await watcher.output == "seen\n")
        #expect(outputs == (0..<10).map { "\($0)\n" })
        try await alice.download(scratch + "/big.bin", to: local.file("out"))
        #expect(FileManager.default.contents(atPath: local.file("out")) == bytes)
        try await alice.remove(scratch)
    }

    @Test func aConnectionThatDiesFailsEveryPartCleanly() async throws {
        let local = try TemporaryDirectory("tapisd-dies")
        defer { local.remove() }
        try random(128 << 20).write(to: URL(fileURLWithPath: local.file("in")))
        try await alice.makeDirectories(scratch)
        // Once the upload has started, the server side of the connection is killed.
        let temporary = Shell.quote(scratch + "/big.bin.tapisd-tmp")
        async let killer = try? alice.run("while [ ! -s \(temporary) ]; do sleep 0.01; done; kill -9 $PPID", input: nil, timeout: .seconds(60))
        let error = await #expect(throws: TapisError.self) { try await alice.upload(from: local.file("in"), to: scratch + "/big.bin") }
        _ = await killer
        #expect(error?.code == .unavailable, "\(error?.message ?? "")")
        // A new connection serves what follows; the failed upload left nothing behind.
        #expect(try await alice.stat(scratch + "/big.bin") == nil)
        #expect(try await alice.stat(scratch + "/big.bin.tapisd-tmp") == nil)
        #expect(try await alice.run("echo back", input: nil, timeout: .seconds(10)).output == "back\n")
        try await alice.remove(scratch)
    }
}
