public import Foundation
public import TapisCore
public import TapisStore
import TapisScheduling

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
    public func submit(_ body: Data, by caller: Caller) async throws -> Job {
        let request = try TapisJSON.decode(JobSubmitRequest.self, from: body)
        try Validation.identifier(request.appId, field: "appId")
        try Validation.identifier(request.appVersion, field: "appVersion", maxLength: 64)
        guard let app = try await catalog.app(request.appId, version: request.appVersion) else {
            throw TapisError.invalid("appId", "no app \(request.appId.debugDescription) with version \(request.appVersion.debugDescription)")
        }
        let systems = try await catalog.systems()
        let job = try JobResolver(
            request: request, app: app, systems: systems, owner: caller.name, tenant: context.tenant,
            uuid: .random(), now: Job.now()
        ).resolve()
        let execSystem = systems[job.execSystemId]!
        let options = job.parameterSet.schedulerOptions.map(\.arg)
        try context.schedulers.dialect(named: execSystem.schedulerName(forJobType: job.jobType)).checkSchedulerOptions(options)
        if job.jobType == "BATCH", let profile = SchedulerProfile.requested(in: options), try await catalog.schedulerProfile(profile) == nil {
            throw TapisError.invalid("parameterSet.schedulerOptions", "there is no scheduler profile \(profile.debugDescription) (--tapis-profile)")
        }
        _ = try context.transports.transport(for: execSystem, login: execSystem.login(for: job.owner))
        let archiveSystem = systems[job.archiveSystemId]!
        _ = try context.transports.transport(for: archiveSystem, login: archiveSystem.login(for: job.owner))
        try await store.insert(job, rawRequest: body)
        return job
    }
}
