import Foundation
import TapisAPI
import Testing

/// The login back-off on its own clock: what is free, what waits, what is forgotten.
@Suite struct LoginThrottleTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Fails `count` checked attempts of `user` from `source`, a second apart.
    static func fail(_ throttle: LoginThrottle, _ user: String, from source: String, times count: Int, at start: Date = start) async {
        for attempt in 0..<count {
            let now = start.addingTimeInterval(TimeInterval(attempt))
            #expect(await throttle.begin(user: user, source: source, now: now) == .proceed)
            await throttle.finish(user: user, source: source, .refused, now: now)
        }
    }

    @Test func aFewFailuresAreFreeThenEachOneDoublesTheWait() async {
        let throttle = LoginThrottle()
        await Self.fail(throttle, "tapis-bob", from: "192.0.2.1", times: 5)
        let after = Self.start.addingTimeInterval(5)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: after) == .proceed, "five failures are free")
        await throttle.finish(user: "tapis-bob", source: "192.0.2.1", .refused, now: after)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.9", now: after.addingTimeInterval(0.5)) == .wait(1), "the sixth waits 1 s, from any address")
        let later = after.addingTimeInterval(1)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: later) == .proceed)
        await throttle.finish(user: "tapis-bob", source: "192.0.2.1", .refused, now: later)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: later) == .wait(2), "then 2 s")
        #expect(await throttle.begin(user: "tapis-alice", source: "192.0.2.7", now: later) == .proceed, "other users are not held back")
    }

    @Test func aSuccessForgetsTheUsersFailuresButNotTheAddresss() async {
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerSource = 8
        let throttle = LoginThrottle(policy: policy)
        await Self.fail(throttle, "tapis-bob", from: "192.0.2.1", times: 5)
        let now = Self.start.addingTimeInterval(10)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: now) == .proceed)
        await throttle.finish(user: "tapis-bob", source: "192.0.2.1", .accepted, now: now)
        await Self.fail(throttle, "tapis-bob", from: "192.0.2.1", times: 3, at: now)
        let sprayed = now.addingTimeInterval(3)
        #expect(await throttle.begin(user: "someone-else", source: "192.0.2.1", now: sprayed) == .proceed)
        await throttle.finish(user: "someone-else", source: "192.0.2.1", .refused, now: sprayed)
        #expect(await throttle.begin(user: "a-third", source: "192.0.2.1", now: sprayed) == .wait(1), "nine failures from one address, whatever the names, wait")
        #expect(await throttle.begin(user: "tapis-bob", source: "198.51.100.4", now: sprayed) == .proceed, "bob's own failures started afresh at his success")
        await throttle.finish(user: "tapis-bob", source: "198.51.100.4", .accepted, now: sprayed)
    }

    @Test func failuresAreForgottenAfterAQuietSpell() async {
        let throttle = LoginThrottle()
        await Self.fail(throttle, "tapis-bob", from: "192.0.2.1", times: 6)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: Self.start.addingTimeInterval(5.5)) == .wait(1))
        let hourLater = Self.start.addingTimeInterval(3600)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: hourLater) == .proceed)
        await throttle.finish(user: "tapis-bob", source: "192.0.2.1", .refused, now: hourLater)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: hourLater) == .wait(2), "waiting a wait out buys no free failures")
        let quiet = hourLater.addingTimeInterval(6 * 3600 + 10)
        await Self.fail(throttle, "tapis-bob", from: "192.0.2.1", times: 5, at: quiet)
        #expect(await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: quiet.addingTimeInterval(5)) == .proceed, "after six quiet hours, five are free again")
    }

    @Test func anIPv6ClientIsItsSlash64() async {
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerSource = 3
        let throttle = LoginThrottle(policy: policy)
        for (index, address) in ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9", "2001:db8:1:2:0:0:0:3"].enumerated() {
            #expect(await throttle.begin(user: "user-\(index)", source: address, now: Self.start) == .proceed)
            await throttle.finish(user: "user-\(index)", source: address, .refused, now: Self.start)
        }
        #expect(await throttle.begin(user: "user-9", source: "2001:db8:1:2::77", now: Self.start) == .wait(1), "one /64 is one client")
        #expect(await throttle.begin(user: "user-9", source: "2001:db8:1:3::1", now: Self.start) == .proceed, "the next /64 is another")
    }

    @Test func theWaitStopsAtItsLongestAndAPAMFaultCountsForNothing() async {
        var policy = LoginThrottle.Policy()
        policy.longestWait = 60
        let throttle = LoginThrottle(policy: policy)
        var now = Self.start
        for _ in 0..<40 {
            if case .wait(let seconds) = await throttle.begin(user: "tapis-bob", source: "192.0.2.1", now: now) {
                #expect(seconds <= 60)
                now = now.addingTimeInterval(TimeInterval(seconds))
                continue
            }
            await throttle.finish(user: "tapis-bob", source: "192.0.2.1", .refused, now: now)
        }
        #expect(await throttle.begin(user: "tapis-alice", source: "203.0.113.5", now: now) == .proceed)
        await throttle.finish(user: "tapis-alice", source: "203.0.113.5", .unchecked, now: now)
        for _ in 0..<10 {
            #expect(await throttle.begin(user: "tapis-alice", source: "203.0.113.5", now: now) == .proceed)
            await throttle.finish(user: "tapis-alice", source: "203.0.113.5", .unchecked, now: now)
        }
    }

    @Test func onlyAFewChecksRunAtOnceAndTheTableStaysBounded() async {
        var policy = LoginThrottle.Policy()
        policy.concurrentChecks = 2
        policy.capacity = 100
        let throttle = LoginThrottle(policy: policy)
        #expect(await throttle.begin(user: "a", source: "192.0.2.1", now: Self.start) == .proceed)
        #expect(await throttle.begin(user: "b", source: "192.0.2.2", now: Self.start) == .proceed)
        #expect(await throttle.begin(user: "c", source: "192.0.2.3", now: Self.start) == .wait(1), "a third check waits while two run")
        await throttle.finish(user: "a", source: "192.0.2.1", .refused, now: Self.start)
        #expect(await throttle.begin(user: "c", source: "192.0.2.3", now: Self.start) == .proceed)
        await throttle.finish(user: "b", source: "192.0.2.2", .refused, now: Self.start)
        await throttle.finish(user: "c", source: "192.0.2.3", .refused, now: Self.start)
        for index in 0..<1000 {
            let user = "user-\(index)"
            #expect(await throttle.begin(user: user, source: "10.0.\(index / 250).\(index % 250)", now: Self.start) == .proceed)
            await throttle.finish(user: user, source: "10.0.\(index / 250).\(index % 250)", .refused, now: Self.start)
        }
        #expect(await throttle.rememberedKeys <= 100)
    }
}
