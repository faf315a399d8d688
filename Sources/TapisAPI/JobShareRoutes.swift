import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine
import TapisStore

/// `/v3/jobs/{uuid}/share` (Tapis `shareJob`, `getJobShare`, `unShareJob`): a job's owner (or an
/// administrator) lets a user, or every member of a group (`@group`), read parts of it.
struct JobShareRoutes: Sendable {
    let services: APIServices

    func register(on jobs: RouterGroup<TapisRequestContext>) {
        jobs.post(":uuid/share", use: share)
        jobs.get(":uuid/share", use: list)
        jobs.delete(":uuid/share/:user", use: unshare)
    }

    struct Message: Encodable, Sendable { var message: String }

    @Sendable func share(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let job = try await JobRoutes(services: services).ownJob(request, context)
        let body = try await request.body.collect(upTo: 64 * 1024)
        let share = try TapisJSON.decode(JobShareRequest.self, from: Data(body.readableBytesView))
        try Grantee.check(share.grantee, field: "grantee")
        try share.validate()
        if share.grantee == job.owner { throw TapisError.invalid("grantee", "\(job.owner) owns job \(job.uuid); a share is for someone else") }
        try await services.store.share(job.uuid, with: share.grantee, resources: share.jobResource, grantor: caller.name)
        Audit.record(
            context.logger, "job shared", kind: "share", user: caller.name,
            ["job.id": "\(job.uuid)", "grantee": "\(share.grantee)", "resources": "\(share.jobResource.map(\.rawValue).joined(separator: ","))"])
        let text = "JOBS_JOB_SHARED The job \(job.uuid) resource is shared by \(caller.name) to \(share.grantee) in tenant \(services.tenancy.tenant)"
        return try TapisResponse.success(Message(message: text), message: text, request: request)
    }

    @Sendable func list(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await JobRoutes(services: services).ownJob(request, context)
        let shares = try await services.store.shares(of: job.uuid, tenant: services.tenancy.tenant)
        let metadata = ListMetadata(recordCount: shares.count, recordLimit: shares.count, recordsSkipped: 0, orderBy: nil, startAfter: nil, totalCount: shares.count)
        let message = shares.isEmpty ? "JOBS_JOB_NO_SHARES_FOUND Job \(job.uuid) is not shared." : "JOBS_JOB_SHARES \(shares.count) share(s) of job \(job.uuid)."
        return try TapisResponse.success(shares, message: message, metadata: metadata, request: request)
    }

    @Sendable func unshare(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let job = try await JobRoutes(services: services).ownJob(request, context)
        let grantee = try context.parameters.require("user")
        let removed = try await services.store.unshare(job.uuid, with: grantee)
        Audit.record(context.logger, "job unshared", kind: "share", user: caller.name, ["job.id": "\(job.uuid)", "grantee": "\(grantee)"])
        let text = "JOBS_JOB_UNSHARED The job \(job.uuid) is no longer shared by \(caller.name) with \(grantee) (\(removed.count) resource(s))"
        return try TapisResponse.success(Message(message: text), message: text, request: request)
    }
}
