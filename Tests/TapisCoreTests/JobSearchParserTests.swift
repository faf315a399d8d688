import Testing
import TapisCore

/// The POST form of job search: SQL-like WHERE text.
@Suite struct JobSearchParserTests {
    static func eq(_ attribute: JobSearchAttribute, _ value: String) -> JobSearch {
        .condition(attribute: attribute, op: .eq, values: [value])
    }

    @Test func tapisStringsAreJoinedWithSpaces() throws {
        let search = try JobSearch.parse(["(status = 'FINISHED' AND name = 'x')", " OR (tags IN ('t'))"])
        #expect(search == .or([.and([Self.eq(.status, "FINISHED"), Self.eq(.name, "x")]), .condition(attribute: .tags, op: .in, values: ["t"])]))
        #expect(try JobSearch.parse(["owner = 'a'", "AND", "name = 'b'"]) == .and([Self.eq(.owner, "a"), Self.eq(.name, "b")]))
    }

    @Test func andBindsTighterThanOrAndParenthesesOverrideIt() throws {
        let a = Self.eq(.owner, "a")
        let b = Self.eq(.name, "b")
        let c = Self.eq(.appId, "c")
        #expect(try JobSearch.parse(["owner = 'a' OR name = 'b' AND appId = 'c'"]) == .or([a, .and([b, c])]))
        #expect(try JobSearch.parse(["owner = 'a' AND name = 'b' OR appId = 'c'"]) == .or([.and([a, b]), c]))
        #expect(try JobSearch.parse(["(owner = 'a' OR name = 'b') AND appId = 'c'"]) == .and([.or([a, b]), c]))
        #expect(try JobSearch.parse(["((owner = 'a'))"]) == a)
    }

    @Test func notAppliesToTheNextFactor() throws {
        #expect(try JobSearch.parse(["NOT owner = 'a' AND name = 'b'"]) == .and([.not(Self.eq(.owner, "a")), Self.eq(.name, "b")]))
        #expect(try JobSearch.parse(["not (owner = 'a' or name = 'b')"]) == .not(.or([Self.eq(.owner, "a"), Self.eq(.name, "b")])))
        #expect(try JobSearch.parse(["NOT NOT owner = 'a'"]) == .not(.not(Self.eq(.owner, "a"))))
    }

