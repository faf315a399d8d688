public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Backs off failed logins per user name and per source address: a few failures are free, then
/// each one doubles the wait before the next attempt is even checked. Failures are forgotten after
/// a quiet spell, a user's on a successful login. It also caps how many password checks run at
/// once, so that a login storm cannot occupy the daemon's blocking threads.
public actor LoginThrottle {
    /// The numbers the throttle works by.
    public struct Policy: Sendable {
        /// Failures of one user name before the first wait.
        public var freeFailuresPerUser = 5
        /// Failures from one address before the first wait (portals behind one address share it).
        public var freeFailuresPerSource = 30
        public var firstWait: TimeInterval = 1
        public var longestWait: TimeInterval = 900
        /// A key with no failure and no wait for this long starts afresh (well beyond the longest
        /// wait, or waiting one out would buy a fresh set of free failures).
        public var forgetAfter: TimeInterval = 6 * 3600
        /// Password checks running at once.
        public var concurrentChecks = 4
        /// Keys remembered at most (the oldest are dropped beyond).
        public var capacity = 10_000

        public init() {}
    }

    /// Whether a login attempt may go ahead.
    public enum Decision: Sendable, Equatable {
        case proceed
        /// Refused without a check: try again after this many seconds.
        case wait(Int)
    }

    private struct Record {
        var failures: Int
        var last: Date
        var blockedUntil: Date
    }

    private let policy: Policy
    private var records: [String: Record] = [:]
    private var checking = 0

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Decides whether an attempt by `user` from `source` is checked now; a `.proceed` must be
    /// followed by `finish`.
    public func begin(user: String, source: String, now: Date = Date()) -> Decision {
        let blocked = [Self.userKey(user), Self.sourceKey(source)].compactMap { records[$0]?.blockedUntil }.max() ?? .distantPast
        if blocked > now { return .wait(Int((blocked.timeIntervalSince(now)).rounded(.up))) }
        if checking >= policy.concurrentChecks { return .wait(1) }
        checking += 1
        return .proceed
    }

    /// How a checked attempt ended.
    public enum Ending: Sendable {
        case accepted
        case refused
        /// The check itself failed (PAM broken): no fault of the client's.
        case unchecked
    }

    /// Records how an attempt that `begin` let through ended.
    public func finish(user: String, source: String, _ ending: Ending, now: Date = Date()) {
        checking -= 1
        switch ending {
        case .accepted: records[Self.userKey(user)] = nil
        case .refused:
            fail(Self.userKey(user), free: policy.freeFailuresPerUser, now: now)
            fail(Self.sourceKey(source), free: policy.freeFailuresPerSource, now: now)
        case .unchecked: break
        }
    }

    private func fail(_ key: String, free: Int, now: Date) {
        var record = records[key].flatMap { now.timeIntervalSince(max($0.last, $0.blockedUntil)) < policy.forgetAfter ? $0 : nil }
            ?? Record(failures: 0, last: now, blockedUntil: .distantPast)
        record.failures += 1
        record.last = now
        if record.failures > free {
            let wait = min(policy.longestWait, policy.firstWait * pow(2, Double(min(record.failures - free - 1, 30))))
            record.blockedUntil = now.addingTimeInterval(wait)
        }
        if records[key] == nil, records.count >= policy.capacity { forgetOldest(now: now) }
        records[key] = record
    }

    /// Drops what has expired, and if that is not enough, the least recent half.
    private func forgetOldest(now: Date) {
        records = records.filter { now.timeIntervalSince(max($0.value.last, $0.value.blockedUntil)) < policy.forgetAfter }
        if records.count >= policy.capacity {
            let keep = records.sorted { $0.value.last > $1.value.last }.prefix(policy.capacity / 2)
            records = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }

    /// How many users and addresses are remembered now.
    public var rememberedKeys: Int { records.count }

    private static func userKey(_ user: String) -> String { "user\u{0}" + user }
    /// An IPv6 client is its /64 (one host usually holds all of it); anything else as it is.
    private static func sourceKey(_ source: String) -> String {
        var address = [UInt8](repeating: 0, count: 16)
        if source.contains(":"), inet_pton(AF_INET6, source, &address) == 1 {
            return "source\u{0}" + address.prefix(8).map { String($0, radix: 16) }.joined(separator: ".") + "/64"
        }
        return "source\u{0}" + source
    }
}
