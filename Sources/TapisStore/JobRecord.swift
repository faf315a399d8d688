import Foundation
import GRDB
import TapisCore

/// A row of table `job`: the job's JSON plus the columns the store filters, orders and leases on.
struct JobRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "job"

    var uuid: String
    var owner: String
    var name: String
    var status: String
    var appId: String
    var appVersion: String
    var execSystemId: String
    var created: Int64
    var lastUpdated: Int64
    var ended: Int64?
    var visible: Bool
    var cancelRequested = false
    var leaseOwner: String? = nil
    var leaseExpiry: Double? = nil
    var nextAttemptAt: Double = 0
    var submitAttempts = 0
    var body: String

    init(_ job: Job) throws {
        uuid = job.uuid.rawValue
        owner = job.owner
        name = job.name
        status = job.status.rawValue
        appId = job.appId
        appVersion = job.appVersion
        execSystemId = job.execSystemId
        created = job.created.milliseconds
        lastUpdated = job.lastUpdated.milliseconds
        ended = job.ended?.milliseconds
        visible = job.visible
        body = String(decoding: try TapisJSON.encoder().encode(job), as: UTF8.self)
    }

    /// Keeps the control columns (cancel intent, lease, schedule, submit attempts) of the stored row.
    mutating func copyControl(from stored: JobRecord) {
        cancelRequested = stored.cancelRequested
        leaseOwner = stored.leaseOwner
        leaseExpiry = stored.leaseExpiry
        nextAttemptAt = stored.nextAttemptAt
        submitAttempts = stored.submitAttempts
    }

    func decoded() throws -> Job {
        try DecodedJobs.shared.job(uuid: uuid, body: body) { try TapisJSON.decoder().decode(Job.self, from: Data($0.utf8)) }
    }
}

/// A row of table `jobEvent`: one entry of a job's history, and of the event log that
/// notifications and the event stream are made from.
struct EventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "jobEvent"

    var id: Int64?
    var jobUuid: String
    var event: String
    var eventDetail: String
    var description: String
    var created: Double
    /// The event's Tapis UUID, its place among the job's events (from 1) and its Tapis `data`
    /// (nil in rows stored before notifications existed).
    var uuid: String?
    var seq: Int?
    var data: String?

    /// A status change of `job` (already in its new status).
    init(job: Job, previous: JobStatus?, message: String, at date: Date) {
        let status = job.status
        let transition =
            previous.map { "The job has transitioned to a new status: \(status.rawValue). The previous job status was \($0.rawValue)." }
            ?? "The job was accepted with status \(status.rawValue)."
        self.init(
            job: job.uuid, event: JobEventCategory.newStatus.rawValue, detail: status.rawValue,
            description: message.isEmpty || previous == nil ? transition : transition + " " + message,
            data: JobEventData.newStatus(job, previous: previous), at: date)
    }

    /// Any other event (a user's, a subscription change, a final message).
    init(job: JobUUID, event: String, detail: String, description: String, data: String, at date: Date) {
        jobUuid = job.rawValue
        self.event = event
        eventDetail = detail
        self.description = description
        created = date.timeIntervalSince1970
        uuid = UUID().uuidString.lowercased()
        self.data = data
    }

    var jobEvent: JobEvent {
        JobEvent(event: event, created: Date(timeIntervalSince1970: created), eventDetail: eventDetail, description: description)
    }

    /// The event as Tapis Notifications carries it, for a job of `tenant`.
    func tapisEvent(tenant: String) -> TapisEvent {
        TapisEvent(
            uuid: uuid ?? "event-\(id ?? 0)", job: JobUUID(rawValue: jobUuid), tenant: tenant, category: event, detail: eventDetail,
            data: data ?? description, sequence: seq ?? -1, at: Date(timeIntervalSince1970: created))
    }
}

extension Date {
    /// Whole milliseconds since 1970: how table `job` stores dates.
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// The date a count of milliseconds since 1970 names, as a date column holds it.
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
