import Foundation

/// The request's own rules (spec §2.1) and the exec system's DTN (spec §2.2).
extension JobResolver {
    /// The largest `notes` a job keeps, as JSON bytes.
    public static let maxNotesBytes = 65536

    func checkRequestText() throws(TapisError) {
        if request.name.isEmpty || request.name.count > 64 { throw .invalid("name", "must be 1 to 64 characters") }
        try Validation.rejectControlCharacters(request.name, field: "name")
        try Validation.identifier(request.appId, field: "appId")
        try Validation.identifier(request.appVersion, field: "appVersion", maxLength: 64)
        if let description = request.description {
            if description.count > 2048 { throw .invalid("description", "longer than 2048 characters") }
            try Validation.rejectControlCharacters(description, field: "description")
        }
        if let requestOwner = request.owner, requestOwner != owner {
            try Validation.identifier(requestOwner, field: "owner", maxLength: 64)
            guard callerIsAdmin else {
                throw TapisError(.forbidden, "owner: submitting a job for another user (\(requestOwner)) is not allowed")
            }
        }
        if let requestTenant = request.tenant, requestTenant != tenant {
            throw .invalid("tenant", "must be \(tenant)")
        }
        for (value, field) in [(request.memoryMB, "memoryMB"), (request.maxMinutes, "maxMinutes")] {
            if let value, value < 1 { throw .invalid(field, "must be at least 1 (it is \(value))") }
        }
    }

    /// The largest sizes a job may ask for, whatever a queue allows: beyond any machine (ten years
    /// of minutes), and small enough that no product of them (cores × nodes, minutes in seconds,
    /// megabytes in bytes) overflows.
    static let largest = (nodeCount: 100_000, coresPerNode: 100_000, memoryMB: 1_000_000_000, maxMinutes: 5_256_000)

    /// Refuses a merged size above `largest`.
    /// - Throws: `TapisError.badRequest` naming the field.
    static func checkSizes(nodeCount: Int, coresPerNode: Int, memoryMB: Int, maxMinutes: Int) throws(TapisError) {
        let sizes = [
            (nodeCount, largest.nodeCount, "nodeCount"), (coresPerNode, largest.coresPerNode, "coresPerNode"),
            (memoryMB, largest.memoryMB, "memoryMB"), (maxMinutes, largest.maxMinutes, "maxMinutes"),
        ]
        for (value, limit, field) in sizes where value > limit {
            throw .invalid(field, "must be at most \(limit) (it is \(value))")
        }
    }

    /// The request's and the app's tags, sorted, each once.
    func mergedTags(attributes: TapisApp.JobAttributes) throws(TapisError) -> [String] {
        let tags = Set((request.tags ?? []) + (attributes.tags ?? [])).sorted()
        for tag in tags {
            guard (1...126).contains(tag.count) else { throw .invalid("tags", "each tag must be 1 to 126 characters (one has \(tag.count))") }
            try Validation.rejectControlCharacters(tag, field: "tags")
        }
        return tags
    }

    /// The request's notes, else the app's, at most `maxNotesBytes` as JSON.
    func checkedNotes(attributes: TapisApp.JobAttributes) throws(TapisError) -> JSONValue? {
        guard let notes = request.notes ?? attributes.notes else { return nil }
        let size = (try? TapisJSON.encoder().encode(notes).count) ?? 0
        guard size <= Self.maxNotesBytes else {
            throw .invalid("notes", "longer than \(Self.maxNotesBytes) bytes as JSON (\(size))")
        }
        return notes
    }

    /// The exec system's data transfer node, if it names one: an enabled system other than the exec
    /// system, with the same `rootDir`.
    func dtnSystem(of execSystem: TapisSystem) throws(TapisError) -> TapisSystem? {
        guard let id = execSystem.dtnSystemId, !id.isEmpty else { return nil }
        guard id != execSystem.id else { throw .invalid("dtnSystemId", "system \(execSystem.id) names itself as its DTN") }
        let dtn = try system(id, field: "dtnSystemId")
        let execRoot = try TapisPath.normalize(execSystem.rootDir ?? "/", field: "dtnSystemId")
        let dtnRoot = try TapisPath.normalize(dtn.rootDir ?? "/", field: "dtnSystemId")
        guard execRoot == dtnRoot else {
            throw .invalid("dtnSystemId", "DTN system \(id) has rootDir \(dtnRoot), not the exec system \(execSystem.id)'s \(execRoot)")
        }
        return dtn
    }

    /// A DTN directory (request → app), macros substituted; nil without a DTN or when `!tapis_not_set`.
    func dtnDirectory(_ value: String?, of dtn: TapisSystem?, macros: Macros, field: String) throws(TapisError) -> String? {
        guard dtn != nil, let value, value != EnvironmentMerge.notSet else { return nil }
        return try macros.directory(value, field: field)
    }
}

extension JobResolver {
    /// The job's subscriptions: the request's, then the app's (Tapis's merge; no de-duplication),
    /// each checked; what only the network can tell (a webhook's address) is checked by the submitter.
    /// - Throws: `TapisError.badRequest` naming the field.
    public func subscriptions() throws(TapisError) -> [JobSubscriptionRequest] {
        var merged = request.subscriptions ?? []
        for entry in app.jobAttributes?.subscriptions ?? [] { merged.append(try entry.request()) }
        guard merged.count <= JobSubscriptionRequest.maxPerJob else {
            throw .invalid("subscriptions", "at most \(JobSubscriptionRequest.maxPerJob) subscriptions for one job (request and app together: \(merged.count))")
        }
        for subscription in merged { try subscription.validate() }
        return merged
    }
}
