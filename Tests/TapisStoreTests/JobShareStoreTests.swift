import Foundation
import Testing
import TapisCore
import TapisStore
import TapisTestSupport

/// Shares in a real store: what a grantee is granted, listings of shared jobs, the events a share
/// writes, and what a withdrawal leaves.
@Suite struct JobShareStoreTests {
    @Test func sharesGrantTheirResourcesListTheirJobsAndAreRecorded() async throws {
        let directory = try TemporaryDirectory("tapisd-share")
        let store = try JobStore(path: directory.file("jobs.sqlite"))
        let mine = try SampleJob.make(owner: "alice"), other = try SampleJob.make(owner: "alice"), bobs = try SampleJob.make(owner: "bob")
        for job in [mine, other, bobs] { try await store.insert(job, rawRequest: Data()) }
        try await store.share(mine.uuid, with: "bob", resources: [.history, .output], grantor: "alice")
        try await store.share(other.uuid, with: "@lab", resources: [.history], grantor: "alice")
        try await store.share(mine.uuid, with: "bob", resources: [.history], grantor: "alice")

        #expect(try await store.sharedResources(of: mine.uuid, with: ["bob"]) == [.history, .output])
        #expect(try await store.sharedResources(of: other.uuid, with: ["bob"]).isEmpty)
        #expect(try await store.sharedResources(of: other.uuid, with: ["bob", "@lab"]) == [.history])
        #expect(try await store.shares(of: mine.uuid, tenant: "t").map(\.jobResource) == [.history, .output], "sharing again adds nothing")

        var shared = JobQuery(owner: nil)
        shared.sharedWith = ["bob", "@lab"]
        #expect(Set(try await store.list(shared).map(\.uuid)) == [mine.uuid, other.uuid])
        var all = JobQuery(owner: "bob")
        all.sharedWith = ["bob"]
        #expect(Set(try await store.list(all).map(\.uuid)) == [mine.uuid, bobs.uuid])
        #expect(try await store.count(all) == 2)

        let events = try await store.history(mine.uuid).filter { $0.event == JobEventCategory.shareEvent.rawValue }.map(\.eventDetail)
        #expect(events == ["SHARE_JOB_HISTORY_READ", "SHARE_JOB_OUTPUT_READ", "SHARE_JOB_HISTORY_READ"])

        #expect(try await store.unshare(mine.uuid, with: "bob") == [.history, .output])
        #expect(try await store.sharedResources(of: mine.uuid, with: ["bob"]).isEmpty)
        #expect(try await store.unshare(mine.uuid, with: "bob").isEmpty)
        #expect(try await store.list(shared).map(\.uuid) == [other.uuid])
    }
}
