import Foundation

/// The one audited way user text reaches a shell. Every remote or local command that carries a
/// value from a request, a definition or the store is built from `Shell.quote`.
public enum Shell {
    /// Quotes `word` so that a POSIX shell reads it back as exactly one word, byte for byte: no
    /// expansion, no splitting, no globbing. Newlines, quotes and non-ASCII survive unchanged.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty, word.unicodeScalars.allSatisfy(isSafe) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Joins words into one command line, quoting each.
    public static func command(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// Characters that never need quoting.
    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", ",", "+", "=", "@", "%": return true
        default: return false
        }
    }
}
