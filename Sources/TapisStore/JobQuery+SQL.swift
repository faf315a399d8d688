import GRDB
import TapisCore

extension JobQuery {
    /// The rows the query selects, as a WHERE condition; with `paging`, also those after `startAfter`.
    func condition(paging: Bool) throws(TapisError) -> SQL {
        var terms: [SQL] = []
        if let sharedWith {
            // A listing shows the job itself: shares of its history only.
            let shared: SQL = "job.uuid IN (SELECT jobUuid FROM jobShare WHERE grantee IN \(sharedWith) AND resource = \(JobShareResource.history.rawValue))"
            terms.append(owner.map { "(job.owner = \($0) OR \(shared))" } ?? shared)
        } else if let owner {
            terms.append("job.owner = \(owner)")
        }
        if let status { terms.append("job.status = \(status.rawValue)") }
        if !includeHidden { terms.append("job.visible = 1") }
        if let search { terms.append(try search.sql()) }
        if paging, let startAfter, let first = order?.first {
            let bound = try first.attribute.argument(startAfter, .eq)
            let expression = first.attribute.sql
            var after: SQL = first.ascending ? "\(expression) > \(bound)" : "\(expression) < \(bound)"
            if let startAfterSecond, let second = order?.dropFirst().first {
                // Written as a range of the first attribute (which its index serves) and a test of the ties.
                let tie = try second.attribute.argument(startAfterSecond, .eq)
                let beyond: SQL = second.ascending ? "\(second.attribute.sql) > \(tie)" : "\(second.attribute.sql) < \(tie)"
                let range: SQL = first.ascending ? "\(expression) >= \(bound)" : "\(expression) <= \(bound)"
                after = "(\(range) AND (\(after) OR \(beyond)))"
            }
            terms.append(!first.ascending && first.attribute.isNullable ? "(\(after) OR \(expression) IS NULL)" : after)
        }
        return terms.isEmpty ? "1" : terms.joined(separator: " AND ")
    }

    /// The ORDER BY terms: the query's, then `lastUpdated` and the row's storage order, both in the
    /// direction of the first term, so that ties are stable and each listing index (the ordered
    /// column, then `lastUpdated`, then implicitly the rowid) yields a page without sorting.
    var ordering: SQL {
        let terms = order ?? [Order(.lastUpdated, ascending: false)]
        let direction: SQL = terms.first?.ascending ?? false ? "ASC" : "DESC"
        var sql = terms.map { term -> SQL in "\(term.attribute.sql) \(sql: term.ascending ? "ASC" : "DESC")" }
        if !terms.contains(where: { $0.attribute == .lastUpdated }) { sql.append("job.lastUpdated \(direction)") }
        sql.append("job.rowid \(direction)")
        return sql.joined(separator: ", ")
    }
}
