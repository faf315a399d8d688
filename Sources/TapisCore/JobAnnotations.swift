import Foundation

/// A job's tags and notes as a user sets them (Tapis's annotations): `tags` (fewer than 128, each
/// 1–126 characters) and `notes` (an object of at most 128 KB).
public struct JobAnnotations: Codable, Sendable, Equatable {
    public var tags: [String]?
    public var notes: [String: JSONValue]?

    public init(tags: [String]?, notes: [String: JSONValue]?) {
        self.tags = tags
        self.notes = notes
    }

    /// - Throws: `TapisError.badRequest` naming `tags` or `notes`.
    public func validate() throws {
        if let tags {
            guard tags.count < 128 else { throw TapisError.invalid("tags", "at most 127 tags") }
            for tag in tags {
                guard (1...126).contains(tag.count) else { throw TapisError.invalid("tags", "each tag is 1 to 126 characters (\(tag.prefix(20).debugDescription)…)") }
                try Validation.rejectControlCharacters(tag, field: "tags")
            }
        }
        if let notes, try TapisJSON.encoder().encode(notes).count > 131_072 {
            throw TapisError.invalid("notes", "larger than 128 KB")
        }
    }
}
