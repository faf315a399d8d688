/// One operation of tapisd's API as its OpenAPI document describes it. Path parameters come from
/// the `{name}` segments of `path`; every operation also takes `pretty`.
struct OpenAPIOperation: Sendable {
    /// A query parameter.
    struct Parameter: Sendable {
        var name: String
        var type = "string"
        var description = ""
    }

    /// What the success envelope's `result` holds (the name of its envelope schema, less `Envelope`),
    /// or `bytes` for a download.
    enum Result: String, Sendable {
        case job = "Job", jobs = "JobList", events = "EventList", files = "FileList", object = "Object", objects = "ObjectList", bytes = "Bytes", eventStream = "EventStream"
    }

    var method: String
    var path: String
    var id: String
    var summary: String
    var query: [Parameter] = []
    /// The request body's schema name, if the operation takes one.
    var body: String?
    var result: Result = .object
    /// Whether a caller on the TCP listener needs no token for it.
    var open = false

    /// The names in the path's `{name}` segments.
    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}
