import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine
import TapisStore

/// `/v3/jobs`: submit, get, status, history, cancel, resubmit. A caller sees only their own jobs
/// (administrators see all); someone else's job answers 404, as if it did not exist.
struct JobRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        let jobs = router.group("v3/jobs")
        jobs.post("submit", use: submit)
        jobs.get("healthcheck", use: probe)
        jobs.get("readycheck", use: probe)
        jobs.get(":uuid", use: get)
        jobs.get(":uuid/status", use: status)
        jobs.get(":uuid/history", use: history)
        jobs.post(":uuid/cancel", use: cancel)
        jobs.post(":uuid/resubmit", use: resubmit)
        jobs.get(":uuid/resubmit_request", use: resubmitRequest)
    }

    @Sendable func submit(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let (job, json) = try await services.submitter.submit(Data(body.readableBytesView), by: caller)
        context.logger.info("job submitted", metadata: ["job.id": "\(job.uuid)", "job.owner": "\(job.owner)"])
        return try TapisResponse.success(job, encoded: json, message: "JOBS_CREATED Job \(job.uuid) was created.", request: request)
    }

    /// Tapis's health and readiness probes: the store answers.
    @Sendable func probe(_ request: Request, context: TapisRequestContext) async throws -> Response {
        _ = try await services.store.list(JobQuery(owner: ""))
        return try TapisResponse.success(["databaseAccess": true], message: "The service is healthy and ready.", request: request)
    }

    @Sendable func get(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await readableJob(request, context, .history)
        return try TapisResponse.success(job, message: "JOBS_RETRIEVED Job \(job.uuid).", request: request)
    }

    @Sendable func status(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await readableJob(request, context, .history)
        struct StatusResult: Encodable, Sendable {
            var status: JobStatus
            var condition: JobCondition?
        }
        return try TapisResponse.success(StatusResult(status: job.status, condition: job.condition), message: "JOBS_STATUS Job \(job.uuid) is \(job.status.rawValue).", request: request)
    }

    @Sendable func history(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await readableJob(request, context, .history)
        let limit = try request.integer("limit", default: 100)
        let skip = try request.integer("skip", default: 0)
        let events = try await services.store.history(job.uuid, limit: limit, skip: skip)
        let metadata = ListMetadata(recordCount: events.count, recordLimit: limit, recordsSkipped: skip, orderBy: nil, startAfter: nil, totalCount: -1)
        return try TapisResponse.success(events, message: "JOBS_HISTORY \(events.count) event(s).", metadata: metadata, request: request)
    }

    @Sendable func cancel(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await ownJob(request, context)
        _ = try await services.store.requestCancel(job.uuid)
        context.logger.info("job cancel requested", metadata: ["job.id": "\(job.uuid)"])
        return try TapisResponse.success(
            ["message": "Cancel of job \(job.uuid) accepted."],
            message: "JOBS_JOB_CANCEL_ACCEPTED The cancel request for job \(job.uuid) was accepted; the job ends as CANCELLED shortly.",
            request: request)
    }

    /// Submits the job's stored request again, as the caller: a new job (new UUID) under the app
    /// and system definitions of now.
    @Sendable func resubmit(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await ownJob(request, context)
        guard let body = try await services.store.rawRequest(job.uuid) else {
            throw TapisError(.notFound, "job \(job.uuid) has no stored request to resubmit")
        }
        let (copy, json) = try await services.submitter.submit(body, by: try context.requireCaller())
        context.logger.info("job resubmitted", metadata: ["job.id": "\(copy.uuid)", "job.resubmitOf": "\(job.uuid)"])
        return try TapisResponse.success(copy, encoded: json, message: "JOBS_CREATED Job \(copy.uuid) was created from job \(job.uuid)'s request.", request: request)
    }

    /// The request the job was submitted with, as it was sent.
    @Sendable func resubmitRequest(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await readableJob(request, context, .resubmitRequest)
        guard let body = try await services.store.rawRequest(job.uuid) else {
            throw TapisError(.notFound, "job \(job.uuid) has no stored request")
        }
        let original = try TapisJSON.decode(JSONValue.self, from: body)
        return try TapisResponse.success(original, message: "JOBS_RETRIEVED The submit request of job \(job.uuid).", request: request)
    }

    /// The job named in the path, if the caller may read `resource` of it (their own, or shared).
    func readableJob(_ request: Request, _ context: TapisRequestContext, _ resource: JobShareResource) async throws -> Job {
        try await services.job(try context.parameters.require("uuid"), readableBy: try context.requireCaller(), resource)
    }

    /// The job named in the path, if it is the caller's (or they are an administrator).
    /// - Throws: `TapisError.notFound` both for no such job and for someone else's.
    func ownJob(_ request: Request, _ context: TapisRequestContext) async throws -> Job {
        try await services.job(try context.parameters.require("uuid"), visibleTo: try context.requireCaller())
    }
}
