/// LIKE patterns of the two search dialects, rewritten to the form `JobSearch` holds: SQL LIKE with
/// `%` (any run), `_` (any one character) and `\` (the next character is literal).
enum LikePattern {
    /// A GET pattern (`name.like=job*`): `*` matches any run, `!` any one character, and every
    /// other character, `%` and `_` included, is literal.
    static func fromTapis(_ pattern: String) -> String {
        var out = ""
        for character in pattern {
            switch character {
            case "*": out.append("%")
            case "!": out.append("_")
            case "%", "_", "\\": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// A POST pattern (`name LIKE 'job%'`): `%` or `*` match any run, `_` or `!` any one character,
    /// and `\` makes the next character literal.
    /// - Throws: `TapisError.badRequest` when the pattern ends with a lone `\`.
    static func fromSQL(_ pattern: String) throws(TapisError) -> String {
        var out = ""
        var characters = pattern[...]
        while let character = characters.popFirst() {
            switch character {
            case "*": out.append("%")
            case "!": out.append("_")
            case "\\":
                guard let escaped = characters.popFirst() else {
                    throw TapisError.invalid("search", "the LIKE pattern \(JobSearchAttribute.quoted(pattern)) ends with a lone \\")
                }
                out += "\\" + String(escaped)
            default: out.append(character)
            }
        }
        return out
    }
}
