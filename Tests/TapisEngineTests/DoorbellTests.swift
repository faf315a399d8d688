import Testing
import TapisEngine

/// The engine's dispatch loop sleeps on a doorbell between claims: a ring wakes it at once, and
/// without one it waits out its timeout (a wait that returned early would spin the loop). The waits
/// that a ring ends have a 30 s timeout, so ending within 20 s (however loaded the machine) is the
/// ring's doing.
@Suite struct DoorbellTests {
    @Test func aRingBeforeTheWaitIsKeptAndWakesItAtOnce() async {
        let bell = Doorbell()
        bell.ring()
        let clock = ContinuousClock()
        let elapsed = await clock.measure { await bell.wait(upTo: .seconds(30)) }
        #expect(elapsed < .seconds(20))
    }

    @Test func aRingDuringTheWaitWakesIt() async {
        let bell = Doorbell()
        let clock = ContinuousClock()
        async let ringer: Void = {
            try? await Task.sleep(for: .milliseconds(100))
            bell.ring()
        }()
        let elapsed = await clock.measure { await bell.wait(upTo: .seconds(30)) }
        await ringer
        #expect(elapsed < .seconds(20))
    }

    @Test func waitsAfterARingStillWaitOutTheirTimeout() async {
        let bell = Doorbell()
        bell.ring()
        await bell.wait(upTo: .seconds(30))
        let clock = ContinuousClock()
        for _ in 0..<3 {
            let elapsed = await clock.measure { await bell.wait(upTo: .milliseconds(200)) }
            #expect(elapsed >= .milliseconds(190))
        }
    }
}
