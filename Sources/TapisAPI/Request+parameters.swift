import Hummingbird
import TapisCore

extension Request {
    /// A non-negative integer query parameter, or `defaultValue` when absent.
    /// - Throws: `TapisError.badRequest` naming the parameter when it is not one.
    func integer(_ name: String, default defaultValue: Int) throws -> Int {
        guard let text = uri.queryParameters[Substring(name)] else { return defaultValue }
        guard let value = Int(String(text)), value >= 0 else {
            throw TapisError.invalid(name, "must be a whole number of 0 or more, not \(String(text).debugDescription)")
        }
        return value
    }

    /// A boolean query parameter (`true`/`false`), or `defaultValue` when absent.
    /// - Throws: `TapisError.badRequest` naming the parameter.
    func flag(_ name: String, default defaultValue: Bool = false) throws -> Bool {
        guard let text = uri.queryParameters[Substring(name)] else { return defaultValue }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw TapisError.invalid(name, "must be true or false")
        }
    }
}
