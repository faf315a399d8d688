public import Foundation
public import TapisCore
public import TapisStore
import CoreMetrics
import TapisScheduling
import TapisTransport

/// Turns a submit request into a stored PENDING job. Everything that can be checked without running
/// anything is checked here, so a bad request is refused with a 400 and never leaves a job row.
public struct JobSubmitter: Sendable {
    let store: JobStore
    let catalog: DefinitionCatalog
    let context: EngineContext

    public init(store: JobStore, catalog: DefinitionCatalog, context: EngineContext) {
        self.store = store
        self.catalog = catalog
        self.context = context
    }

    /// Resolves, checks and durably stores the job described by `body`, then returns it.
    /// - Throws: `TapisError.badRequest` naming the field for any bad input.
    public func submit(_ body: Data, by caller: Caller) async throws -> (job: Job, json: Data) {
        let start = ContinuousClock.now
        let accepted = try await accept(body, by: caller)
        Timer(label: "tapisd_submit_duration_seconds").recordSeconds((ContinuousClock.now - start).seconds)
        return accepted
    }

    private func accept(_ body: Data, by caller: Caller) async throws -> (job: Job, json: Data) {
        let request = try TapisJSON.decode(JobSubmitRequest.self, from: body)
        try Validation.identifier(request.appId, field: "appId")
        try Validation.identifier(request.appVersion, field: "appVersion", maxLength: 64)
        let user = try Self.jobUser(for: request, caller: caller)
        guard let app = try await catalog.app(request.appId, version: request.appVersion, usableBy: user) else {
            throw TapisError.invalid("appId", "no app \(request.appId.debugDescription) with version \(request.appVersion.debugDescription)")
        }
        let systems = try await catalog.systems(usableBy: user)
        var resolver = JobResolver(
            request: request, app: app, systems: systems, owner: caller.name, tenant: context.tenant,
            uuid: .random(), now: Job.now())
        resolver.callerIsAdmin = caller.isAdmin
        resolver.hostValues = try await hostValues(resolver.hostEvaluations(), systems: systems, owner: resolver.jobOwner)
        let job = try resolver.resolve()
        let subscriptions = try resolver.subscriptions()
        for subscription in subscriptions { try await context.deliveryPolicy.check(subscription) }
        let execSystem = systems[job.execSystemId]!
        let options = job.parameterSet.schedulerOptions.map(\.arg)
        try context.schedulers.adapter(
            named: execSystem.schedulerName(forJobType: job.jobType, runtime: job.runtime), system: execSystem.id, metrics: context.schedulerMetrics
        ).checkSchedulerOptions(options)
        if job.jobType == .batch, let profile = SchedulerProfile.requested(in: options), try await catalog.schedulerProfile(profile) == nil {
            throw TapisError.invalid("parameterSet.schedulerOptions", "there is no scheduler profile \(profile.debugDescription) (--tapis-profile)")
        }
        _ = try await context.transports.transport(for: execSystem, owner: job.owner)
        _ = try await context.transports.transport(for: systems[job.archiveSystemId]!, owner: job.owner)
        return (job, try await store.insert(job, rawRequest: body, subscriptions: subscriptions))
    }

    /// Who the job is for: the caller, or the user an administrator names in `owner`, who must exist
    /// on this host. The job then gets that user's systems and apps, never the administrator's view.
    static func jobUser(for request: JobSubmitRequest, caller: Caller) throws -> Caller {
        guard caller.isAdmin, let owner = request.owner, owner != caller.name else { return caller }
        try Validation.identifier(owner, field: "owner", maxLength: 64)
        guard let account = UserAccount.named(owner) else { throw TapisError.invalid("owner", "there is no user \(owner.debugDescription) on this host") }
        return Caller(uid: account.uid, name: owner, isAdmin: false)
    }

    /// Reads each HOST_EVAL variable on its system, as the job's user.
    private func hostValues(_ evaluations: [(systemId: String, variable: String)], systems: [String: TapisSystem], owner: String) async throws -> [String: [String: String]] {
        var values: [String: [String: String]] = [:]
        for (systemId, variable) in evaluations {
            guard let system = systems[systemId] else { continue }
            let transport = try await context.transports.transport(for: system, owner: owner)
            let result = try await transport.run(HostEval.command(for: variable), input: nil, timeout: .seconds(60))
            guard result.status == 0 else {
                throw TapisError(.unavailable, "reading $\(variable) on system \(systemId) for HOST_EVAL failed: \(result.errorText)")
            }
            values[systemId, default: [:]][variable] = HostEval.value(inOutput: result.output) ?? ""
        }
        return values
    }
}
