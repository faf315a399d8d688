import Foundation

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

    /// The URL a client used, for the tenant's `base_url`: the public URL if the request came by
    /// its host (whatever the letter case), else `scheme` and the request's authority (the Host
    /// header) when that is a plain host name or address with an optional port, else the public URL
    /// (or `scheme://localhost`). Nothing else a client sends is echoed.
    public func baseURL(authority: String?, scheme: String) -> String {
        guard let authority, Self.isPlainAuthority(authority) else { return publicURL ?? "\(scheme)://localhost" }
        if let publicURL, let components = URLComponents(string: publicURL), let host = components.host {
            let publicAuthority = host + (components.port.map { ":\($0)" } ?? "")
            if publicAuthority.lowercased() == authority.lowercased() { return publicURL }
        }
        return "\(scheme)://\(authority)"
    }

    /// A host name, IPv4 or bracketed IPv6 address, with an optional port.
    static func isPlainAuthority(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 261
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789.-:[]".unicodeScalars.contains($0)) }
    }
}
