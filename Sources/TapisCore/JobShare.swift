import Foundation

/// What of a job a share grants (Tapis `jobResource`), always to read.
public enum JobShareResource: String, Codable, Sendable, CaseIterable {
    /// The job, its status and its history.
    case history = "JOB_HISTORY"
    /// Its outputs: listing and download.
    case output = "JOB_OUTPUT"
    /// The request it was submitted with.
    case resubmitRequest = "JOB_RESUBMIT_REQUEST"
    /// Accepted as Tapis does; it opens nothing more (inputs are not readable through a job).
    case input = "JOB_INPUT"
}

/// A request to share a job (Tapis `ReqShareJob`): a grantee (a user, or `@group` for every member
/// of a group of this host), the resources and `READ`.
public struct JobShareRequest: Decodable, Sendable, Equatable {
    public var grantee: String
    public var jobResource: [JobShareResource]
    public var jobPermission: String

    enum CodingKeys: String, CodingKey, CaseIterable { case grantee, jobResource, jobPermission }

    public init(grantee: String, jobResource: [JobShareResource], jobPermission: String = "READ") {
        self.grantee = grantee
        self.jobResource = jobResource
        self.jobPermission = jobPermission
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.rawValue), in: "a Tapis job share request")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        grantee = try container.decodeIfPresent(String.self, forKey: .grantee) ?? ""
        let names = try container.decodeIfPresent([String].self, forKey: .jobResource) ?? []
        jobResource = try names.map { name in
            guard let resource = JobShareResource(rawValue: name) else {
                throw TapisError.invalid("jobResource", "\(name.prefix(40).debugDescription) is not one of \(JobShareResource.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return resource
        }
        jobPermission = try container.decodeIfPresent(String.self, forKey: .jobPermission) ?? ""
    }

    /// Checks the resources and permission (the grantee is `Grantee.check`'s).
    /// - Throws: `TapisError.badRequest` naming the field.
    public func validate() throws(TapisError) {
        if jobResource.isEmpty { throw .invalid("jobResource", "name at least one of \(JobShareResource.allCases.map(\.rawValue).joined(separator: ", "))") }
        if Set(jobResource).count != jobResource.count { throw .invalid("jobResource", "names a resource twice") }
        if jobPermission != "READ" { throw .invalid("jobPermission", "must be READ (a share only ever lets the grantee read)") }
    }
}

/// One granted resource of a job, as `GET /v3/jobs/{uuid}/share` lists it.
public struct JobShare: Codable, Sendable, Equatable {
    public var tenant: String
    /// Who shared it (the job's owner, or the administrator who did).
    public var createdby: String
    public var jobUuid: String
    public var grantee: String
    public var jobResource: JobShareResource
    public var jobPermission: String
    public var created: String

    public init(tenant: String, createdby: String, jobUuid: String, grantee: String, jobResource: JobShareResource, created: String) {
        self.tenant = tenant
        self.createdby = createdby
        self.jobUuid = jobUuid
        self.grantee = grantee
        self.jobResource = jobResource
        jobPermission = "READ"
        self.created = created
    }
}
