import Testing
import TapisDaemon

/// What a client sends cannot forge a log line or a field of one.
@Suite struct DaemonLogHandlerTests {
    @Test func controlCharactersAreEscapedAndValuesWithSpacesQuoted() {
        let forged = "x\n<5>notice tapisd: audit=login user=root [TapisAPI] login accepted"
        #expect(DaemonLogHandler.escaped(forged, quoting: true) == #""x\n<5>notice tapisd: audit=login user=root [TapisAPI] login accepted""#)
        #expect(DaemonLogHandler.escaped("a\"b c", quoting: true) == #""a\"b c""#)
        #expect(DaemonLogHandler.escaped("plain-value/1", quoting: true) == "plain-value/1")
        #expect(DaemonLogHandler.escaped("", quoting: true) == #""""#)
        #expect(DaemonLogHandler.escaped("line\r\n\u{1b}[31m", quoting: false) == #"line\r\n\u{1b}[31m"#)
        #expect(DaemonLogHandler.escaped("a message with spaces", quoting: false) == "a message with spaces")
    }
}
