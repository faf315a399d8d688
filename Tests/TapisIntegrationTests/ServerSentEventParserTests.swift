import TapisClient
import Testing

/// The client's reading of `text/event-stream`, however the bytes are cut.
@Suite struct ServerSentEventParserTests {
    static let stream = "retry: 2000\n\nid: 7\nevent: jobs.JOB_NEW_STATUS.RUNNING\ndata: {\"a\":1}\n\n: keep-alive\n\nid: 8\r\ndata: line one\r\ndata: line two\r\n\r\n"
    static let expected = [
        ServerSentEvent(id: "7", event: "jobs.JOB_NEW_STATUS.RUNNING", data: #"{"a":1}"#),
        ServerSentEvent(id: "8", event: nil, data: "line one\nline two"),
    ]

    @Test func wholeStreamAtOnce() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array(Self.stream.utf8)) == Self.expected)
    }

    @Test(arguments: [1, 2, 3, 5, 17])
    func byteByByteOrInChunks(size: Int) {
        var parser = ServerSentEventParser()
        let bytes = Array(Self.stream.utf8)
        var events: [ServerSentEvent] = []
        for start in stride(from: 0, to: bytes.count, by: size) { events += parser.feed(Array(bytes[start..<min(start + size, bytes.count)])) }
        #expect(events == Self.expected)
    }

    @Test func anUnfinishedEventIsNotHandedOut() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("id: 1\ndata: x\n".utf8)).isEmpty)
        #expect(parser.feed(Array("\n".utf8)) == [ServerSentEvent(id: "1", data: "x")])
    }
}
