import Foundation

/// Where the built binaries and the repository are, for tests that run the real programs.
public enum TestEnvironment {
    /// The repository root (this file is `Tests/TapisTestSupport/TestEnvironment.swift`).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The directory holding `tapisd` and `tapis`: `$TAPISD_BIN_DIR`, else `.build/debug`.
    public static let binDirectory: String = ProcessInfo.processInfo.environment["TAPISD_BIN_DIR"] ?? repositoryRoot + "/.build/debug"

    /// The test bed's directory (`scripts/testbed.sh`): `$TAPISD_TESTBED_DIR`, else /tmp/tapisd-testbed.
    public static let testbedDirectory: String = ProcessInfo.processInfo.environment["TAPISD_TESTBED_DIR"] ?? "/tmp/tapisd-testbed"

    /// The `KEY=value` lines of a file the test bed writes (`env`, `systemd.env`), or nil when it
    /// has not written it.
    public static func testbedValues(_ file: String) -> [String: String]? {
        guard let text = try? String(contentsOfFile: testbedDirectory + "/" + file, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    /// - Throws: `TestSetupError` when none could be found.
    public static func freePort() throws -> Int {
        let probe = try ProgramRunner.run(["/usr/bin/python3", "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        guard let port = Int(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw TestSetupError("no free port: \(probe.stderr)") }
        return port
    }

    /// The path of a built binary.
    /// - Throws: `TestSetupError` naming the command that builds it when it is missing.
    public static func binary(_ name: String) throws -> String {
        let path = binDirectory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSetupError("\(path) is missing: run scripts/test.sh (or swift build) first")
        }
        return path
    }
}

/// A test precondition that does not hold: the message says how to fix it.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
