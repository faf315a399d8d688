import Foundation
import TapisAPI
import TapisCore
import TapisEngine
import TapisStore

/// The dashboard's filters, from its query parameters: a status group, app, system, a created
/// range (last 24 h, 7 d, 30 d or custom dates), text (name, UUID or tag), hidden jobs, everyone's
/// (administrators), a sort column and a cursor (the created time and UUID of the last row shown).
struct DashboardFilter: Sendable {
    /// The tiles' groups of statuses.
    enum Group: String, CaseIterable, Sendable {
        case running, waiting, blocked, finished, failed, cancelled

        var statuses: [JobStatus] {
            switch self {
            case .running: [.running]
            case .waiting: [.pending, .processingInputs, .stagingInputs, .stagingJob, .submittingJob, .queued, .archiving]
            case .blocked: [.blocked, .paused]
            case .finished: [.finished]
            case .failed: [.failed]
            case .cancelled: [.cancelled]
            }
        }

        var label: String {
            switch self {
            case .running: "Running"
            case .waiting: "Queued or staging"
            case .blocked: "Blocked"
            case .finished: "Finished"
            case .failed: "Failed"
            case .cancelled: "Cancelled"
            }
        }
    }

    /// Columns the table sorts by, with the job attribute each is.
    static let sortable: [(column: String, attribute: JobSearchAttribute)] = [
        ("name", .name), ("app", .appId), ("system", .execSystemId), ("status", .status), ("created", .created), ("ended", .ended),
    ]
    static let pageSize = 50

    var group: Group?
    var app = ""
    var system = ""
    var range = ""
    var from = ""
    var to = ""
    var text = ""
    var hidden = false
    var everyone = false
    /// The jobs others shared with the viewer (or their groups) instead of their own.
    var shared = false
    var sort = "created"
    var ascending = false
    var after: String?
    var afterId: String?

    init(_ parameters: [String: String]) {
        group = parameters["status"].flatMap(Group.init)
        app = parameters["app"] ?? ""
        system = parameters["system"] ?? ""
        range = parameters["range"] ?? ""
        from = parameters["from"] ?? ""
        to = parameters["to"] ?? ""
        text = (parameters["q"] ?? "").trimmingCharacters(in: .whitespaces)
        hidden = parameters["hidden"] == "1"
        everyone = parameters["all"] == "1"
        shared = parameters["shared"] == "1"
        if let sort = parameters["sort"], Self.sortable.contains(where: { $0.column == sort }) { self.sort = sort }
        ascending = parameters["dir"] == "asc"
        after = parameters["after"].flatMap { $0.isEmpty ? nil : $0 }
        afterId = parameters["afterId"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var sortAttribute: JobSearchAttribute { Self.sortable.first { $0.column == sort }!.attribute }

    /// The conditions besides the status group.
    func search(now: Date) throws -> [JobSearch] {
        var conditions: [JobSearch] = []
        if !app.isEmpty { conditions.append(try .checked(.appId, .eq, [app])) }
        if !system.isEmpty { conditions.append(try .checked(.execSystemId, .eq, [system])) }
        let days = ["24h": 1.0, "7d": 7, "30d": 30][range]
        if let days { conditions.append(try .checked(.created, .gte, [Job.timestamp(now - days * 86_400)])) }
        // Dates given count with any range (a preset range and dates narrow each other).
        if !from.isEmpty { conditions.append(try .checked(.created, .gte, [try Self.day(from, field: "from")])) }
        if !to.isEmpty { conditions.append(try .checked(.created, .lt, [try Self.day(to, field: "to", next: true)])) }
        if !text.isEmpty {
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            conditions.append(.or([try .checked(.name, .like, [pattern]), try .checked(.uuid, .like, [pattern]), try .checked(.tags, .like, [pattern])]))
        }
        return conditions
    }

    /// The jobs in view before any filter: the viewer's own, the ones shared with them, or
    /// (an administrator's choice) everyone's.
    func scope(_ caller: Caller) -> JobQuery {
        if shared {
            var query = JobQuery(owner: nil)
            query.sharedWith = caller.grantees
            return query
        }
        return JobQuery(owner: everyone && caller.isAdmin ? nil : caller.name)
    }

    /// The store's query for the table.
    func query(scope: JobQuery, group: Group?, now: Date) throws -> JobQuery {
        var query = scope
        var conditions = try search(now: now)
        if let group { conditions.append(try .checked(.status, .in, group.statuses.map(\.rawValue))) }
        query.search = conditions.isEmpty ? nil : conditions.count == 1 ? conditions[0] : .and(conditions)
        query.includeHidden = hidden
        query.order = [.init(sortAttribute, ascending: ascending)]
        if sort == "created" {
            // Ties (jobs created in the same millisecond) go by UUID, so the cursor is exact.
            query.order?.append(.init(.uuid, ascending: ascending))
            query.startAfter = after
            query.startAfterSecond = after == nil ? nil : afterId
        }
        query.limit = Self.pageSize
        return query
    }

    /// The first moment of a `YYYY-MM-DD` day (of the day after, with `next`), as a timestamp.
    /// - Throws: `TapisError.badRequest` naming the field.
    static func day(_ text: String, field: String, next: Bool = false) throws -> String {
        guard let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) else { throw TapisError.invalid(field, "\(text.prefix(20).debugDescription) is not a date (YYYY-MM-DD)") }
        return Job.timestamp(next ? date + 86_400 : date)
    }

    /// The query parameters that give this filter, with `changes` applied (nil removes one).
    func link(_ changes: [String: String?] = [:]) -> String {
        var parameters: [String: String] = [
            "status": group?.rawValue ?? "", "app": app, "system": system, "range": range, "from": from, "to": to, "q": text,
            "hidden": hidden ? "1" : "", "all": everyone ? "1" : "", "shared": shared ? "1" : "", "sort": sort == "created" ? "" : sort, "dir": ascending ? "asc" : "",
        ]
        for (name, value) in changes { parameters[name] = value ?? "" }
        let query = parameters.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { "\($0.key)=\(WebPage.encoded($0.value))" }
        return query.isEmpty ? "/" : "/?" + query.joined(separator: "&")
    }
}
