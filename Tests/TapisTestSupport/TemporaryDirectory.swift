import Foundation

/// A fresh directory under /tmp, readable by every user (test users must reach the job dirs and
/// app archives inside), removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String = "tapisd-test") throws {
        let template = "/tmp/\(prefix).XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw TestSetupError("mkdtemp failed") }
        path = String(cString: made)
        chmod(path, 0o755)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
