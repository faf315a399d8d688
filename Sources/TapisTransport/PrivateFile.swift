import Foundation
import TapisCore

#if canImport(Glibc)
import Glibc
#endif

/// Files only their owner may read (keys, logins): written to a fresh temporary file created with
/// mode 0600 (never readable by others, not even for a moment), flushed, then renamed over the
/// target, so a crash leaves the old file or the new one, never half of one.
public enum PrivateFile {
    /// Writes `data` to `path`.
    /// - Throws: `PrivateFile.Failure` naming the file and the reason.
    public static func write(_ data: Data, to path: String) throws(Failure) {
        let temporary = path + ".tmp-" + UUID().uuidString.prefix(8)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        var written = 0
        let ok = data.withUnsafeBytes { bytes -> Bool in
            while written < bytes.count {
                let count = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return fsync(fd) == 0
        }
        let reason = ok ? nil : String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let failure = Failure(path: path, reason: reason ?? String(cString: strerror(errno)))
            unlink(temporary)
            throw failure
        }
    }

    /// The random secret kept at `path` (`count` bytes), made and written first when there is none.
    /// - Throws: `TapisError.internal` when it cannot be written, or exists but cannot be read or
    ///   has another length (replacing it would silently void what it signs).
    public static func secret(at path: String, count: Int = 32, purpose: String) throws -> Data {
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path), data.count == count else {
                throw TapisError(.internal, "the \(purpose) \(path) cannot be read or is not \(count) bytes; restore it from a backup (removing it voids what it signed)")
            }
            return data
        }
        var generator = SystemRandomNumberGenerator()
        let fresh = Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
        do { try write(fresh, to: path) } catch { throw TapisError(.internal, "cannot write the \(purpose): \(error)") }
        return fresh
    }

    /// Why a private file could not be written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }
}
