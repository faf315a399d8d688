import Foundation
import TapisCore

/// The tags and notes fields that the launch form and a job's page share: tags one a line (a tag
/// may hold a comma), notes a JSON object.
enum AnnotationFields {
    /// The lines of a field's text (tags, or an input array's sources): each trimmed, blank ones dropped.
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The notes in the field's text; nil when it is blank.
    /// - Throws: `TapisError.badRequest` naming `notes` when the text is not a JSON object.
    static func notes(_ text: String) throws -> [String: JSONValue]? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        guard case .object(let notes)? = try? TapisJSON.decode(JSONValue.self, from: Data(text.utf8)) else {
            throw TapisError.invalid("notes", "must be a JSON object, such as {\"project\": \"x\"}")
        }
        return notes
    }

    /// The two fields, holding `tags` (one a line) and `notes`.
    static func render(tags: String, notes: String, notesRows: Int, errors: (String) -> HTML = { _ in "" }) -> HTML {
        """
        <label for="tags">Tags (one a line)</label><textarea id="tags" name="tags" rows="2">\(tags)</textarea>\(errors("tags"))
        <label for="notes">Notes (a JSON object)</label><textarea id="notes" name="notes" rows="\(notesRows)">\(notes)</textarea>\(errors("notes"))
        """
    }
}
