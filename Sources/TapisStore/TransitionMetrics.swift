import CoreMetrics
import GRDB
import TapisCore

/// Counts jobs reaching each status (`tapisd_job_transitions_total`), once the transaction that
/// moved them is committed: a rolled-back move is not counted.
enum TransitionMetrics {
    static func count(_ db: Database, to status: JobStatus) {
        db.afterNextTransaction { _ in
            Counter(label: "tapisd_job_transitions_total", dimensions: [("status", status.rawValue)]).increment()
        }
    }
}
