public import TapisCore

/// What `JobStore.list` returns: a filter, an order and a page.
public struct JobQuery: Sendable, Equatable {
    /// A column jobs can be ordered by.
    public enum Column: String, Sendable, CaseIterable {
        case uuid, name, owner, status, appId, appVersion, execSystemId, created, lastUpdated, ended
    }

    /// One `orderBy` term.
    public struct Order: Sendable, Equatable {
        public var column: Column
        public var ascending: Bool

        public init(_ column: Column, ascending: Bool) {
            self.column = column
            self.ascending = ascending
        }
    }

    /// Only this owner's jobs (nil: everyone's).
    public var owner: String?
    public var status: JobStatus?
    public var includeHidden = false
    public var order: [Order] = [Order(.lastUpdated, ascending: false)]
    public var limit = 100
    public var skip = 0

    public init(owner: String?) { self.owner = owner }
}
