import GRDB
import Synchronization

/// Group commit: write transactions that arrive while one commits wait, then commit together in one
/// SQLite transaction, so a burst of submits and transitions costs one fsync, not one each. Each
/// write runs in its own savepoint (a write that throws leaves the others untouched), and every
/// caller is answered only after the transaction holding its write is durable; if that commit
/// fails, every write in it fails. The first write of a quiet moment starts at once: batching never
/// waits for company.
final class GroupCommit: Sendable {
    /// A queued write: `run` does it inside the open transaction; `answer` tells its caller the
    /// outcome once the transaction's fate is known (nil: committed; otherwise the commit's error).
    private struct Write: Sendable {
        let run: @Sendable (Database) -> Void
        let answer: @Sendable ((any Error)?) -> Void
    }

    private struct Queue {
        var waiting: [Write] = []
        var committing = false
    }

    private let writer: any DatabaseWriter
    private let queue = Mutex(Queue())

    init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// Runs `body` in the next group transaction and returns its result once that is durable.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = Outcome<T>()
            let write = Write(
                run: { db in
                    let result = Result<T, any Error> {
                        var value: T?
                        try db.inSavepoint {
                            value = try body(db)
                            return .commit
                        }
                        return value!
                    }
                    outcome.result.withLock { $0 = result }
                },
                answer: { commitError in
                    let result = outcome.result.withLock { $0 }
                    continuation.resume(with: commitError.map { .failure($0) } ?? result ?? .failure(CancellationError()))
                })
            let leads = queue.withLock { queue in
                queue.waiting.append(write)
                defer { queue.committing = true }
                return !queue.committing
            }
            if leads { writer.asyncWriteWithoutTransaction { db in self.drain(db) } }
        }
    }

    /// Commits batches on the writer's queue until nobody waits.
    private func drain(_ db: Database) {
        while true {
            let batch = queue.withLock { queue in
                defer { queue.waiting = [] }
                if queue.waiting.isEmpty { queue.committing = false }
                return queue.waiting
            }
            if batch.isEmpty { return }
            var commitError: (any Error)?
            do {
                try db.inTransaction {
                    for write in batch { write.run(db) }
                    return .commit
                }
            } catch {
                commitError = error
            }
            for write in batch { write.answer(commitError) }
        }
    }
}

/// A write's result, from the writer's queue to its caller.
private final class Outcome<T: Sendable>: Sendable {
    let result = Mutex<Result<T, any Error>?>(nil)
}
