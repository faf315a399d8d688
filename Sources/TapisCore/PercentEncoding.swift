public import Foundation

extension CharacterSet {
    /// RFC 3986's unreserved characters, ASCII only (`alphanumerics` would keep `é` unencoded).
    public static let urlUnreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension String {
    /// The text percent-encoded but for RFC 3986's unreserved characters and `also`.
    public func percentEncoded(keeping also: String = "") -> String {
        addingPercentEncoding(withAllowedCharacters: .urlUnreserved.union(CharacterSet(charactersIn: also))) ?? ""
    }
}
