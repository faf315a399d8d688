public import Hummingbird

/// How a listener learns who is calling.
public enum CallerIdentification: Sendable {
    /// The Unix socket: the kernel's peer credentials (SO_PEERCRED).
    case peerCredentials
    /// The TCP listener: an `X-Tapis-Token` tapisd minted.
    case token
}

/// The tapisd HTTP API: Tapis v3 paths, envelope and field names.
/// - Parameters:
///   - scheme: how clients reach this listener (`http` or `https`), for the tenant's `base_url`.
///   - corsOrigins: the web origins whose pages may call it from a browser.
public func buildRouter(
    _ services: APIServices, identification: CallerIdentification = .peerCredentials, scheme: String = "http", corsOrigins: [String] = []
) -> Router<TapisRequestContext> {
    let router = Router(context: TapisRequestContext.self)
    // First: a browser's preflight carries no token, and error answers need CORS headers too.
    if !corsOrigins.isEmpty { router.add(middleware: CORSPolicy(origins: Set(corsOrigins))) }
    router.add(middleware: ErrorMiddleware())
    switch identification {
    case .peerCredentials: router.add(middleware: CallerMiddleware(users: services.users))
    case .token: router.add(middleware: TokenMiddleware(tokens: services.tokens, users: services.users))
    }
    router.add(middleware: DeniedRequestAudit())
    JobRoutes(services: services).register(on: router)
    JobListRoutes(services: services).register(on: router)
    JobActionRoutes(services: services).register(on: router)
    SubscriptionRoutes(services: services).register(on: router)
    EventStreamRoutes(services: services).register(on: router)
    WebhookSecretRoutes(services: services).register(on: router)
    CredentialRoutes(services: services).register(on: router)
    DefinitionShareRoutes(services: services).register(on: router)
    OutputRoutes(services: services).register(on: router)
    DefinitionRoutes(services: services).register(on: router)
    SchedulerProfileRoutes(services: services).register(on: router)
    MetricsRoutes(services: services).register(on: router)
    BackupRoutes(services: services).register(on: router)
    PrometheusRoutes(services: services).register(on: router)
    TokenRoutes(services: services).register(on: router)
    TenantRoutes(services: services, scheme: scheme).register(on: router)
    LoginRoutes(services: services).register(on: router)
    ClientRoutes(services: services).register(on: router)
    OpenAPIRoutes().register(on: router)
    return router
}
