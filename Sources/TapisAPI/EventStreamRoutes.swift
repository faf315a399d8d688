import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import ServiceLifecycle
public import TapisCore
import TapisEngine
import TapisStore

/// Server-sent events from the event log: `GET /v3/jobs/{uuid}/events` (one job, from its first
/// event; the stream ends after the job's last) and `GET /v3/tapisd/events` (every job of the
/// caller, from now on). Each event's `id` is its place in the log: a client that reconnects with
/// `Last-Event-ID` (or `?since=`) gets every event after it, with no gap and no repeat.
public struct EventStreamRoutes: Sendable {
    let services: APIServices
    /// How long a quiet stream waits before a comment line keeps it (and its proxies) open.
    static let keepAlive: Duration = .seconds(15)
    static let page = 500
    /// The least time between two reads of the log by one stream.
    static let coalesce: Duration = .milliseconds(50)

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/jobs/:uuid/events", use: jobEvents)
        router.get("v3/tapisd/events", use: allEvents)
    }

    public init(services: APIServices) { self.services = services }

    @Sendable func jobEvents(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try jobStream(try await JobRoutes(services: services).readableJob(request, context, .history), request: request)
    }

    /// The stream of one job's events (for a caller who may see it), from `Last-Event-ID` or `since` on.
    public func jobStream(_ job: Job, request: Request) throws -> Response {
        let store = services.store
        return stream(from: try Self.resumePoint(request) ?? 0, job: job.uuid, owner: nil) {
            (try await store.job(job.uuid))?.status.isTerminal ?? true
        }
    }

    @Sendable func allEvents(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var start = try Self.resumePoint(request)
        if start == nil { start = try await services.store.latestEventId() }
        return stream(from: start ?? 0, job: nil, owner: caller.name) { false }
    }

    /// Where a stream resumes: after the `Last-Event-ID` header's event, or the `since` parameter's.
    static func resumePoint(_ request: Request) throws -> Int64? {
        let text = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["since"].map(String.init)
        guard let text, !text.isEmpty else { return nil }
        guard let id = Int64(text), id >= 0 else { throw TapisError.invalid("Last-Event-ID", "\(text.prefix(40).debugDescription) is not an event id (a whole number)") }
        return id
    }

    /// The stream: events after `start`, then each new one as it is committed; `ended` tells,
    /// once everything so far was sent, whether no more can come.
    private func stream(from start: Int64, job: JobUUID?, owner: String?, ended: @escaping @Sendable () async throws -> Bool) -> Response {
        let store = services.store
        let tenant = services.tenancy.tenant
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                var last = start
                var lastWrite = ContinuousClock.now
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    let generation = store.newEvents.generation
                    // Whether it had ended before the read: then the read holds its last event.
                    let hadEnded = try await ended()
                    let page = try await store.events(after: last, job: job, owner: owner, tenant: tenant, limit: Self.page)
                    last = page.readThrough
                    if !page.events.isEmpty {
                        var frames = ""
                        for logged in page.events { frames += try Self.frame(logged) }
                        try await writer.write(ByteBuffer(string: frames))
                        lastWrite = .now
                        if page.events.count == Self.page { continue }
                    }
                    if hadEnded { break }
                    if ContinuousClock.now - lastWrite >= Self.keepAlive {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        lastWrite = .now
                    }
                    // Every commit with events rings; a stream reads at most every `coalesce`,
                    // however busy the store is. A daemon stopping ends every stream (clients resume).
                    try await Task.sleep(for: Self.coalesce)
                    await withGracefulShutdownHandler {
                        await store.newEvents.wait(after: generation, upTo: Self.keepAlive)
                    } onGracefulShutdown: {
                        store.newEvents.ring()
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// One event as SSE: its log id and the Tapis event JSON on one line (which holds its type; an
    /// SSE event name would hide it from a browser's `onmessage`).
    static func frame(_ logged: LoggedEvent) throws -> String {
        let json = String(decoding: try TapisJSON.encoder().encode(logged.event), as: UTF8.self)
        return "id: \(logged.id)\ndata: \(json)\n\n"
    }
}
