extension JobSearch {
    /// The longest POST search text read, in bytes.
    public static let maximumSearchLength = 65536
    /// The deepest nesting of parentheses and NOTs a POST search may have.
    public static let maximumSearchDepth = 32

    /// The search a POST body's `search` strings express, joined with spaces and read as a SQL-like
    /// WHERE clause: `(status = 'FINISHED' AND name LIKE 'job%') OR tags IN ('t')`.
    ///
    /// Grammar (keywords in any case; AND binds tighter than OR):
    /// ```
    /// search    = and { OR and }
    /// and       = factor { AND factor }
    /// factor    = NOT factor | ( search ) | attribute test
    /// test      = (= | <> | != | < | <= | > | >=) value
    ///           | [NOT] IN ( value { , value } ) | [NOT] LIKE 'pattern'
    ///           | [NOT] BETWEEN value AND value | IS [NOT] NULL
    /// value     = 'text' ('' is a quote) | number | TRUE | FALSE
    /// ```
    /// LIKE patterns take `%` or `*` for any run and `_` or `!` for any one character; `\` makes the
    /// next character literal. The text may be at most `JobSearch.maximumSearchLength` bytes, nested
    /// at most `JobSearch.maximumSearchDepth` deep.
    /// - Throws: `TapisError.badRequest` (field `search`) naming the character where reading failed, or
    ///   the attribute, operator or value that is wrong.
    public static func parse(_ search: [String]) throws(TapisError) -> JobSearch {
        let text = search.joined(separator: " ")
        guard text.utf8.count <= JobSearch.maximumSearchLength else {
            throw TapisError.invalid("search", "is longer than \(JobSearch.maximumSearchLength) bytes")
        }
        var parser = try JobSearchParser(text)
        guard parser.current.kind != .end else {
            throw TapisError.invalid("search", "is empty; give a condition such as status = 'FINISHED'")
        }
        let result = try parser.search()
        guard parser.current.kind == .end else { throw parser.unexpected("AND, OR or the end") }
        return result
    }
}

/// The recursive-descent reader behind `JobSearch.parse(_:)`, one token of lookahead.
struct JobSearchParser {
    private static let comparisons: [String: SearchOperator] = ["=": .eq, "<>": .neq, "!=": .neq, "<": .lt, "<=": .lte, ">": .gt, ">=": .gte]
    private static let keywords: Set<String> = ["AND", "OR", "NOT", "IN", "LIKE", "BETWEEN", "IS", "NULL", "TRUE", "FALSE"]

    private var tokenizer: JobSearchTokenizer
    private(set) var current: SearchToken
    private var depth = 0

    init(_ text: String) throws(TapisError) {
        tokenizer = JobSearchTokenizer(text)
        current = try tokenizer.next()
    }

    mutating func search() throws(TapisError) -> JobSearch {
        var terms = [try conjunction()]
        while try take("OR") { terms.append(try conjunction()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func conjunction() throws(TapisError) -> JobSearch {
        var factors = [try factor()]
        while try take("AND") { factors.append(try factor()) }
        return factors.count == 1 ? factors[0] : .and(factors)
    }

    private mutating func factor() throws(TapisError) -> JobSearch {
        if current.isKeyword("NOT") {
            try deeper()
            defer { depth -= 1 }
            return .not(try factor())
        }
        if current.kind == .symbol, current.value == "(" {
            try deeper()
            defer { depth -= 1 }
            let inner = try search()
            guard try takeSymbol(")") else { throw unexpected("')'") }
            return inner
        }
        guard current.kind == .word, !Self.keywords.contains(current.value.uppercased()) else {
            throw unexpected("an attribute name or '('")
        }
        let attribute = try JobSearchAttribute(named: current.value)
        try advance()
        return try test(of: attribute)
    }

    private mutating func test(of attribute: JobSearchAttribute) throws(TapisError) -> JobSearch {
        if current.kind == .symbol, let op = Self.comparisons[current.value] {
            try advance()
            return try JobSearch.checked(attribute, op, [try value()])
        }
        if try take("IS") {
            let negated = try take("NOT")
            guard try take("NULL") else { throw unexpected("NULL") }
            let test = try JobSearch.checkedNull(attribute)
            return negated ? .not(test) : test
        }
        let negated = try take("NOT")
        if try take("IN") {
            guard try takeSymbol("(") else { throw unexpected("'('") }
            var values = [try value()]
            while try takeSymbol(",") { values.append(try value()) }
            guard try takeSymbol(")") else { throw unexpected("',' or ')'") }
            return try JobSearch.checked(attribute, negated ? .nin : .in, values)
        }
        if try take("LIKE") {
            guard current.kind == .string else { throw unexpected("a quoted pattern") }
            let pattern = try LikePattern.fromSQL(current.value)
            try advance()
            return try JobSearch.checked(attribute, negated ? .nlike : .like, [pattern])
        }
        if try take("BETWEEN") {
            let low = try value()
            guard try take("AND") else { throw unexpected("AND") }
            return try JobSearch.checked(attribute, negated ? .nbetween : .between, [low, try value()])
        }
        throw unexpected(negated ? "IN, LIKE or BETWEEN" : "an operator (=, <>, !=, <, <=, >, >=, IN, LIKE, BETWEEN, IS)")
    }

    private mutating func value() throws(TapisError) -> String {
        let token = current
        switch token.kind {
        case .string, .number: break
        case .word where token.isKeyword("TRUE") || token.isKeyword("FALSE"): break
        case .word where token.isKeyword("NULL"): throw unexpected("a value (test for null with IS NULL)")
        default: throw unexpected("a value")
        }
        try advance()
        return token.kind == .word ? token.value.lowercased() : token.value
    }

    private mutating func advance() throws(TapisError) { current = try tokenizer.next() }

    private mutating func take(_ keyword: String) throws(TapisError) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        try advance()
        return true
    }

    private mutating func takeSymbol(_ symbol: String) throws(TapisError) -> Bool {
        guard current.kind == .symbol, current.value == symbol else { return false }
        try advance()
        return true
    }

    /// Enters a NOT or a parenthesis (the current token), refusing to nest too deep.
    private mutating func deeper() throws(TapisError) {
        guard depth < JobSearch.maximumSearchDepth else {
            throw TapisError.invalid("search", "nests deeper than \(JobSearch.maximumSearchDepth) levels at character \(current.position)")
        }
        depth += 1
        try advance()
    }

    /// The error for the current token when `expected` should have come.
    func unexpected(_ expected: String) -> TapisError {
        TapisError.invalid("search", "unexpected \(current.described) at character \(current.position); expected \(expected)")
    }
}
