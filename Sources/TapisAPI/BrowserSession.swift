/// The web page's session behind a request: its token's id and the CSRF value its forms carry.
public struct BrowserSession: Sendable {
    public let jti: String
    public let csrf: String

    public init(jti: String, csrf: String) {
        self.jti = jti
        self.csrf = csrf
    }
}
