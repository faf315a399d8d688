import GRDB
public import TapisCore

/// An event of the log with its place in it: the event stream's `id`, from which a dropped
/// stream resumes (`Last-Event-ID`).
public struct LoggedEvent: Sendable, Equatable {
    public var id: Int64
    public var event: TapisEvent
}

/// A page of the event log: the events, and how far the log was read for them (the next page
/// starts after it, even when none of the events read was the reader's).
public struct EventPage: Sendable {
    public var events: [LoggedEvent]
    public var readThrough: Int64
}

extension JobStore {
    /// Events after `id`, oldest first: of one job, or of every job `owner` has (nil: every job),
    /// with where the read reached (the log's end when fewer than `limit` matched).
    public func events(after id: Int64, job: JobUUID? = nil, owner: String? = nil, tenant: String, limit: Int = 500) async throws -> EventPage {
        try await read { db in
            let end = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM jobEvent") ?? 0
            var condition: SQL = "e.id > \(id) AND e.id <= \(end)"
            if let job { condition += " AND e.jobUuid = \(job.rawValue)" }
            if let owner { condition += " AND j.owner = \(owner)" }
            // CROSS JOIN: the log is read from `id` on, and each event's job looked up, never the other way round.
            let request = SQLRequest<EventRecord>(literal: "SELECT e.* FROM jobEvent e CROSS JOIN job j ON j.uuid = e.jobUuid WHERE \(condition) ORDER BY e.id LIMIT \(limit)")
            let events = try request.fetchAll(db).map { LoggedEvent(id: $0.id ?? 0, event: $0.tapisEvent(tenant: tenant)) }
            return EventPage(events: events, readThrough: events.count == limit ? events.last!.id : max(id, end))
        }
    }

    /// The id of the log's latest event (0 when it is empty): where a stream that wants only new events starts.
    public func latestEventId() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM jobEvent") ?? 0 }
    }
}
