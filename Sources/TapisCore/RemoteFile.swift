public import Foundation

/// One entry of a directory listing (Tapis `FileInfo`).
public struct RemoteFile: Codable, Sendable, Equatable {
    public var name: String
    /// Path relative to the listed directory.
    public var path: String
    /// `file`, `dir` or `other`.
    public var type: String
    public var size: Int64
    public var lastModified: Date
    public var nativePermissions: String

    public init(name: String, path: String, type: String, size: Int64, lastModified: Date, nativePermissions: String) {
        self.name = name
        self.path = path
        self.type = type
        self.size = size
        self.lastModified = lastModified
        self.nativePermissions = nativePermissions
    }
}
