import Foundation
import TapisCore

/// A job as the resolver makes it from the smallest request: app `hello` 1.0 on a system with a
/// working dir, for tests of what happens to jobs rather than how they are made.
public enum SampleJob {
    public static func make(owner: String = "alice", system systemId: String = "local", tenant: String = "t") throws -> Job {
        var app = TapisApp(id: "hello", version: "1.0")
        app.containerImage = "/apps/hello.tgz"
        var system = TapisSystem(id: systemId)
        system.jobWorkingDir = "/work"
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.execSystemId = systemId
        return try JobResolver(request: request, app: app, systems: [systemId: system], owner: owner, tenant: tenant, uuid: .random(), now: Job.now()).resolve()
    }
}
