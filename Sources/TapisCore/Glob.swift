/// Java-style globs (as Tapis uses them for archive filters) translated to regular expressions:
/// `*` and `?` stay within one path segment, `**` crosses segments, `[…]` and `{a,b}` work.
public enum Glob {
    /// The regular expression source that matches exactly what `glob` matches.
    public static func regex(for glob: String) -> String {
        var out = ""
        var characters = Array(glob)[...]
        var braceDepth = 0
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if characters.first == "*" {
                    characters.removeFirst()
                    if characters.first == "/" {
                        characters.removeFirst()
                        out += "(?:.*/)?"
                    } else {
                        out += ".*"
                    }
                } else {
                    out += "[^/]*"
                }
            case "?": out += "[^/]"
            case "[":
                out += "["
                if characters.first == "!" {
                    characters.removeFirst()
                    out += "^"
                }
                while let inner = characters.popFirst(), inner != "]" {
                    out += inner == "\\" ? "\\\\" : String(inner)
                }
                out += "]"
            case "{":
                braceDepth += 1
                out += "(?:"
            case "}" where braceDepth > 0:
                braceDepth -= 1
                out += ")"
            case "," where braceDepth > 0: out += "|"
            case "\\":
                if let escaped = characters.popFirst() { out += escapeLiteral(escaped) }
            default: out += escapeLiteral(character)
            }
        }
        return out
    }

    private static func escapeLiteral(_ character: Character) -> String {
        "\\^$.|+()[]{}*?/".contains(character) ? "\\" + String(character) : String(character)
    }
}
