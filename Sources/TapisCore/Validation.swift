/// Input rules of spec §2.6, each throwing a 400 that names the field.
public enum Validation {
    /// Characters Tapis refuses in ids, queue names, env keys and file names.
    public static let dangerousCharacters: Set<Character> = ["&", ">", "<", "|", ";", "`"]

    /// Refuses C0 and C1 control characters (0x00–0x1F, 0x7F–0x9F).
    public static func rejectControlCharacters(_ value: String, field: String) throws(TapisError) {
        if let bad = value.unicodeScalars.first(where: isControl) {
            throw .invalid(field, "control character U+\(hex(bad.value)) is not allowed")
        }
    }

    /// Refuses control characters and `& > < | ; \``.
    public static func rejectDangerous(_ value: String, field: String) throws(TapisError) {
        try rejectControlCharacters(value, field: field)
        if let bad = value.first(where: dangerousCharacters.contains) {
            throw .invalid(field, "the character '\(bad)' is not allowed")
        }
    }

    /// An identifier: non-empty, at most `maxLength` characters, no control or dangerous characters,
    /// no spaces or slashes.
    public static func identifier(_ value: String, field: String, maxLength: Int = 80) throws(TapisError) {
        if value.isEmpty { throw .invalid(field, "must not be empty") }
        if value.count > maxLength { throw .invalid(field, "longer than \(maxLength) characters") }
        try rejectDangerous(value, field: field)
        if value.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "$" || $0 == "'" || $0 == "\"" }) {
            throw .invalid(field, "must not contain spaces, quotes, '$' or '/'")
        }
    }

    /// A login on a host: POSIX's portable user name (`[A-Za-z0-9._][A-Za-z0-9._-]*`), at most 32
    /// characters, so that it is never shell syntax or an option.
    public static func loginName(_ value: String, field: String) throws(TapisError) {
        guard let first = value.unicodeScalars.first, first != "-", value.unicodeScalars.count <= 32,
            value.unicodeScalars.allSatisfy({ isLetter($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-" })
        else { throw .invalid(field, "\(value.prefix(40).debugDescription) is not a login name (letters, digits, '.', '_' and '-', at most 32, not starting with '-')") }
    }

    /// An environment variable name: `[A-Za-z_][A-Za-z0-9_]*`, not starting with `_tapis`.
    public static func envKey(_ key: String, field: String) throws(TapisError) {
        guard let first = key.unicodeScalars.first, first == "_" || isLetter(first),
            key.unicodeScalars.allSatisfy({ $0 == "_" || isLetter($0) || ("0"..."9").contains($0) })
        else { throw .invalid(field, "\(key.debugDescription) is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)") }
        if key.hasPrefix("_tapis") { throw .invalid(field, "names starting with _tapis are reserved") }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
