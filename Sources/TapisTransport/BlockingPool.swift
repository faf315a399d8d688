import Foundation
import NIOPosix

/// The one bounded pool of threads on which the process's blocking calls run (child process I/O,
/// `waitpid`, file tree walks), so that they never stall Swift's cooperative pool and never start a
/// thread per call. When every thread is busy, further calls wait their turn.
public enum BlockingPool {
    /// How many blocking calls run at once.
    public static let threadCount = max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
        return pool
    }()

    /// Runs `body` on the pool and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
