import Foundation
import Testing
import TapisClient
import TapisCore
import TapisTestSupport

/// Helpers shared by the end-to-end suites: register the example app, submit, wait.
extension DaemonHarness {
    /// Registers the example app (as root).
    func registerExampleApp() throws {
        let result = try cli(["apps", "create", appDefinition])
        guard result.status == 0 else { throw TestSetupError("registering the example app failed: \(result.stderr)") }
    }

    /// Submits the example app through the CLI (stdin) and returns the job's UUID.
    func submitHello(name: String = "hello-test", args: [String] = [], env: [String: String] = [:], as user: String? = nil) throws -> String {
        var request: [String: Any] = ["name": name, "appId": "hello", "appVersion": "1.0"]
        request["parameterSet"] = [
            "appArgs": args.map { ["arg": $0] },
            "envVariables": env.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] },
        ]
        let body = try JSONSerialization.data(withJSONObject: request)
        let result = try cli(["jobs", "submit", "-"], as: user, input: body)
        guard result.status == 0 else { throw TestSetupError("submit failed: \(result.stderr)\n\(log)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The job as the daemon reports it (as root).
    func job(_ uuid: String) async throws -> Job {
        try await client.result(Job.self, .get, "/v3/jobs/\(uuid)")
    }

    /// Waits until the job reaches `status` (or any terminal status when nil).
    @discardableResult
    func waitFor(_ uuid: String, status: JobStatus? = nil, seconds: Double = 60) async throws -> Job {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let job = try await job(uuid)
            if let status, job.status == status { return job }
            if job.status.isTerminal {
                if status == nil || status == job.status { return job }
                throw TestSetupError("job \(uuid) ended \(job.status.rawValue) (\(job.lastMessage ?? "")) while waiting for \(status!.rawValue)\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("job \(uuid) did not reach \(status?.rawValue ?? "an end") in \(Int(seconds)) s\n\(log)")
    }

    /// The statuses of the job's history, in order.
    func historyStatuses(_ uuid: String) async throws -> [String] {
        try await client.result([JobEvent].self, .get, "/v3/jobs/\(uuid)/history").filter { $0.event == "JOB_NEW_STATUS" }.map(\.eventDetail)
    }

    /// The job's remote id, once it has one (it reached the scheduler).
    func remoteJobId(_ uuid: String, seconds: Int = 120) async throws -> String {
        for _ in 0..<(seconds * 5) {
            if let id = try await job(uuid).remoteJobId { return id }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestSetupError("job \(uuid) got no remote id within \(seconds) s\n\(log.suffix(2000))")
    }

    /// The descriptions of the job's history events, oldest first (as root).
    func historyDescriptions(_ uuid: String) async throws -> [String] {
        try await client.result([JobEvent].self, .get, "/v3/jobs/\(uuid)/history").map(\.description)
    }
}

/// The statuses every successful job walks through, in order.
let successfulHistory = ["PENDING", "PROCESSING_INPUTS", "STAGING_INPUTS", "STAGING_JOB", "SUBMITTING_JOB", "QUEUED", "RUNNING", "ARCHIVING", "FINISHED"]
