import Foundation
import Testing
import TapisCore

/// jobType, archiveMode and remoteOutcome are enums whose raw values keep Tapis's JSON, and the
/// status groups the store's SQL is built from hold what they always held.
@Suite struct JobFieldEnumTests {
    @Test func enumFieldsKeepTheirTapisJSON() throws {
        var request = JobSubmitRequest(name: "n", appId: "app", appVersion: "1")
        request.archiveMode = "skip_on_fail"
        var job = try JobResolverTests.resolve(request)
        #expect(job.jobType == .fork && job.archiveMode == .skipOnFail)
        job.remoteOutcome = .failedSkipArchive
        let json = try #require(try JSONSerialization.jsonObject(with: TapisJSON.encoder().encode(job)) as? [String: Any])
        #expect(json["jobType"] as? String == "FORK" && json["archiveMode"] as? String == "SKIP_ON_FAIL" && json["remoteOutcome"] as? String == "FAILED_SKIP_ARCHIVE")
        let decoded = try TapisJSON.decoder().decode(Job.self, from: TapisJSON.encoder().encode(job))
        #expect(decoded == job)
        request.archiveMode = "sometimes"
        #expect(throws: TapisError.invalid("archiveMode", "must be ALWAYS, SKIP_ON_FAIL or NEVER")) { try JobResolverTests.resolve(request) }
        request.archiveMode = nil
        request.jobType = "batchy"
        #expect(throws: TapisError.invalid("jobType", "must be FORK or BATCH")) { try JobResolverTests.resolve(request) }
    }

    @Test func statusGroups() {
        #expect(Set(JobStatus.terminal) == [.finished, .failed, .cancelled])
        #expect(Set(JobStatus.executing) == [.queued, .running])
        #expect(JobStatus.active == [.processingInputs, .stagingInputs, .stagingJob, .submittingJob, .queued, .running, .archiving])
        #expect(JobStatus.allCases.filter(\.isTerminal) == JobStatus.allCases.filter { JobStatus.terminal.contains($0) })
    }
}
