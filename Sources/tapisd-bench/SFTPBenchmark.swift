import ArgumentParser
import Foundation
import Logging
import TapisSSH

/// `tapisd-bench`: the SFTP benchmark (the default) and the delay proxy it starts.
@main
struct TapisdBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapisd-bench", abstract: "Measures tapisd's SFTP against OpenSSH sftp and scp.",
        subcommands: [SFTPBenchmark.self, SFTPDelayProxy.self], defaultSubcommand: SFTPBenchmark.self)
}

/// SFTP throughput of tapisd's SSH transport side by side with OpenSSH's sftp and scp on the same
/// server, for one large file and a tree of small files, directly and through a proxy that delays
/// each direction (`delay-proxy`). Run it through scripts/bench-sftp.sh, which starts the test bed
/// and builds it optimized.
struct SFTPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sftp", abstract: "Measures tapisd's SFTP against OpenSSH sftp and scp.")

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
    @Option(help: "The delay the proxy adds in each direction, in milliseconds (0: no delayed runs).") var delayMs = 10
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

        if tapisdOnly {
            let tUp = try await time { try await transport.upload(from: "\(local)/large", to: "\(remoteDirectory)/large") }
            let tDown = try await time { try await transport.download("\(remoteDirectory)/large", to: "\(local)/large.back") }
            try shell("cmp \(local)/large \(local)/large.back && rm -f \(local)/large.back")
            print(String(format: "tapisd: upload %.1f MB/s, download %.1f MB/s", largeBytes / tUp / 1e6, largeBytes / tDown / 1e6))
            try await transport.remove(remoteDirectory)
            return
        }
        // Each transfer runs in turn with its rivals (tapisd, sftp, scp, tapisd, ...), so that a
        // change in the machine's load while the benchmark runs weighs on all of them alike.
        let ups = try await interleaved([
            { try await transport.upload(from: "\(local)/large", to: "\(remoteDirectory)/large") },
            { try shell("echo 'put \(local)/large \(remoteDirectory)/large.openssh' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") },
            { try shell("scp -q \(ssh) \(local)/large \(user)@\(host):\(remoteDirectory)/large.scp") },
        ])
        let downs = try await interleaved([
            { try await transport.download("\(remoteDirectory)/large", to: "\(local)/large.back") },
            { try shell("echo 'get \(remoteDirectory)/large.openssh \(local)/large.sftp' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") },
            { try shell("scp -q \(ssh) \(user)@\(host):\(remoteDirectory)/large.scp \(local)/large.scpback") },
        ])
        try shell("cmp \(local)/large \(local)/large.back && rm -f \(local)/large.back \(local)/large.sftp \(local)/large.scpback")
        let (tUp, sftpUp, scpUp) = (ups[0], ups[1], ups[2])
        let (tDown, sftpDown, scpDown) = (downs[0], downs[1], downs[2])
        rows.append(("\(sizeMib) MiB file, upload", largeBytes / tUp, largeBytes / sftpUp, largeBytes / scpUp))
        rows.append(("\(sizeMib) MiB file, download", largeBytes / tDown, largeBytes / sftpDown, largeBytes / scpDown))

        let smallUps = try await interleaved([
            { try await transport.upload(from: "\(local)/small", to: "\(remoteDirectory)/small") },
            { try shell("printf -- '-mkdir \(remoteDirectory)/small.openssh\\nput -r \(local)/small/. \(remoteDirectory)/small.openssh\\n' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") },
            { try shell("scp -q -r \(ssh) \(local)/small \(user)@\(host):\(remoteDirectory)/small.scp") },
        ])
        let smallDowns = try await interleaved([
            {
                try? FileManager.default.removeItem(atPath: "\(local)/small.back")
                try await transport.download("\(remoteDirectory)/small", to: "\(local)/small.back")
            },
            { try shell("rm -rf \(local)/small.sftp; echo 'get -r \(remoteDirectory)/small.openssh \(local)/small.sftp' | sftp -q \(ssh) -b - \(user)@\(host) > /dev/null") },
            { try shell("rm -rf \(local)/small.scpback; scp -q -r \(ssh) \(user)@\(host):\(remoteDirectory)/small.scp \(local)/small.scpback") },
        ])
        try shell("diff -r \(local)/small \(local)/small.back")
        let (sUp, sftpSmallUp, scpSmallUp) = (smallUps[0], smallUps[1], smallUps[2])
        let (sDown, sftpSmallDown, scpSmallDown) = (smallDowns[0], smallDowns[1], smallDowns[2])
        rows.append(("\(files) files, upload", smallBytes / sUp, smallBytes / sftpSmallUp, smallBytes / scpSmallUp))
        rows.append(("\(files) files, download", smallBytes / sDown, smallBytes / sftpSmallDown, smallBytes / scpSmallDown))
        var delayed: [(String, Double, Double)] = []
        if delayMs > 0 {
            let (proxy, proxyPort) = try startProxy()
            defer {
                proxy.terminate()
                proxy.waitUntilExit()
            }
            // The proxy's address with the server's host key, for both clients.
            let proxyKnownHosts = "\(local)/known_hosts.proxy"
            let lines = try String(contentsOfFile: knownHosts, encoding: .utf8).split(separator: "\n")
            let entries = lines.compactMap { line -> String? in
                let fields = line.split(separator: " ", maxSplits: 1)
                guard fields.count == 2 else { return nil }
                return "[127.0.0.1]:\(proxyPort) \(fields[1])"
            }
            try (entries.joined(separator: "\n") + "\n").write(toFile: proxyKnownHosts, atomically: true, encoding: .utf8)
            let delayedTransport = SSHTransport(
                endpoint: SSHEndpoint(host: "127.0.0.1", port: proxyPort, login: user), credential: .keyFile(path: key, passphrase: nil),
                hostKeys: .knownHosts(path: proxyKnownHosts), pool: pool)
            let viaProxy = "-P \(proxyPort) -i \(key) -o UserKnownHostsFile=\(proxyKnownHosts) -o BatchMode=yes"
            print("through the delay proxy on 127.0.0.1:\(proxyPort) (\(delayMs) ms each way)")
            let delayedUps = try await interleaved([
                { try await delayedTransport.upload(from: "\(local)/large", to: "\(remoteDirectory)/large.delayed") },
                { try shell("echo 'put \(local)/large \(remoteDirectory)/large.openssh' | sftp -q \(viaProxy) -b - \(user)@127.0.0.1 > /dev/null") },
            ])
            let delayedDowns = try await interleaved([
                { try await delayedTransport.download("\(remoteDirectory)/large.delayed", to: "\(local)/large.back") },
                { try shell("echo 'get \(remoteDirectory)/large.openssh \(local)/large.sftp' | sftp -q \(viaProxy) -b - \(user)@127.0.0.1 > /dev/null") },
            ])
            try shell("cmp \(local)/large \(local)/large.back && rm -f \(local)/large.back \(local)/large.sftp")
            let (dUp, dSftpUp, dDown, dSftpDown) = (delayedUps[0], delayedUps[1], delayedDowns[0], delayedDowns[1])
            delayed.append(("\(sizeMib) MiB file, upload", largeBytes / dUp, largeBytes / dSftpUp))
            delayed.append(("\(sizeMib) MiB file, download", largeBytes / dDown, largeBytes / dSftpDown))
        }
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
        if !delayed.isEmpty {
            print("")
            print("with \(delayMs) ms each way       tapisd MB/s   sftp MB/s   tapisd/sftp")
            for (name, ours, sftp) in delayed {
                print([name.padding(toLength: 28, withPad: " ", startingAt: 0), format(ours / 1e6, 11), format(sftp / 1e6, 11), format(ours / sftp, 12)].joined(separator: " "))
            }
        }
        let size = sizeMib % 1024 == 0 ? "\(sizeMib / 1024) GiB" : "\(sizeMib) MiB"
        func row(_ name: String, _ ours: Double, _ sftp: Double, _ target: String) {
            let figures = String(format: "%.0f vs %.0f MB/s", ours / 1e6, sftp / 1e6)
            print("| SFTP \(name) ÷ OpenSSH sftp (\(figures)) | \(String(format: "%.2f", ours / sftp)) | \(target) |")
        }
        print("")
        print("| Target | Measured | Goal |")
        print("|---|---|---|")
        row("\(size) upload", rows[0].1, rows[0].2, "≥ 1.0")
        row("\(size) download", rows[1].1, rows[1].2, "≥ 1.0")
        row("\(files) files upload", rows[2].1, rows[2].2, "≥ 1.0")
        row("\(files) files download", rows[3].1, rows[3].2, "≥ 1.0")
        if delayed.count == 2 { row("\(size) download, \(delayMs) ms each way", delayed[1].1, delayed[1].2, "≥ 1.5") }
    }

    /// Starts `tapisd-bench delay-proxy` in front of the server; returns it and the port it listens on.
    private func startProxy() throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["delay-proxy", "--target-port", String(port), "--delay-ms", String(delayMs)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw ValidationError("the delay proxy did not start")
        }
        return (process, port)
    }

    /// The median durations, in seconds, of `repeats` runs of each body, run in turn.
    private func interleaved(_ bodies: [() async throws -> Void]) async throws -> [Double] {
        var runs = [[Double]](repeating: [], count: bodies.count)
        for _ in 0..<max(1, repeats) {
            for (index, body) in bodies.enumerated() { runs[index].append(try await time(once: true, body)) }
        }
        print("  runs (s): " + runs.map { $0.map { String(format: "%.2f", $0) }.joined(separator: " ") }.joined(separator: " | "))
        return runs.map { $0.sorted()[$0.count / 2] }
    }

    /// The median duration of `repeats` runs of `body` (one run when `once`), in seconds.
    private func time(once: Bool = false, _ body: () async throws -> Void) async throws -> Double {
        var runs: [Double] = []
        for _ in 0..<(once ? 1 : max(1, repeats)) {
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
