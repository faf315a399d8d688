/// Splits a Tapis argument string into words the way a shell would, honouring single and double
/// quotes and backslashes, but performing no expansion of any kind. The words are then quoted one by
/// one with `Shell.quote`, so `"-n 5"` stays two words while `$(id)` stays literal text.
public enum ShellWords {
    /// - Throws: `TapisError.badRequest` naming `field` for an unterminated quote.
    public static func split(_ text: String, field: String) throws(TapisError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
                inWord = true
                continue
            }
            switch (quote, character) {
            case (nil, "\\"), ("\"", "\\"):
                escaped = true
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case (nil, _) where character.isWhitespace:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if quote != nil || escaped {
            throw .invalid(field, "unterminated quote or trailing backslash in \(text.debugDescription)")
        }
        if inWord { words.append(current) }
        return words
    }
}
