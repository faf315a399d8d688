import Foundation
import TapisCore

/// Reads the output of `find -printf FileListing.format`: NUL-terminated records, so that file names
/// with newlines or tabs survive.
public enum FileListing {
    /// type, size, mtime, mode, path relative to the starting point (or the name for the point itself).
    public static let format = Shell.quote("%y\\t%s\\t%T@\\t%m\\t%P\\t%f\\0")

    /// The entries of a listing.
    public static func parse(_ bytes: [UInt8]) -> [RemoteFile] {
        bytes.split(separator: 0).compactMap { record in
            let fields = record.split(separator: UInt8(ascii: "\t"), maxSplits: 5, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 6 else { return nil }
            let type = fields[0] == "f" ? "file" : fields[0] == "d" ? "dir" : "other"
            let relative = fields[4].isEmpty ? fields[5] : fields[4]
            return RemoteFile(
                name: fields[5], path: relative, type: type, size: Int64(fields[1]) ?? 0,
                lastModified: Date(timeIntervalSince1970: Double(fields[2]) ?? 0), nativePermissions: fields[3])
        }
    }
}
