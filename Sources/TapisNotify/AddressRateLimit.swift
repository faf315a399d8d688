import Foundation

/// At most `limit` deliveries to one address in any `window` (Tapis: 10 in 5 s), so that a burst
/// of events never floods a receiver.
struct AddressRateLimit {
    var limit = 10
    var window: TimeInterval = 5
    private var sent: [String: [Date]] = [:]

    /// Counts a delivery to `address` now and returns nil, or, when the window is full, returns
    /// when a slot frees (and counts nothing).
    mutating func admit(_ address: String, now: Date) -> Date? {
        var recent = sent[address, default: []].filter { now.timeIntervalSince($0) < window }
        defer { sent[address] = recent.isEmpty ? nil : recent }
        guard recent.count < limit else { return recent[0] + window }
        recent.append(now)
        return nil
    }

    /// The addresses whose window is full now, with when each frees.
    func full(now: Date) -> [String: Date] {
        var full: [String: Date] = [:]
        for (address, dates) in sent {
            let recent = dates.filter { now.timeIntervalSince($0) < window }
            if recent.count >= limit { full[address] = recent[0] + window }
        }
        return full
    }

    /// Forgets addresses with nothing sent in the window.
    mutating func forgetIdle(now: Date) {
        sent = sent.filter { _, dates in dates.contains { now.timeIntervalSince($0) < window } }
    }
}
