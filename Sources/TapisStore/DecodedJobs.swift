import Synchronization
import TapisCore

/// Jobs recently decoded from their stored JSON, each with the exact text it came from: the engine
/// reads a job when it claims it and again in the transition that follows, and a portal reads the
/// same jobs page after page. A job whose stored text is unchanged is not decoded again; any other
/// text is decoded afresh, so the cache can never answer with a stale job. Bounded: when full it
/// starts over.
final class DecodedJobs: Sendable {
    /// The process's cache (entries are validated by their text, so every store may share it).
    /// A few hundred jobs cover the steps under way and a portal's page; each entry holds a
    /// decoded job and its text (tens of kilobytes), so more would cost the daemon's memory.
    static let shared = DecodedJobs(capacity: 256)

    private let capacity: Int
    private let entries = Mutex<[String: (body: String, job: Job)]>([:])

    init(capacity: Int) { self.capacity = capacity }

    /// The job `body` holds, decoded once per distinct text.
    func job(uuid: String, body: String, decode: (String) throws -> Job) rethrows -> Job {
        if let hit = entries.withLock({ $0[uuid] }), hit.body == body { return hit.job }
        let job = try decode(body)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[uuid] = (body, job)
        }
        return job
    }
}
