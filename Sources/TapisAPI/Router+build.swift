public import Hummingbird

/// The tapisd HTTP API: Tapis v3 paths, envelope and field names.
public func buildRouter(_ services: APIServices) -> Router<TapisRequestContext> {
    let router = Router(context: TapisRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: CallerMiddleware(users: services.users))
    JobRoutes(services: services).register(on: router)
    OutputRoutes(services: services).register(on: router)
    DefinitionRoutes(services: services).register(on: router)
    SchedulerProfileRoutes(services: services).register(on: router)
    MetricsRoutes(services: services).register(on: router)
    return router
}
