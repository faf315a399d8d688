import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine
import TapisStore
import TapisTransport

/// `/v3/jobs/subscribe/{uuid}`: Tapis's job subscriptions. The job's owner (or an administrator)
/// subscribes and lists; a subscription's own owner may delete it too. Someone else's job answers
/// 404, as everywhere.
struct SubscriptionRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        let subscribe = router.group("v3/jobs/subscribe")
        subscribe.post(":uuid", use: create)
        subscribe.get(":uuid", use: list)
        subscribe.delete(":uuid", use: delete)
    }

    @Sendable func create(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await JobRoutes(services: services).ownJob(request, context)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let subscription = try TapisJSON.decode(JobSubscriptionRequest.self, from: Data(body.readableBytesView))
        try await services.deliveryPolicy.check(subscription)
        let stored = try await services.store.subscribe(job.uuid, owner: try context.requireCaller().name, subscription)
        context.logger.info("job subscription added", metadata: ["job.id": "\(job.uuid)", "subscription": "\(stored.uuid)"])
        struct Created: Encodable, Sendable {
            var url: String
            var uuid: String
            var name: String
        }
        return try TapisResponse.success(
            Created(url: "/v3/jobs/subscribe/\(stored.uuid)", uuid: stored.uuid, name: stored.name),
            message: "NOTIFICATIONS_SUBSCRIPTION_CREATED Subscription created for subject \(job.uuid) with type filter \(stored.typeFilter).",
            request: request)
    }

    @Sendable func list(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await JobRoutes(services: services).ownJob(request, context)
        let limit = try request.integer("limit", default: 100)
        let skip = try request.integer("skip", default: 0)
        guard (1...1000).contains(limit), skip >= 0 else { throw TapisError.invalid("limit", "must be 1 to 1000, and skip 0 or more") }
        let subscriptions = try await services.store.subscriptions(of: job.uuid, limit: limit, skip: skip)
        let metadata = ListMetadata(recordCount: subscriptions.count, recordLimit: limit, recordsSkipped: skip, orderBy: nil, startAfter: nil, totalCount: -1)
        return try TapisResponse.success(subscriptions, message: "JOBS_SUBSCRIPTIONS \(subscriptions.count) subscription(s) of job \(job.uuid).", metadata: metadata, request: request)
    }

    /// A job's UUID (ending in `-007`) deletes all its subscriptions; any other, that one subscription.
    @Sendable func delete(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let uuid = try context.parameters.require("uuid")
        let changes: Int
        if uuid.hasSuffix("-007") {
            let job = try await JobRoutes(services: services).ownJob(request, context)
            changes = try await services.store.deleteSubscriptions(of: job.uuid)
        } else {
            let caller = try context.requireCaller()
            guard let (job, owner) = try await services.store.subscriptionOwner(uuid) else {
                throw TapisError(.notFound, "no subscription \(uuid) that you can see")
            }
            var allowed = owner == caller.name || caller.isAdmin
            if !allowed, let stored = try await services.store.job(job) { allowed = caller.mayAccess(jobOwnedBy: stored.owner) }
            guard allowed else { throw TapisError(.notFound, "no subscription \(uuid) that you can see") }
            changes = try await services.store.deleteSubscriptions(of: job, only: uuid)
        }
        return try TapisResponse.success(["changes": changes], message: "TAPIS_DELETED subscriptions deleted: \(uuid)", request: request)
    }
}
