import Testing
import TapisCore

/// The Tapis transition table (spec §4.2), written out independently of the code under test.
@Suite struct JobStatusTests {
    static let table: [JobStatus: Set<JobStatus>] = {
        let escapes: Set<JobStatus> = [.blocked, .paused, .failed, .cancelled]
        let forward: [JobStatus] = [.pending, .processingInputs, .stagingInputs, .stagingJob, .submittingJob, .queued, .running, .archiving]
        return [
            .pending: escapes.union([.pending, .processingInputs]),
            .processingInputs: escapes.union([.processingInputs, .stagingInputs]),
            .stagingInputs: escapes.union([.stagingInputs, .stagingJob]),
            .stagingJob: escapes.union([.stagingJob, .submittingJob]),
            .submittingJob: escapes.union([.submittingJob, .queued, .running]),
            .queued: escapes.union([.queued, .running]),
            .running: escapes.union([.running, .archiving]),
            .archiving: escapes.union([.archiving, .finished]),
            .blocked: Set(forward).union([.paused, .failed, .cancelled, .finished]),
            .paused: Set(forward).union([.failed, .cancelled, .finished]),
            .finished: [], .failed: [], .cancelled: [],
        ]
    }()

    static let pairs = JobStatus.allCases.flatMap { from in JobStatus.allCases.map { (from, $0) } }

    @Test("every pair of statuses is allowed or refused as the spec says", arguments: pairs)
    func transition(from: JobStatus, to: JobStatus) {
        let allowed = Self.table[from]!.contains(to)
        #expect(from.canTransition(to: to) == allowed)
        if allowed {
            #expect(throws: Never.self) { try from.checkTransition(to: to) }
        } else {
            let error = #expect(throws: TapisError.self) { try from.checkTransition(to: to) }
            #expect(error?.code == .conflict)
            #expect(error?.message.contains(from.rawValue) == true && error?.message.contains(to.rawValue) == true)
        }
    }

    @Test func thirteenStatusesWithTapisNames() {
        #expect(JobStatus.allCases.count == 13)
        #expect(JobStatus.allCases.map(\.rawValue).contains("PROCESSING_INPUTS"))
        #expect(JobStatus.allCases.filter(\.isTerminal) == [.finished, .cancelled, .failed])
    }

    @Test func runningNeverGoesStraightToFinished() {
        #expect(!JobStatus.running.canTransition(to: .finished))
    }
}
