import Foundation

/// Python's `http.server` serving `directory` on a free loopback port, for tests that fetch over
/// HTTP. Stopped by its pid.
public final class StaticHTTPServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let logPath: String

    public init(directory: String) throws {
        let port = try TestEnvironment.freePort()
        self.port = port
        logPath = directory + "/.http-server.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, String(port)]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        for _ in 0..<100 {
            if (try? ProgramRunner.run(["/usr/bin/curl", "-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/"]))?.status == 0 { return }
            usleep(50_000)
        }
        stop()
        throw TestSetupError("http.server did not answer on port \(port)")
    }

    /// The request lines served so far (`GET /path`).
    public var requests: [String] {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.split(whereSeparator: \.isNewline).compactMap { line in
            guard let start = line.range(of: "\""), let end = line.range(of: " HTTP/", range: start.upperBound..<line.endIndex) else { return nil }
            return String(line[start.upperBound..<end.lowerBound])
        }
    }

    /// Kills the server (SIGKILL: a child of the test process inherits its blocked SIGTERM).
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
