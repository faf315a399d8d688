import GRDB
import TapisCore

extension JobQuery {
    /// The rows the query selects, as a WHERE condition; with `paging`, also those after `startAfter`.
    func condition(paging: Bool) throws(TapisError) -> SQL {
        var terms: [SQL] = []
        if let owner { terms.append("job.owner = \(owner)") }
        if let status { terms.append("job.status = \(status.rawValue)") }
        if !includeHidden { terms.append("job.visible = 1") }
        if let search { terms.append(try search.sql()) }
        if paging, let startAfter, let first = order?.first {
            let bound = try first.attribute.argument(startAfter, .eq)
            let expression = first.attribute.sql
            terms.append(first.ascending ? "\(expression) > \(bound)" : "(\(expression) < \(bound) OR \(expression) IS NULL)")
        }
        return terms.isEmpty ? "1" : terms.joined(separator: " AND ")
    }

    /// The ORDER BY terms, ending with the UUID so pages are stable.
    var ordering: SQL {
        let terms = (order ?? [Order(.lastUpdated, ascending: false)]).map { term -> SQL in
            "\(term.attribute.sql) \(sql: term.ascending ? "ASC" : "DESC")"
        }
        return (terms + ["job.uuid ASC"]).joined(separator: ", ")
    }
}
