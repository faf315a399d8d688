import ArgumentParser
import Foundation
import TapisCore
import TapisStore

/// Fills a stopped daemon's store with copies of one real job, as a busy gateway's store holds
/// them: through `JobStore.insert`, many at once, so the copies are what tapisd itself writes.
struct SeedStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Adds copies of a job to a store.")

    @Option(help: "The store (the daemon must be stopped).") var database: String
    @Option(help: "A job as GET /v3/jobs/{uuid} answers it.") var template: String
    @Option(help: "How many copies.") var jobs = 100_000
    @Option(help: "The copies' status: PENDING (a backlog) or ENDED (a mix of FINISHED, FAILED and CANCELLED).") var status = "PENDING"

    func run() async throws {
        let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: template))) as? [String: Any]
        let result = try JSONSerialization.data(withJSONObject: envelope?["result"] ?? [:])
        let model = try TapisJSON.decoder().decode(Job.self, from: result)
        let store = try JobStore(path: database)
        let base = Job.now().addingTimeInterval(-Double(jobs) / 1000 - 86_400)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<64 {
                group.addTask {
                    for index in stride(from: worker, to: jobs, by: 64) {
                        try await store.insert(copy(of: model, index, base: base), rawRequest: Data("{}".utf8))
                    }
                }
            }
            try await group.waitForAll()
        }
        print(String(format: "seeded: %d in %.1f s", jobs, (ContinuousClock.now - started).seconds))
    }

    private func copy(of model: Job, _ index: Int, base: Date) -> Job {
        var job = model
        job.uuid = .random()
        job.name = "bench-\(index)"
        job.created = base.addingTimeInterval(Double(index) / 1000)
        job.lastUpdated = job.created
        job.ended = nil
        job.remoteJobId = nil
        guard status == "ENDED" else {
            job.status = .pending
            job.condition = nil
            return job
        }
        let ends: [(JobStatus, JobCondition)] = [(.finished, .normalCompletion), (.failed, .internalError), (.cancelled, .cancelledByUser)]
        let (end, condition) = index % 10 < 8 ? ends[0] : ends[index % 10 == 8 ? 1 : 2]
        job.status = end
        job.condition = condition
        job.ended = job.created.addingTimeInterval(5)
        job.lastUpdated = job.created.addingTimeInterval(5)
        return job
    }
}
