public import Foundation
import GRDB
public import TapisCore

/// What a job's owner may do besides submit and cancel: hide it, send it an event, annotate it.
extension JobStore {
    /// Hides a job from listings (`visible` false), or shows it again.
    /// - Throws: `TapisError.conflict` unless the job has ended (Tapis's rule); `.notFound`.
    @discardableResult
    public func setVisible(_ uuid: JobUUID, _ visible: Bool, now: Date = Job.now()) async throws -> Job {
        try await modify(uuid, now: now) { job in
            guard job.status.isTerminal else {
                throw TapisError(.conflict, "job \(uuid) is \(job.status.rawValue); only a job that ended can be \(visible ? "unhidden" : "hidden")")
            }
            job.visible = visible
        }
    }

    /// Adds a user event to the job's history (`JOB_USER_EVENT`, with the caller's detail and data).
    /// - Throws: `TapisError.conflict` once the job has ended; `.notFound`.
    public func recordUserEvent(_ uuid: JobUUID, detail: String, data: String, now: Date = Job.now()) async throws {
        try await write { db in
            guard let record = try JobRecord.fetchOne(db, key: uuid.rawValue) else { throw TapisError(.notFound, "no job \(uuid)") }
            let job = try record.decoded()
            if job.status.isTerminal { throw TapisError(.conflict, "job \(uuid) ended (\(job.status.rawValue)); it takes no more events") }
            try Self.record(db, EventRecord(job: uuid, event: JobEventCategory.userEvent.rawValue, detail: detail, description: data, data: data, at: now), of: job)
        }
    }

    /// Sets the job's tags and notes (`replace`), or adds tags and merges top-level note keys.
    @discardableResult
    public func annotate(_ uuid: JobUUID, tags: [String]?, notes: [String: JSONValue]?, replace: Bool, now: Date = Job.now()) async throws -> Job {
        try await modify(uuid, now: now) { job in
            if let tags { job.tags = Array(Set(replace ? tags : job.tags + tags)).sorted() }
            if let notes {
                var merged: [String: JSONValue] = [:]
                if !replace, case .object(let existing) = job.notes { merged = existing }
                merged.merge(notes) { _, new in new }
                job.notes = merged.isEmpty && replace ? nil : .object(merged)
            }
        }
    }

    /// Applies `change` to the stored job in one transaction (and to its tags' index); the status must not change.
    private func modify(_ uuid: JobUUID, now: Date, _ change: @escaping @Sendable (inout Job) throws -> Void) async throws -> Job {
        try await write { db in
            guard let record = try JobRecord.fetchOne(db, key: uuid.rawValue) else { throw TapisError(.notFound, "no job \(uuid)") }
            var job = try record.decoded()
            let tags = job.tags
            try change(&job)
            job.lastUpdated = now
            var updated = try JobRecord(job)
            updated.copyControl(from: record)
            try updated.update(db)
            if job.tags != tags { try JobTagIndex.set(job.tags, of: uuid, db) }
            return job
        }
    }

    /// Records, durably, that the job is about to be handed to its scheduler, and tells how many
    /// earlier attempts there were: only after one of those can the scheduler already hold the job
    /// (so only then must it be looked up before submitting).
    public func beginSubmitAttempt(_ uuid: JobUUID) async throws -> Int {
        try await write { db in
            guard let earlier = try Int.fetchOne(db, sql: "SELECT submitAttempts FROM job WHERE uuid = ?", arguments: [uuid.rawValue]) else {
                throw TapisError(.notFound, "no job \(uuid)")
            }
            try db.execute(sql: "UPDATE job SET submitAttempts = submitAttempts + 1 WHERE uuid = ?", arguments: [uuid.rawValue])
            return earlier
        }
    }
}
