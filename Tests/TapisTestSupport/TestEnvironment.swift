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
