/// One token of a POST search: a word (attribute name or keyword), a quoted string, a number, a
/// symbol (`(`, `)`, `,`, `=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`) or the end.
struct SearchToken {
    enum Kind: Equatable { case word, string, number, symbol, end }

    var kind: Kind
    /// The text as written (a string with its quotes).
    var source: String
    /// The text meant: a string without quotes and with `''` as `'`; otherwise `source`.
    var value: String
    /// Where the token starts, counting characters from 1.
    var position: Int

    /// Whether this is the keyword `word` (given in upper case), in any case.
    func isKeyword(_ word: String) -> Bool { kind == .word && value.uppercased() == word }

    /// How an error names the token: `'xyz'`, `string 'x y'` or `end of search`.
    var described: String {
        switch kind {
        case .end: return "end of search"
        case .string: return "string " + source
        default: return JobSearchAttribute.quoted(source)
        }
    }
}

/// Splits a POST search into tokens, one at a time, so an error names the first bad token.
struct JobSearchTokenizer {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) { characters = Array(text) }

    /// The next token, `.end` once the text is used up.
    /// - Throws: `TapisError.badRequest` for a character no token starts with, or an unterminated string.
    mutating func next() throws(TapisError) -> SearchToken {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let start = index
        guard index < characters.count else { return SearchToken(kind: .end, source: "", value: "", position: start + 1) }
        let character = characters[index]
        if character == "'" { return try string() }
        if character.isLetter || character == "_" {
            while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" { index += 1 }
            return token(.word, from: start)
        }
        if character.isASCIIDigit || (character == "-" && index + 1 < characters.count && characters[index + 1].isASCIIDigit) {
            index += 1
            while index < characters.count, characters[index].isASCIIDigit { index += 1 }
            if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isASCIIDigit {
                index += 1
                while index < characters.count, characters[index].isASCIIDigit { index += 1 }
            }
            return token(.number, from: start)
        }
        let pair = index + 1 < characters.count ? String([character, characters[index + 1]]) : ""
        if ["<>", "!=", "<=", ">="].contains(pair) {
            index += 2
            return token(.symbol, from: start)
        }
        if "(),=<>".contains(character) {
            index += 1
            return token(.symbol, from: start)
        }
        throw TapisError.invalid("search", "unexpected \(JobSearchAttribute.quoted(String(character))) at character \(start + 1)")
    }

    private func token(_ kind: SearchToken.Kind, from start: Int) -> SearchToken {
        let text = String(characters[start..<index])
        return SearchToken(kind: kind, source: text, value: text, position: start + 1)
    }

    private mutating func string() throws(TapisError) -> SearchToken {
        let start = index
        var value = ""
        index += 1
        while index < characters.count {
            if characters[index] == "'" {
                if index + 1 < characters.count, characters[index + 1] == "'" {
                    value.append("'")
                    index += 2
                    continue
                }
                index += 1
                return SearchToken(kind: .string, source: String(characters[start..<index]), value: value, position: start + 1)
            }
            value.append(characters[index])
            index += 1
        }
        throw TapisError.invalid("search", "the string starting at character \(start + 1) has no closing quote")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
