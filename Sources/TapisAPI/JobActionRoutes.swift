import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisStore

/// The rest of `/v3/jobs`: hide and unhide, user events, annotations, and shares.
struct JobActionRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        let jobs = router.group("v3/jobs")
        jobs.post(":uuid/hide", use: hide)
        jobs.post(":uuid/unhide", use: unhide)
        jobs.post(":uuid/sendEvent", use: sendEvent)
        jobs.put(":uuid/annotations", use: putAnnotations)
        jobs.patch(":uuid/annotations", use: patchAnnotations)
        JobShareRoutes(services: services).register(on: jobs)
    }

    @Sendable func hide(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try await setVisible(false, request, context)
    }

    @Sendable func unhide(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try await setVisible(true, request, context)
    }

    private func setVisible(_ visible: Bool, _ request: Request, _ context: TapisRequestContext) async throws -> Response {
        let job = try await JobRoutes(services: services).ownJob(request, context)
        try await services.store.setVisible(job.uuid, visible)
        let word = visible ? "UNHIDDEN" : "HIDDEN"
        return try TapisResponse.success(["uuid": job.uuid.rawValue], message: "JOBS_JOB_\(word) Job \(job.uuid) is \(word.lowercased()).", request: request)
    }

    /// Tapis `ReqUserEvent`: `eventData` (required, ≤16384 characters), `eventDetail` (≤64, default `DEFAULT`).
    struct UserEvent: Decodable {
        var eventData: String
        var eventDetail: String?
    }

    @Sendable func sendEvent(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await JobRoutes(services: services).ownJob(request, context)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let event = try TapisJSON.decode(UserEvent.self, from: Data(body.readableBytesView))
        let detail = event.eventDetail ?? "DEFAULT"
        guard event.eventData.count <= 16_384 else { throw TapisError.invalid("eventData", "longer than 16384 characters") }
        guard !detail.isEmpty, detail.count <= 64 else { throw TapisError.invalid("eventDetail", "must be 1 to 64 characters") }
        try Validation.rejectControlCharacters(detail, field: "eventDetail")
        try await services.store.recordUserEvent(job.uuid, detail: detail, data: event.eventData)
        return try TapisResponse.success(["uuid": job.uuid.rawValue], message: "JOBS_EVENT_SENT The event was added to job \(job.uuid)'s history.", request: request)
    }


    @Sendable func putAnnotations(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try await annotate(request, context, replace: true)
    }

    @Sendable func patchAnnotations(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try await annotate(request, context, replace: false)
    }

    private func annotate(_ request: Request, _ context: TapisRequestContext, replace: Bool) async throws -> Response {
        let job = try await JobRoutes(services: services).ownJob(request, context)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let annotations = try TapisJSON.decode(JobAnnotations.self, from: Data(body.readableBytesView))
        try annotations.validate()
        let updated = try await services.store.annotate(job.uuid, tags: annotations.tags, notes: annotations.notes, replace: replace)
        return try TapisResponse.success(updated, message: "JOBS_ANNOTATED Job \(job.uuid)'s tags and notes were \(replace ? "replaced" : "updated").", request: request)
    }
}
