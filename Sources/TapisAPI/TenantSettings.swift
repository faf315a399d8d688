/// What this tapisd is called as a Tapis site and tenant, and where clients reach it.
public struct TenantSettings: Sendable, Equatable {
    /// The tenant every user and job belongs to (`tapis/tenant_id`).
    public var tenant: String
    /// The site it is the only tenant of.
    public var site: String
    /// The URL users are told to use (`https://gateway.example.org`), when tapisd sits behind a
    /// name or proxy of its own; nil: whatever address a request came to.
    public var publicURL: String?

    public init(tenant: String, site: String = "tapisd", publicURL: String? = nil) {
        self.tenant = tenant
        self.site = site
        self.publicURL = publicURL
    }
}
