public import Hummingbird
public import NIOCore
public import TapisEngine
import TapisCore

/// The per-request context: Hummingbird's storage, the connection (for its peer credentials) and
/// the caller once `CallerMiddleware` has identified them.
public struct TapisRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came in on.
    public let channel: any Channel
    /// Who is asking; set by `CallerMiddleware` or `TokenMiddleware` before any route runs.
    public var caller: Caller?
    /// Whether the caller was identified by a token (the TCP listener) rather than by the kernel.
    public var viaToken = false
    /// The web page's session, for its pages.
    public var browserSession: BrowserSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Submit requests may carry large argument lists; anything bigger is refused with 413.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }

    /// The identified caller.
    /// - Throws: `TapisError.unauthorized` if no middleware identified one.
    public func requireCaller() throws -> Caller {
        guard let caller else { throw TapisError(.unauthorized, "the caller could not be identified") }
        return caller
    }
}
