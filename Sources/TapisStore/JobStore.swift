public import Foundation
import GRDB
public import TapisCore

/// The durable record of every job, its history and its raw request: one SQLite file in WAL mode
/// with full sync. It is the single source of truth; nothing else holds job state. Writes that
/// arrive together commit together (`GroupCommit`); each is durable when its call returns.
public final class JobStore: Sendable {
    let pool: DatabasePool
    private let commits: GroupCommit
    /// Rung after each commit that recorded events: event streams wait on it.
    public let newEvents = ChangeSignal()
    /// Rung after each commit that put notifications in the outbox: the delivery worker waits on it.
    public let newDeliveries = ChangeSignal()

    /// Opens (creating if needed) the store at `path`, checks it is whole (`PRAGMA quick_check`) and
    /// brings its schema up to date.
    /// - Throws: `TapisError.internal` naming the file when it is damaged (with how to restore it),
    ///   or cannot be opened or migrated; `.conflict` when a newer tapisd wrote it.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Deleted rows (a removed credential) are zeroed in their pages, at no extra I/O.
            try db.execute(sql: "PRAGMA secure_delete = FAST")
        }
        let damaged = { (what: String) in
            TapisError(.internal, "the job store \(path) is damaged (\(what)); stop tapisd, put the newest backup (tapis admin backup) in its place, remove \(path)-wal and \(path)-shm, and start it again")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if let damage = try Self.damage(of: pool) { throw damaged("SQLite's quick_check: " + damage) }
            try Self.refuseNewer(pool, path: path)
            try Self.migrator.migrate(pool)
            commits = GroupCommit(pool)
            let (events, deliveries) = (newEvents, newDeliveries)
            try pool.write { db in
                db.add(transactionObserver: InsertSignal(table: "jobEvent", signal: events), extent: .databaseLifetime)
                db.add(transactionObserver: InsertSignal(table: "delivery", signal: deliveries), extent: .databaseLifetime)
            }
        } catch let error as TapisError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw damaged(error.message ?? "\(error)")
        } catch {
            throw TapisError(.internal, "cannot open the job store \(path): \(error)")
        }
    }

    /// Inserts a new job with its subscriptions, its first history event (and, with subscriptions,
    /// the `JOB_SUBSCRIPTION` event that tells of them) and its raw request, in one transaction that
    /// is durable when this returns: the first notifications are in the outbox by then.
    /// - Returns: the job's JSON as stored (`TapisJSON.encoder()`), for an answer that need not encode it again.
    @discardableResult
    public func insert(_ job: Job, rawRequest: Data, subscriptions: [JobSubscriptionRequest] = []) async throws -> Data {
        let record = try JobRecord(job)
        try await write { db in
            try record.insert(db)
            if !job.tags.isEmpty { try JobTagIndex.set(job.tags, of: job.uuid, db) }
            for subscription in subscriptions { try Self.insertSubscription(db, subscription, job: job, owner: job.owner, now: job.created) }
            try Self.record(db, EventRecord(job: job, previous: nil, message: job.lastMessage ?? "", at: job.created), of: job)
            TransitionMetrics.count(db, to: job.status)
            if !subscriptions.isEmpty {
                try Self.recordSubscriptionChange(db, of: job, detail: "ADDED", count: subscriptions.count, at: job.created)
            }
            try db.execute(
                sql: "INSERT INTO jobResubmit (jobUuid, request) VALUES (?, ?)",
                arguments: [job.uuid.rawValue, String(decoding: rawRequest, as: UTF8.self)])
        }
        return Data(record.body.utf8)
    }

    /// The job with this UUID, if any.
    public func job(_ uuid: JobUUID) async throws -> Job? {
        try await read { db in try JobRecord.fetchOne(db, key: uuid.rawValue)?.decoded() }
    }

    /// The raw submit request stored with the job.
    public func rawRequest(_ uuid: JobUUID) async throws -> Data? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT request FROM jobResubmit WHERE jobUuid = ?", arguments: [uuid.rawValue])
                .map { Data($0.utf8) }
        }
    }

    /// A page of jobs matching the query, most recently updated first unless `order` says otherwise.
    /// - Throws: `TapisError.badRequest` when the query breaks a paging rule or its search is wrong.
    public func list(_ query: JobQuery) async throws -> [Job] {
        let sql = try Self.listing(query)
        return try await read { db in try SQLRequest<JobRecord>(literal: sql).fetchAll(db).map { try $0.decoded() } }
    }

    /// The same page as `list(query)`, as Tapis's summaries (a portal's job table): read from the
    /// columns and four fields of the body, without decoding whole jobs.
    /// - Throws: `TapisError.badRequest` when the query breaks a paging rule or its search is wrong.
    public func summaries(_ query: JobQuery) async throws -> [JobSummary] {
        let sql = try Self.listing(query, columns: JobSummaryRow.columns)
        return try await read { db in try Row.fetchAll(db, SQLRequest<Row>(literal: sql)).map(JobSummaryRow.summary) }
    }

    /// The page's rows: the page is chosen first by row id alone (`selection`), so that a filter
    /// the order's index cannot serve sorts only its matches' order keys, never whole rows and
    /// their JSON; then its at most `limit` rows are read in the same order.
    private static func listing(_ query: JobQuery, columns: SQL = "*") throws(TapisError) -> SQL {
        "SELECT \(columns) FROM job WHERE job.rowid IN (\(try selection(query))) ORDER BY \(query.ordering)"
    }

    /// The row ids of the page, in its order.
    private static func selection(_ query: JobQuery) throws(TapisError) -> SQL {
        try query.validate()
        return """
            SELECT job.rowid FROM job WHERE \(try query.condition(paging: true))
            ORDER BY \(query.ordering) LIMIT \(query.limit) OFFSET \(query.skip)
            """
    }

    private static func counting(_ query: JobQuery) throws(TapisError) -> SQL {
        "SELECT COUNT(*) FROM job WHERE \(try query.condition(paging: false))"
    }

    /// SQLite's plan for choosing the page of `list(query)` (reading its rows after is a lookup by
    /// row id each) or, with `counting`, for `count(query)`: one line a step of EXPLAIN QUERY PLAN
    /// (such as `SEARCH job USING INDEX jobOwnerCreated (owner=? AND visible=?)`), so that tests can
    /// prove every listing the interfaces make is served by an index.
    public func plan(_ query: JobQuery, counting: Bool = false) async throws -> [String] {
        let sql: SQL = "EXPLAIN QUERY PLAN " + (counting ? try Self.counting(query) : try Self.selection(query))
        return try await read { db in try Row.fetchAll(db, SQLRequest<Row>(literal: sql)).map { $0["detail"] } }
    }

    /// How many jobs match the query, whatever its page (`limit`, `skip`, `startAfter`): Tapis's `computeTotal`.
    /// - Throws: `TapisError.badRequest` when the query's search is wrong.
    public func count(_ query: JobQuery) async throws -> Int {
        let sql = try Self.counting(query)
        return try await read { db in try SQLRequest<Int>(literal: sql).fetchOne(db) ?? 0 }
    }

    /// The job's history, oldest first.
    public func history(_ uuid: JobUUID, limit: Int = 100, skip: Int = 0) async throws -> [JobEvent] {
        try await read { db in
            try EventRecord.filter(Column("jobUuid") == uuid.rawValue).order(Column("id")).limit(limit, offset: skip)
                .fetchAll(db).map(\.jobEvent)
        }
    }

    /// Moves a job to `status`, applying `change` first, and records the history event, in one
    /// transaction. Terminal statuses set `ended` and default the condition.
    /// - Throws: `TapisError.conflict` when the state machine forbids the move; `.notFound`.
    @discardableResult
    public func transition(
        _ uuid: JobUUID, to status: JobStatus, message: String, now: Date = Job.now(),
        change: @escaping @Sendable (inout Job) -> Void = { _ in }
    ) async throws -> Job {
        try await write { db in try Self.transition(db, uuid, to: status, message: message, now: now, change: change) }
    }

    /// The transition, inside a write transaction.
    static func transition(
        _ db: Database, _ uuid: JobUUID, to status: JobStatus, message: String, now: Date, change: (inout Job) -> Void = { _ in }
    ) throws -> Job {
        guard let record = try JobRecord.fetchOne(db, key: uuid.rawValue) else {
            throw TapisError(.notFound, "no job \(uuid)")
        }
        var job = try record.decoded()
        let previous = job.status
        try previous.checkTransition(to: status)
        change(&job)
        job.status = status
        job.lastMessage = message
        job.lastUpdated = now
        if status.isTerminal {
            job.ended = now
            if job.condition == nil {
                job.condition = status == .finished ? .normalCompletion : status == .cancelled ? .cancelledByUser : .internalError
            }
        }
        if status == .blocked && previous != .blocked { job.blockedCount += 1 }
        var updated = try JobRecord(job)
        updated.copyControl(from: record)
        if status.isTerminal { updated.cancelRequested = false }
        try updated.update(db)
        if previous != status {
            try Self.record(db, EventRecord(job: job, previous: previous, message: message, at: now), of: job)
            TransitionMetrics.count(db, to: status)
            if status == .failed {
                try Self.record(
                    db, EventRecord(job: uuid, event: JobEventCategory.errorMessage.rawValue, detail: "FINAL_MESSAGE", description: message, data: JobEventData.finalMessage(job), at: now),
                    of: job)
            }
            if status.isTerminal { try Self.endSubscriptions(db, of: uuid, at: now) }
            try wakeBlocked(db, freedBy: job, leaving: previous)
        }
        return job
    }

    /// Applies `change` to a job without changing its status (remote id, check counters, …).
    @discardableResult
    public func update(_ uuid: JobUUID, now: Date = Job.now(), change: @escaping @Sendable (inout Job) -> Void) async throws -> Job {
        guard let job = try await update([uuid], now: now, change: change)[uuid] else { throw TapisError(.notFound, "no job \(uuid)") }
        return job
    }

    /// Applies `change` to each of the jobs without changing their status, in one transaction (a
    /// monitoring cycle's check counters: one write for the whole batch).
    /// - Returns: the changed jobs, by UUID; a job that no longer exists is left out.
    @discardableResult
    public func update(_ uuids: [JobUUID], now: Date = Job.now(), change: @escaping @Sendable (inout Job) -> Void) async throws -> [JobUUID: Job] {
        try await write { db in try Self.update(db, uuids, now: now, change: change) }
    }

    /// The update, inside a write transaction.
    static func update(_ db: Database, _ uuids: [JobUUID], now: Date, change: (inout Job) -> Void) throws -> [JobUUID: Job] {
        var changed: [JobUUID: Job] = [:]
        for uuid in uuids {
            guard let record = try JobRecord.fetchOne(db, key: uuid.rawValue) else { continue }
            var job = try record.decoded()
            let status = job.status
            change(&job)
            precondition(job.status == status, "use transition(_:to:) to change a job's status")
            job.lastUpdated = now
            var updated = try JobRecord(job)
            updated.copyControl(from: record)
            try updated.update(db)
            changed[uuid] = job
        }
        return changed
    }

    /// Records the caller's wish to cancel; the engine acts on it in whatever state the job is.
    /// - Throws: `TapisError.conflict` if the job already ended; `.notFound`.
    public func requestCancel(_ uuid: JobUUID) async throws -> Job {
        try await write { db in
            guard let record = try JobRecord.fetchOne(db, key: uuid.rawValue) else { throw TapisError(.notFound, "no job \(uuid)") }
            let job = try record.decoded()
            if job.status.isTerminal {
                throw TapisError(.conflict, "job \(uuid) already ended with status \(job.status.rawValue); there is nothing to cancel")
            }
            try db.execute(sql: "UPDATE job SET cancelRequested = 1, nextAttemptAt = 0 WHERE uuid = ?", arguments: [uuid.rawValue])
            return job
        }
    }

    /// Whether a cancel was requested for the job.
    public func isCancelRequested(_ uuid: JobUUID) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT cancelRequested FROM job WHERE uuid = ?", arguments: [uuid.rawValue]) ?? false
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw Self.boundary(error) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await commits.write(body) } catch { throw Self.boundary(error) }
    }

    private static func boundary(_ error: any Error) -> any Error {
        if error is TapisError || error is CancellationError { return error }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL {
            return TapisError(.unavailable, "the disk that holds tapisd's job store is full: nothing of this request was recorded; free space there and try again")
        }
        return TapisError(.internal, "job store: \(error)")
    }
}
