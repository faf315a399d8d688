import Testing
import TapisCore

/// The GET form of job search: `attr.op=value` query parameters.
@Suite struct JobSearchQueryTests {
    static let statusNames = JobStatus.allCases.map(\.rawValue).joined(separator: ", ")
    static let attributeNames = JobSearchAttribute.allCases.map(\.rawValue).joined(separator: ", ")

    @Test func eachParameterIsAConditionAndAllMustHold() throws {
        let search = try JobSearch.fromQuery([
            ("status.eq", "FINISHED"), ("created.between", "2021-07-01,2021-07-21"), ("name.like", "job*"), ("nodeCount.GT", "1"),
        ])
        #expect(
            search
                == .and([
                    .condition(attribute: .status, op: .eq, values: ["FINISHED"]),
                    .condition(attribute: .created, op: .between, values: ["2021-07-01", "2021-07-21"]),
                    .condition(attribute: .name, op: .like, values: ["job%"]),
                    .condition(attribute: .nodeCount, op: .gt, values: ["1"]),
                ]))
    }

    @Test func oneParameterIsOneConditionAndReservedOnesAreNone() throws {
        let reserved = ["pretty", "select", "search", "orderBy", "limit", "skip", "startAfter", "computeTotal", "listType"].map { ($0, "x") }
        #expect(try JobSearch.fromQuery(reserved) == nil)
        #expect(try JobSearch.fromQuery([("limit", "5"), ("tags.in", "a,b")]) == .condition(attribute: .tags, op: .in, values: ["a", "b"]))
    }

    @Test func aBareAttributeMeansEqualsAndNamesAndOperatorsIgnoreCase() throws {
        #expect(try JobSearch.fromQuery([("status", "running")]) == .condition(attribute: .status, op: .eq, values: ["RUNNING"]))
        #expect(try JobSearch.fromQuery([("APPID.NIN", "a,b")]) == .condition(attribute: .appId, op: .nin, values: ["a", "b"]))
        #expect(try JobSearch.fromQuery([("visible.eq", "FALSE")]) == .condition(attribute: .visible, op: .eq, values: ["false"]))
    }

    @Test func likeWildcardsAreStarAndBangAndEverythingElseIsLiteral() throws {
        #expect(try JobSearch.fromQuery([("name.nlike", #"a_b!*%\"#)]) == .condition(attribute: .name, op: .nlike, values: [#"a\_b_%\%\\"#]))
    }

    @Test func onlyListOperatorsSplitOnCommas() throws {
        #expect(try JobSearch.fromQuery([("name.eq", "a,b")]) == .condition(attribute: .name, op: .eq, values: ["a,b"]))
        #expect(try JobSearch.fromQuery([("name.in", "a,,b")]) == .condition(attribute: .name, op: .in, values: ["a", "", "b"]))
    }

    @Test(arguments: ["2021-07-01", "2021-07-01T10:00:00Z", "2021-07-01T10:00:00.123Z", "2021-07-01T12:00:00+02:00"])
    func datesAreISO8601WithOrWithoutTime(_ date: String) throws {
        #expect(try JobSearch.fromQuery([("ended.lt", date)]) == .condition(attribute: .ended, op: .lt, values: [date]))
    }

    @Test(arguments: [
        ("foo.eq", "1", "search: 'foo' names no job attribute; searchable: \(attributeNames)"),
        ("foo", "1", "search: 'foo' names no job attribute; searchable: \(attributeNames)"),
        (
            "name.equals", "x",
            "search: 'name.equals' ends in 'equals', which is no operator; use one of eq, neq, gt, gte, lt, lte, in, nin, like, nlike, between, nbetween"
        ),
        ("nodeCount.gt", "abc", "search: nodeCount value 'abc' is not a whole number"),
        ("visible.eq", "yes", "search: visible value 'yes' is not true or false"),
        ("created.gt", "July", "search: created value 'July' is not an ISO 8601 date such as 2021-07-01 or 2021-07-01T10:00:00Z"),
        (
            "remoteStarted.lt", "2021-13-01",
            "search: remoteStarted value '2021-13-01' is not an ISO 8601 date such as 2021-07-01 or 2021-07-01T10:00:00Z"
        ),
        ("status.eq", "DONE", "search: status value 'DONE' is not a status name; use one of \(statusNames)"),
        ("status.in", "RUNNING,DONE", "search: status value 'DONE' is not a status name; use one of \(statusNames)"),
        ("created.between", "2021-07-01", "search: created.between takes exactly 2 value(s), not 1"),
        ("nodeCount.nbetween", "1,2,3", "search: nodeCount.nbetween takes exactly 2 value(s), not 3"),
        ("nodeCount.like", "1*", "search: like does not apply to nodeCount, which is a whole number"),
        ("created.nlike", "2021*", "search: nlike does not apply to created, which is a date"),
        ("tags.gt", "a", "search: gt does not apply to tags, which is a list of text"),
        ("status.gt", "RUNNING", "search: gt does not apply to status, which is a name"),
        ("visible.lt", "true", "search: lt does not apply to visible, which is true or false"),
    ])
    func badParametersAreRefusedNamingWhatIsWrong(_ name: String, _ value: String, _ message: String) throws {
        let error = #expect(throws: TapisError.self) { try JobSearch.fromQuery([(name, value)]) }
        #expect(error?.code == .badRequest)
        #expect(error?.message == message)
    }

    @Test func listsHaveALimit() throws {
        let values = (0...JobSearch.maximumListCount).map(String.init).joined(separator: ",")
        let error = #expect(throws: TapisError.self) { try JobSearch.fromQuery([("nodeCount.in", values)]) }
        #expect(error?.message == "search: nodeCount.in takes 1 to 1000 value(s), not 1001")
    }
}
