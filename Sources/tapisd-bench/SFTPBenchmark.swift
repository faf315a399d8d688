import ArgumentParser
import Foundation
import Logging
import TapisSSH

/// `tapisd-bench`: SFTP throughput of tapisd's SSH transport side by side with OpenSSH's sftp and scp
/// on the same server, for one large file and a tree of small files. Run it through
/// scripts/bench-sftp.sh, which starts the test bed and builds it optimized.
@main
struct SFTPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tapisd-bench", abstract: "Measures tapisd's SFTP against OpenSSH sftp and scp.")

    @Option var host = "127.0.0.1"
    @Option var port: Int
    @Option var user: String
    @Option(help: "The private key (no passphrase).") var key: String
    @Option(help: "The known_hosts file that lists the server.") var knownHosts: String
    @Option(help: "Size of the large file, in MiB.") var sizeMib = 1024
    @Option(help: "How many small files.") var files = 1000
    @Option(help: "Size of each small file, in bytes.") var fileBytes = 4096
    @Option(help: "A scratch directory on the server (removed afterwards).") var remoteDirectory: String
    @Option(help: "Runs of each transfer; the median is reported (this machine's load varies).") var repeats = 3
    @Flag(help: "Measure tapisd only (for profiling).") var tapisdOnly = false

    func run() async throws {
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("tapisd-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: local + "/small", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: local) }
        print("preparing \(sizeMib) MiB of random data and \(files) files of \(fileBytes) bytes in \(local)")
        try shell("head -c \(sizeMib << 20) /dev/urandom > \(local)/large")
        for index in 0..<files {
            try Data((0..<fileBytes).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: "\(local)/small/f\(index)"))
        }
        let pool = SSHConnectionPool(logger: Logger(label: "bench"))
        let transport = SSHTransport(
            endpoint: SSHEndpoint(host: host, port: port, login: user), credential: .keyFile(path: key, passphrase: nil),
            hostKeys: .knownHosts(path: knownHosts), pool: pool)
        try await transport.makeDirectories(remoteDirectory)
        _ = try await transport.run("true", input: nil, timeout: .seconds(30))

        let largeBytes = Double(sizeMib << 20)
        let smallBytes = Double(files * fileBytes)
        let ssh = "-P \(port) -i \(key) -o UserKnownHostsFile=\(knownHosts) -o BatchMode=yes"
        var rows: [(String, Double, Double, Double)] = []

        let tUp = try await time { try await transport.upload(from: "\(local)/large", to: "\(remoteDirectory)/large") }
        let tDown = try await time { try await transport.download("\(remoteDirectory)/large", to: "\(local)/large.back") }
        try shell("cmp \(local)/large \(local)/large.back && rm -f \(local)/large.back")
        if tapisdOnly {
            print(String(format: "tapisd: upload %.1f MB/s, download %.1f MB/s", largeBytes / tUp / 1e6, largeBytes / tDown / 1e6))
            try await transport.remove(remoteDirectory)
            return
        }
        let sftpUp = try await time { try shell("echo 'put \(local)/large \(remoteDirectory)/large.openssh' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") }
        let sftpDown = try await time { try shell("echo 'get \(remoteDirectory)/large.openssh \(local)/large.sftp' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") }
        let scpUp = try await time { try shell("scp -q \(ssh) \(local)/large \(user)@\(host):\(remoteDirectory)/large.scp") }
        let scpDown = try await time { try shell("scp -q \(ssh) \(user)@\(host):\(remoteDirectory)/large.scp \(local)/large.scpback") }
        rows.append(("\(sizeMib) MiB file, upload", largeBytes / tUp, largeBytes / sftpUp, largeBytes / scpUp))
        rows.append(("\(sizeMib) MiB file, download", largeBytes / tDown, largeBytes / sftpDown, largeBytes / scpDown))

        let sUp = try await time { try await transport.upload(from: "\(local)/small", to: "\(remoteDirectory)/small") }
        let sDown = try await time {
            try? FileManager.default.removeItem(atPath: "\(local)/small.back")
            try await transport.download("\(remoteDirectory)/small", to: "\(local)/small.back")
        }
        try shell("diff -r \(local)/small \(local)/small.back")
        let sftpSmallUp = try await time { try shell("printf -- '-mkdir \(remoteDirectory)/small.openssh\\nput -r \(local)/small/. \(remoteDirectory)/small.openssh\\n' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") }
        let sftpSmallDown = try await time { try shell("rm -rf \(local)/small.sftp; echo 'get -r \(remoteDirectory)/small.openssh \(local)/small.sftp' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") }
        let scpSmallUp = try await time { try shell("scp -q -r \(ssh) \(local)/small \(user)@\(host):\(remoteDirectory)/small.scp") }
        let scpSmallDown = try await time { try shell("rm -rf \(local)/small.scpback; scp -q -r \(ssh) \(user)@\(host):\(remoteDirectory)/small.scp \(local)/small.scpback") }
        rows.append(("\(files) files, upload", smallBytes / sUp, smallBytes / sftpSmallUp, smallBytes / scpSmallUp))
        rows.append(("\(files) files, download", smallBytes / sDown, smallBytes / sftpSmallDown, smallBytes / scpSmallDown))
        try await transport.remove(remoteDirectory)
        await pool.closeAll()

        print("")
        print("transfer                     tapisd MB/s   sftp MB/s    scp MB/s   tapisd/sftp  tapisd/scp")
        for (name, ours, sftp, scp) in rows {
            let line = [
                name.padding(toLength: 28, withPad: " ", startingAt: 0), format(ours / 1e6, 11), format(sftp / 1e6, 11),
                format(scp / 1e6, 11), format(ours / sftp, 12), format(ours / scp, 11),
            ]
            print(line.joined(separator: " "))
        }
    }

    /// The median duration of `repeats` runs of `body`, in seconds.
    private func time(_ body: () async throws -> Void) async throws -> Double {
        var runs: [Double] = []
        for _ in 0..<max(1, repeats) {
            // Every run starts with no dirty pages waiting for the disk (earlier writes would slow it).
            try shell("sync")
            let start = ContinuousClock.now
            try await body()
            let elapsed = ContinuousClock.now - start
            runs.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return runs.sorted()[runs.count / 2]
    }

    private func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("failed (\(process.terminationStatus)): \(command)") }
    }

    private func format(_ value: Double, _ width: Int) -> String {
        let text = String(format: "%.2f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
