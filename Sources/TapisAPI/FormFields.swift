import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (an HTML form's post), in order.
public struct FormFields: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String? { part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = parts.first.flatMap(decode) else { continue }
            pairs.append((name, parts.count > 1 ? decode(parts[1]) ?? "" : ""))
        }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name`, in order (a repeated field).
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
}
