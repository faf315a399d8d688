import Foundation
import Testing
import TapisCore

@Suite struct ShellTests {
    static let hostile = [
        "plain", "two words", "it's", "\"double\"", "$(id)", "`id`", ";rm -rf /", "a\nb", "tab\there", "back\\slash",
        "ünïcødé ✓", "*", "~", "-n", "", "'", "''", "$HOME", "a'b\"c$d`e\\f", String(repeating: "x", count: 10_000),
    ]

    @Test("quoted words reach the shell unchanged", arguments: hostile)
    func roundTrip(_ word: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s' " + Shell.quote(word)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self) == word)
    }

    @Test func quotingIsMinimalAndSingleQuoted() {
        #expect(Shell.quote("abc-1.2/x") == "abc-1.2/x")
        #expect(Shell.quote("a b") == "'a b'")
        #expect(Shell.quote("it's") == "'it'\\''s'")
        #expect(Shell.quote("") == "''")
        #expect(Shell.command(["echo", "$(id)"]) == "echo '$(id)'")
    }

    @Test func wordsSplitLikeAShellWithoutExpansion() throws {
        #expect(try ShellWords.split("-n 5", field: "f") == ["-n", "5"])
        #expect(try ShellWords.split("'hello world' \"a b\" c\\ d", field: "f") == ["hello world", "a b", "c d"])
        #expect(try ShellWords.split("$(id) `x` ;rm", field: "f") == ["$(id)", "`x`", ";rm"])
        #expect(try ShellWords.split("  ", field: "f") == [])
        #expect(try ShellWords.split("''", field: "f") == [""])
        let error = #expect(throws: TapisError.self) { try ShellWords.split("'open", field: "parameterSet.appArgs") }
        #expect(error?.message.hasPrefix("parameterSet.appArgs") == true)
    }
}
