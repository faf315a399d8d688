public import TapisCore

/// What `JobStore.list` returns: a filter, an order and a page.
public struct JobQuery: Sendable, Equatable {
    /// One `orderBy` term.
    public struct Order: Sendable, Equatable {
        public var attribute: JobSearchAttribute
        public var ascending: Bool

        public init(_ attribute: JobSearchAttribute, ascending: Bool) {
            self.attribute = attribute
            self.ascending = ascending
        }
    }

    /// Only this owner's jobs (nil: everyone's).
    public var owner: String?
    public var status: JobStatus?
    /// Only jobs matching this search (Tapis's `attr.op=value` parameters or POST `search`).
    /// Jobs whose history is shared with any of these grantees (a user, `@group`) too: with
    /// `owner`, its jobs and these; without, these alone.
    public var sharedWith: [String]?
    public var search: JobSearch?
    public var includeHidden = false
    /// The `orderBy` terms; nil is Tapis's default, most recently updated first. Ties go by
    /// `lastUpdated`, then by the order jobs were stored in.
    public var order: [Order]?
    public var limit = 100
    public var skip = 0
    /// The page begins after the jobs whose first `order` attribute is at or before this value
    /// (in the order's direction). Tapis requires `orderBy` with it and forbids `skip`.
    public var startAfter: String?
    /// With `startAfter`, the value of the second `order` attribute of the job the page starts
    /// after: jobs that tie with it on the first attribute then continue where it left off (a
    /// cursor that neither skips nor repeats jobs created in the same millisecond).
    public var startAfterSecond: String?

    public init(owner: String?) { self.owner = owner }

    /// Checks Tapis's paging rules: `startAfter` needs `orderBy`, excludes `skip` and must be a value
    /// of the first order attribute; no order attribute is a list.
    /// - Throws: `TapisError.badRequest` naming `startAfter` or `orderBy`.
    public func validate() throws(TapisError) {
        for term in order ?? [] where !term.attribute.isScalar {
            throw TapisError.invalid("orderBy", "\(term.attribute.rawValue) is a list; jobs cannot be ordered by it")
        }
        guard let startAfter else {
            if startAfterSecond != nil { throw TapisError.invalid("startAfter", "a second cursor value needs the first") }
            return
        }
        guard let first = order?.first else {
            throw TapisError.invalid("startAfter", "requires orderBy: the page starts after the job whose first orderBy attribute has this value")
        }
        guard skip == 0 else { throw TapisError.invalid("startAfter", "cannot be combined with skip; use one or the other") }
        _ = try first.attribute.value(startAfter)
        if let startAfterSecond {
            guard let second = order?.dropFirst().first else { throw TapisError.invalid("startAfter", "a second cursor value needs a second orderBy attribute") }
            _ = try second.attribute.value(startAfterSecond)
        }
    }
}
