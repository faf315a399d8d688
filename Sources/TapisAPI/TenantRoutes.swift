import Foundation
import Hummingbird
import TapisCore

/// `/v3/sites` and `/v3/tenants`: the one site and tenant this tapisd is, in the shapes tapipy reads
/// before it logs in, served without a token. The tenant's `base_url` is the address the request
/// came to (tapipy picks its tenant by string-equal `base_url`, so every name, address and port a
/// user may type must find it), or the configured public URL when the request came by that host.
struct TenantRoutes: Sendable {
    let services: APIServices
    /// `http` or `https`: how this listener is reached.
    let scheme: String

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/sites", use: sites)
        router.get("v3/tenants", use: tenants)
        router.get("v3/tenants/:tenant_id", use: tenant)
    }

    struct Site: Encodable, Sendable {
        var site_id: String
        var primary = true
        var base_url: String
        var tenant_base_url_template: String
        var site_admin_tenant_id: String
        var services = ["jobs", "apps", "systems", "tenants", "sites", "authenticator", "tokens"]
    }

    struct Tenant: Encodable, Sendable {
        var tenant_id: String
        var site_id: String
        var base_url: String
        var public_key: String
        var token_service: String
        var authenticator: String
        var security_kernel: String
        var owner = "root"
        var status = "active"
        var description: String
    }

    @Sendable func sites(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let base = baseURL(request)
        let site = Site(site_id: services.tenancy.site, base_url: base, tenant_base_url_template: base, site_admin_tenant_id: services.tenancy.tenant)
        return try TapisResponse.success([site], message: "Sites retrieved successfully.", request: request)
    }

    @Sendable func tenants(_ request: Request, context: TapisRequestContext) async throws -> Response {
        try TapisResponse.success([try await tenant(request)], message: "Tenants retrieved successfully.", request: request)
    }

    @Sendable func tenant(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let id = try context.parameters.require("tenant_id")
        guard id == services.tenancy.tenant else { throw TapisError(.notFound, "no tenant \(id.debugDescription); this tapisd serves tenant \(services.tenancy.tenant)") }
        return try TapisResponse.success(try await tenant(request), message: "Tenant retrieved successfully.", request: request)
    }

    private func tenant(_ request: Request) async throws -> Tenant {
        let base = baseURL(request)
        return Tenant(
            tenant_id: services.tenancy.tenant, site_id: services.tenancy.site, base_url: base, public_key: try await services.tokens.publicKeyPEM(),
            token_service: base + "/v3/tokens", authenticator: base + "/v3/oauth2", security_kernel: base + "/v3/security",
            description: "tapisd, tenant \(services.tenancy.tenant)")
    }

    /// The URL the client used (`TenantSettings.baseURL`).
    private func baseURL(_ request: Request) -> String {
        services.tenancy.baseURL(authority: request.head.authority, scheme: scheme)
    }
}
