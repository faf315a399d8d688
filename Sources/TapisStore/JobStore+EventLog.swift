import GRDB
public import TapisCore

/// An event of the log with its place in it: the event stream's `id`, from which a dropped
/// stream resumes (`Last-Event-ID`).
public struct LoggedEvent: Sendable, Equatable {
    public var id: Int64
    public var event: TapisEvent
}

extension JobStore {
    /// Events after `id`, oldest first: of one job, or of every job `owner` has (nil: every job).
    public func events(after id: Int64, job: JobUUID? = nil, owner: String? = nil, tenant: String, limit: Int = 500) async throws -> [LoggedEvent] {
        try await read { db in
            var condition: SQL = "e.id > \(id)"
            if let job { condition += " AND e.jobUuid = \(job.rawValue)" }
            if let owner { condition += " AND j.owner = \(owner)" }
            // CROSS JOIN: the log is read from `id` on, and each event's job looked up, never the other way round.
            let request = SQLRequest<EventRecord>(literal: "SELECT e.* FROM jobEvent e CROSS JOIN job j ON j.uuid = e.jobUuid WHERE \(condition) ORDER BY e.id LIMIT \(limit)")
            return try request.fetchAll(db).map {
                LoggedEvent(id: $0.id ?? 0, event: $0.tapisEvent(tenant: tenant))
            }
        }
    }

    /// The id of the log's latest event (0 when it is empty): where a stream that wants only new events starts.
    public func latestEventId() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM jobEvent") ?? 0 }
    }
}
