import Foundation
import Testing
import TapisCore
import TapisTestSupport
import TapisTransport

/// `LocalTransport`'s commands and file operations, on real files with hostile names.
@Suite(.timeLimit(.minutes(1))) struct LocalTransportTests {
    let directory: TemporaryDirectory
    let transport: LocalTransport

    init() throws {
        directory = try TemporaryDirectory("tapisd-transport")
        transport = try LocalTransport(login: String(cString: getpwuid(geteuid()).pointee.pw_name))
    }

    static let names = ["plain.txt", "with space.txt", "quote's\".txt", "new\nline.txt", "ünïcødé ✓.txt", "$(id).txt", "-dash.txt"]

    @Test(arguments: names)
    func writeListReadAndCopy(_ name: String) async throws {
        let path = directory.file("d/" + name)
        try await transport.makeDirectory(directory.file("d"))
        let content = Array("content of \(name)\n".utf8)
        try await transport.write(content, to: path, mode: "0640")
        let listed = try await transport.list(directory.file("d"), recursive: false)
        #expect(listed.map(\.name) == [name])
        #expect(listed.first?.size == Int64(content.count))
        #expect(listed.first?.nativePermissions == "640")
        var read: [UInt8] = []
        try await transport.stream("cat -- \(Shell.quote(path))") { read += $0 }
        #expect(read == content)
        try await transport.copy(from: directory.file("d"), to: directory.file("copy"))
        #expect(FileManager.default.contents(atPath: directory.file("copy/" + name)) == Data(content))
        try await transport.copy(from: directory.file("d"), to: directory.file("copy"))
        #expect(try await transport.list(directory.file("copy"), recursive: true).count == 1, "copying again replaces, never nests")
    }

    @Test func commandsGetInputOutputAndStatus() async throws {
        let result = try await transport.run("tr a-z A-Z; echo oops >&2; exit 4", input: Array("hello".utf8), timeout: .seconds(10))
        #expect(result.output == "HELLO")
        #expect(result.errorText == "oops")
        #expect(result.status == 4)
    }

    @Test func largeOutputIsNotTruncated() async throws {
        let result = try await transport.run("head -c 5000000 /dev/zero", input: nil, timeout: .seconds(20))
        #expect(result.stdout.count == 5_000_000)
    }

    @Test func timeoutKillsTheCommandAndItsChildren() async throws {
        let start = Date()
        let error = await #expect(throws: TapisError.self) { try await transport.run("sleep 30 & sleep 30; wait", input: nil, timeout: .milliseconds(300)) }
        #expect(error?.code == .unavailable)
        // Well before the 30 s sleeps end (a loaded pool may keep the kill waiting a few seconds).
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func failuresCarryTheCommandsOwnMessage() async throws {
        let error = await #expect(throws: TapisError.self) { try await transport.copy(from: directory.file("missing"), to: directory.file("x")) }
        #expect(error?.code == .remoteFailure)
        #expect(error?.message.contains("No such file or directory") == true)
        #expect(try await transport.stat(directory.file("missing")) == nil)
    }

    @Test func unknownLoginIsRefused() {
        #expect(throws: TapisError.self) { try LocalTransport(login: "no-such-user-tapisd") }
    }
}
