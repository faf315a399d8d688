import Foundation
import Synchronization
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Group commit answers a submit only after the transaction holding it is committed: a daemon killed
/// with SIGKILL while submits pour in still holds, after restart, every job it answered 200 for.
@Suite struct SubmitDurabilityTests {
    /// The UUIDs of the submits answered 200, from every client.
    final class Answered: Sendable {
        let uuids = Mutex<[String]>([])
    }

    @Test func everySubmitAnswered200SurvivesAKillRightAfter() async throws {
        let daemon = try DaemonHarness()
        defer { daemon.shutdown() }
        try daemon.registerExampleApp()
        let body = Data(#"{"name": "durable", "appId": "hello", "appVersion": "1.0", "parameterSet": {"envVariables": [{"key": "SLEEP_SECONDS", "value": "1"}]}}"#.utf8)
        let answered = Answered()
        let client = daemon.client
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    // Each client submits until the daemon is gone; the kill lands mid-stream.
                    while let data = try? await client.call(.post, "/v3/jobs/submit", body: body) {
                        guard let envelope = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                              let result = envelope["result"] as? [String: Any], let id = result["uuid"] as? String
                        else { continue }
                        let count = answered.uuids.withLock { $0.append(id); return $0.count }
                        if count == 200 { daemon.crash() }
                    }
                }
            }
        }
        let acknowledged = answered.uuids.withLock { $0 }
        #expect(acknowledged.count >= 200)
        try daemon.start()
        var missing: [String] = []
        for uuid in acknowledged where (try? await daemon.job(uuid)) == nil { missing.append(uuid) }
        #expect(missing.isEmpty, "answered 200 but lost after the kill: \(missing.count) of \(acknowledged.count)")
    }
}
