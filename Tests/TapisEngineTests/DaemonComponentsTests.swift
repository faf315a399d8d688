import Testing
import TapisDaemon

/// The daemon's wiring runs the SSH pool's janitor (it once was never started, so idle connections
/// closed only when another was asked for, and none at shutdown) before the engine, so that the
/// service group stops it after the engine and it closes every connection last.
@Suite struct DaemonComponentsTests {
    @Test func theJanitorRunsFirstAndStopsLast() async throws {
        let harness = try EngineHarness()
        #expect(harness.components.backgroundServices.map { "\($0)" } == ["SSHPoolJanitor", "JobEngine", "NotificationService", "HangupReloader"])
        await harness.stop()
    }
}
