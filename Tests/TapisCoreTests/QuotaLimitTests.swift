import Foundation
import Testing
import TapisCore

@Suite struct QuotaLimitTests {
    @Test func limitsComeFromAppSystemAndQueueAndTapisUnlimitedIsNoLimit() throws {
        var app = JobResolverTests.app()
        app.maxJobs = 5
        app.maxJobsPerUser = 2_147_483_647
        var system = JobResolverTests.system()
        system.batchScheduler = "SLURM"
        system.jobMaxJobsPerUser = 3
        system.jobMaxJobs = -1
        var queue = LogicalQueue(name: "normal", hpcQueueName: "debug")
        queue.maxJobs = 0
        queue.maxJobsPerUser = 1
        system.batchLogicalQueues = [queue]
        system.batchDefaultLogicalQueue = "normal"
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.jobType = "BATCH"
        let job = try JobResolverTests.resolve(request, app: app, systems: [system])
        #expect(QuotaLimit.limits(for: job, app: app, system: system) == [
            QuotaLimit(name: "maxJobs of app hello version 1.0", max: 5, appId: "hello", appVersion: "1.0"),
            QuotaLimit(name: "jobMaxJobsPerUser of system exec", max: 3, execSystemId: "exec", owner: "alice"),
            QuotaLimit(name: "maxJobsPerUser of logical queue normal of system exec", max: 1, execSystemId: "exec", logicalQueue: "normal", owner: "alice"),
        ])
    }
}
