import GRDB

/// Rings a signal after each commit that inserted rows into one table: SQLite tells the writer
/// connection what each transaction changed, so those who wait for new rows (the event stream, the
/// notification worker) wake only when there are some, not on every write.
final class InsertSignal: TransactionObserver {
    private let table: String
    private let signal: ChangeSignal
    /// Only the writer's queue touches it (SQLite calls observers there).
    nonisolated(unsafe) private var inserted = false

    init(table: String, signal: ChangeSignal) {
        self.table = table
        self.signal = signal
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let name) = eventKind { return name == table }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) { inserted = true }

    func databaseDidCommit(_ db: Database) {
        if inserted { signal.ring() }
        inserted = false
    }

    func databaseDidRollback(_ db: Database) { inserted = false }
}
