import Foundation
import Testing
import TapisCore
import TapisTestSupport
import TapisTransport

/// Child processes and user lookups under load: blocking calls share one bounded pool, and a
/// process that floods one pipe never stalls on the other.
@Suite(.serialized, .timeLimit(.minutes(1))) struct BlockingPoolTests {
    let transport: LocalTransport

    init() throws {
        transport = try LocalTransport(login: UserAccount.withUID(geteuid())!.name)
    }

    /// The threads of this process, from /proc.
    static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    @Test func manyConcurrentCommandsUseTheBoundedPoolNotAThreadEach() async throws {
        let before = Self.threadCount()
        let peak = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<64 {
                group.addTask {
                    // Short: 64 of them fill the pool, and every other suite's commands queue behind them.
                    let result = try await transport.run("sleep 0.1; echo \(index)", input: nil, timeout: .seconds(30))
                    #expect(result.output == "\(index)\n")
                    return Self.threadCount()
                }
            }
            return try await group.reduce(0) { max($0, $1) }
        }
        // A thread per blocking call meant three per command (stdout, stderr, waitpid): 192 here.
        // Other suites of the same process start threads meanwhile (up to 99 seen with the whole
        // suite running), so the bound sits between that noise and 192.
        #expect(peak - before < 150, "64 commands at once added \(peak - before) threads (pool: \(BlockingPool.threadCount))")
    }

    @Test func aStreamWhoseCommandFloodsStandardErrorDoesNotStall() async throws {
        var received = 0
        try await transport.stream("head -c 1000000 /dev/zero >&2; echo done") { received += $0.count }
        #expect(received == 5, "the output arrives after a megabyte of standard error")
    }

    @Test func aCommandReadingAllItsInputWhileWritingMuchOutputFinishes() async throws {
        let input = [UInt8](repeating: 65, count: 2_000_000)
        let result = try await transport.run("cat; head -c 500000 /dev/zero >&2", input: input, timeout: .seconds(30))
        #expect(result.stdout.count == input.count && result.stderr.count == 500_000 && result.status == 0)
    }

    @Test func aTimedOutCommandIsKilledAndReported() async throws {
        let start = ContinuousClock.now
        let error = await #expect(throws: TapisError.self) { try await transport.run("sleep 30", input: nil, timeout: .milliseconds(300)) }
        #expect(error?.code == .unavailable && error?.message.contains("timed out") == true)
        // Well before the 30 s sleep ends (a loaded pool may keep the kill waiting a few seconds).
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func userLookupsFromManyThreadsAgree() async throws {
        let root = try #require(UserAccount.named("root"))
        let nobody = try #require(UserAccount.named("nobody"))
        #expect(root.uid == 0 && root.home == "/root" && UserAccount.withUID(nobody.uid)?.name == "nobody")
        #expect(UserAccount.groupID(named: "root") == 0 && root.isMember(ofGroup: 0))
        #expect(UserAccount.named("no-such-user-tapisd") == nil && UserAccount.groupID(named: "no-such-group-tapisd") == nil)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let count = try? await BlockingPool.run {
                        (0..<500).filter { step in
                            let expected = (index + step) % 2 == 0 ? root : nobody
                            return UserAccount.named(expected.name) != expected
                        }.count
                    }
                    return count ?? 1
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
