import Foundation
import TapisCore

/// File operations on the daemon's own host that may walk a whole tree or wait on the disk: each
/// runs on `BlockingPool`, never on the cooperative pool.
public enum LocalFiles {
    /// An entry below a directory.
    public struct Entry: Sendable, Equatable {
        /// The path relative to the directory walked.
        public var path: String
        public var isDirectory: Bool
    }

    /// Whether `path` is a directory; nil when nothing is there.
    public static func isDirectory(_ path: String) async throws -> Bool? {
        try await BlockingPool.run {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) ? isDirectory.boolValue : nil
        }
    }

    /// Every entry below `path`, sorted by path.
    public static func entries(below path: String) async throws -> [Entry] {
        try await BlockingPool.run {
            try FileManager.default.subpathsOfDirectory(atPath: path).sorted().map { relative in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory)
                return Entry(path: relative, isDirectory: isDirectory.boolValue)
            }
        }
    }

    /// Creates each directory and its parents.
    public static func createDirectories(_ paths: [String]) async throws {
        try await BlockingPool.run {
            for path in paths { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        }
    }

    /// The size of the file at `path`, in bytes.
    public static func size(of path: String) async throws -> Int64 {
        try await BlockingPool.run { (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1 }
    }

    /// Removes each path (a file or a whole tree).
    public static func remove(_ paths: [String]) async throws {
        try await BlockingPool.run {
            for path in paths { try FileManager.default.removeItem(atPath: path) }
        }
    }
}