    @Test(arguments: [
        ("nodeCount = 2", JobSearch.condition(attribute: .nodeCount, op: .eq, values: ["2"])),
        ("nodeCount <> 2", .condition(attribute: .nodeCount, op: .neq, values: ["2"])),
        ("nodeCount != -2", .condition(attribute: .nodeCount, op: .neq, values: ["-2"])),
        ("nodeCount < 2", .condition(attribute: .nodeCount, op: .lt, values: ["2"])),
        ("nodeCount <= 2", .condition(attribute: .nodeCount, op: .lte, values: ["2"])),
        ("nodeCount > 2", .condition(attribute: .nodeCount, op: .gt, values: ["2"])),
        ("nodeCount>=2", .condition(attribute: .nodeCount, op: .gte, values: ["2"])),
        ("status in ('running', 'QUEUED')", .condition(attribute: .status, op: .in, values: ["RUNNING", "QUEUED"])),
        ("status NOT IN ('FAILED')", .condition(attribute: .status, op: .nin, values: ["FAILED"])),
        ("name LIKE 'job*'", .condition(attribute: .name, op: .like, values: ["job%"])),
        (#"name not like 'a\_b!%'"#, .condition(attribute: .name, op: .nlike, values: [#"a\_b_%"#])),
        (
            "created BETWEEN '2021-07-01' AND '2021-07-21T00:00:00Z'",
            .condition(attribute: .created, op: .between, values: ["2021-07-01", "2021-07-21T00:00:00Z"])
        ),
        ("memoryMB NOT BETWEEN 1 AND 2", .condition(attribute: .memoryMB, op: .nbetween, values: ["1", "2"])),
        ("remoteJobId IS NULL", .isNull(.remoteJobId)),
        ("ended is not null", .not(.isNull(.ended))),
        ("visible = TRUE", .condition(attribute: .visible, op: .eq, values: ["true"])),
        ("mpi <> false", .condition(attribute: .mpi, op: .neq, values: ["false"])),
        ("name = 'it''s ''quoted'''", .condition(attribute: .name, op: .eq, values: ["it's 'quoted'"])),
        ("description = ''", .condition(attribute: .description, op: .eq, values: [""])),
        ("name = 'x'' OR 1=1 --'", .condition(attribute: .name, op: .eq, values: ["x' OR 1=1 --"])),
        ("name = 'x''; DROP TABLE job; --'", .condition(attribute: .name, op: .eq, values: ["x'; DROP TABLE job; --"])),
    ])
    func everyTestReadsAsItsCondition(_ text: String, _ expected: JobSearch) throws {
        #expect(try JobSearch.parse([text]) == expected)
    }

    static let operators = "an operator (=, <>, !=, <, <=, >, >=, IN, LIKE, BETWEEN, IS)"

    @Test(arguments: [
        ("", "search: is empty; give a condition such as status = 'FINISHED'"),
        ("name = 'x' OR 1=1 --", "search: unexpected '1' at character 15; expected an attribute name or '('"),
        ("name = 'x'; DROP TABLE job", "search: unexpected ';' at character 11"),
        ("name = 'x' -- comment", "search: unexpected '-' at character 12"),
        ("name = 'x' /* c */", "search: unexpected '/' at character 12"),
        ("name = 'abc", "search: the string starting at character 8 has no closing quote"),
        ("name 'x'", "search: unexpected string 'x' at character 6; expected \(operators)"),
        ("name", "search: unexpected end of search at character 5; expected \(operators)"),
        ("(name = 'x'", "search: unexpected end of search at character 12; expected ')'"),
        ("name = 'x')", "search: unexpected ')' at character 11; expected AND, OR or the end"),
        ("name = 'x' name = 'y'", "search: unexpected 'name' at character 12; expected AND, OR or the end"),
        ("name = NULL", "search: unexpected 'NULL' at character 8; expected a value (test for null with IS NULL)"),
        ("name = owner", "search: unexpected 'owner' at character 8; expected a value"),
        ("name IN 'x'", "search: unexpected string 'x' at character 9; expected '('"),
        ("name IN ('x' 'y')", "search: unexpected string 'y' at character 14; expected ',' or ')'"),
        ("nodeCount IN (1, 2,)", "search: unexpected ')' at character 20; expected a value"),
        ("nodeCount BETWEEN 1 OR 2", "search: unexpected 'OR' at character 21; expected AND"),
        ("name NOT = 'x'", "search: unexpected '=' at character 10; expected IN, LIKE or BETWEEN"),
        ("name LIKE 5", "search: unexpected '5' at character 11; expected a quoted pattern"),
        ("name IS 'x'", "search: unexpected string 'x' at character 9; expected NULL"),
        ("AND = 'x'", "search: unexpected 'AND' at character 1; expected an attribute name or '('"),
        ("name = 'x' AND", "search: unexpected end of search at character 15; expected an attribute name or '('"),
        ("nodeCount = 'many'", "search: nodeCount value 'many' is not a whole number"),
        ("nodeCount = 1.5", "search: nodeCount value '1.5' is not a whole number"),
        ("status = 'DONE'", "search: status value 'DONE' is not a status name; use one of \(JobSearchQueryTests.statusNames)"),
        ("tags IS NULL", "search: tags is a list and cannot be tested for null"),
        ("tags > 'a'", "search: gt does not apply to tags, which is a list of text"),
        (#"name LIKE 'abc\'"#, #"search: the LIKE pattern 'abc\' ends with a lone \"#),
        ("bogus = 1", "search: 'bogus' names no job attribute; searchable: \(JobSearchQueryTests.attributeNames)"),
    ])
    func badSearchesAreRefusedNamingWhereAndWhat(_ text: String, _ message: String) throws {
        let error = #expect(throws: TapisError.self) { try JobSearch.parse([text]) }
        #expect(error?.code == .badRequest)
        #expect(error?.message == message)
    }

    @Test func nestingAndLengthAreCapped() throws {
        let deepest = String(repeating: "(", count: 32) + "name = 'x'" + String(repeating: ")", count: 32)
        #expect(try JobSearch.parse([deepest]) == Self.eq(.name, "x"))
        let tooDeep = String(repeating: "(", count: 33) + "name = 'x'" + String(repeating: ")", count: 33)
        #expect(throws: TapisError.invalid("search", "nests deeper than 32 levels at character 33")) { try JobSearch.parse([tooDeep]) }
        let manyNots = String(repeating: "NOT ", count: 33) + "name = 'x'"
        #expect(throws: TapisError.invalid("search", "nests deeper than 32 levels at character 129")) { try JobSearch.parse([manyNots]) }
        let long = "name = '" + String(repeating: "x", count: JobSearch.maximumSearchLength) + "'"
        #expect(throws: TapisError.invalid("search", "is longer than 65536 bytes")) { try JobSearch.parse([long]) }
        #expect(throws: TapisError.invalid("search", "is empty; give a condition such as status = 'FINISHED'")) { try JobSearch.parse([]) }
    }
}
