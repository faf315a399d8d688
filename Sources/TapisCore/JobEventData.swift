import Foundation

/// The `data` of a job's events as Tapis Jobs writes them (a JSON object, sent as a string, with
/// `jobName`, `jobUuid`, `jobOwner` and `message`, nulls included), for the event log, the
/// notifications made from it and the event stream.
public enum JobEventData {
    /// A status change; terminal statuses carry the job's outcome too.
    public static func newStatus(_ job: Job, previous: JobStatus?) -> String {
        var message = "The job has transitioned to a new status: \(job.status.rawValue)."
        if let previous { message += " The previous job status was \(previous.rawValue)." }
        var fields: [String: JSONValue] = [
            "newJobStatus": .string(job.status.rawValue),
            "oldJobStatus": previous.map { .string($0.rawValue) } ?? .null,
        ]
        if job.status.isTerminal { fields.merge(outcome(job)) { $1 } }
        return text(job, message: message, fields)
    }

    /// Subscriptions added at submit (`ADDED`), or through the API (`added`, `removed`).
    public static func subscriptions(_ job: Job, detail: String, count: Int) -> String {
        let change =
            switch detail {
            case "ADDED": "  \(count) subscription(s) created with job submission."
            case "added": " A subscription was added."
            default: " One or more subscriptions were removed."
            }
        return text(
            job, message: "A change to the job's subscriptions has occurred." + change,
            ["action": .string(detail == "removed" ? "removed" : "added"), "numSubscriptions": .number(Double(count))])
    }

    /// A share or unshare of one resource (`JOB_SHARE_EVENT.SHARE_<RES>_READ`), as Tapis words it.
    public static func share(_ job: Job, resource: JobShareResource, grantor: String?, grantee: String, shared: Bool) -> String {
        text(
            job,
            message: "A request to \(shared ? "share" : "unshare") a job has been submitted Grantor \(grantor ?? "null") \(shared ? "shared" : "unshared") job resource \(resource.rawValue) with grantee \(grantee).",
            ["resourceType": .string(resource.rawValue), "shareType": .string("READ"), "grantor": grantor.map(JSONValue.string) ?? .null, "grantee": .string(grantee)])
    }

    /// The final message of a FAILED job (`JOB_ERROR_MESSAGE.FINAL_MESSAGE`).
    public static func finalMessage(_ job: Job) -> String {
        var fields = outcome(job)
        fields["jobStatus"] = .string(job.status.rawValue)
        return text(job, message: job.lastMessage ?? "Final job message.", fields)
    }

    /// What a terminal event tells of the job's run.
    private static func outcome(_ job: Job) -> [String: JSONValue] {
        func date(_ value: Date?) -> JSONValue { value.map { .string(Job.timestamp($0)) } ?? .null }
        func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        return [
            "blockedCount": .number(Double(job.blockedCount)),
            "condition": string(job.condition?.rawValue),
            "remoteJobId": string(job.remoteJobId), "remoteJobId2": .null,
            "remoteOutcome": string(job.remoteOutcome?.rawValue), "remoteResultInfo": string(job.remoteResultInfo),
            "remoteQueue": string(job.remoteQueue),
            "remoteSubmitted": date(job.remoteSubmitted), "remoteStarted": date(job.remoteStarted), "remoteEnded": date(job.remoteEnded),
        ]
    }

    private static func text(_ job: Job, message: String, _ fields: [String: JSONValue]) -> String {
        var all = fields
        all["jobName"] = .string(job.name)
        all["jobUuid"] = .string(job.uuid.rawValue)
        all["jobOwner"] = .string(job.owner)
        all["message"] = .string(message)
        return String(decoding: (try? TapisJSON.encoder().encode(JSONValue.object(all))) ?? Data("{}".utf8), as: UTF8.self)
    }
}
