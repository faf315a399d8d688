/// One server-sent event: its id (where a stream resumes), its type and its data.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    public var data: String

    public init(id: String? = nil, event: String? = nil, data: String) {
        self.id = id
        self.event = event
        self.data = data
    }
}

/// Reads `text/event-stream` bytes as they arrive: whole events out, comments and `retry:` dropped.
public struct ServerSentEventParser: Sendable {
    private var buffer: [UInt8] = []
    private var current: (id: String?, event: String?, data: [String]) = (nil, nil, [])

    public init() {}

    /// The events the bytes complete.
    public mutating func feed(_ bytes: [UInt8]) -> [ServerSentEvent] {
        buffer += bytes
        var events: [ServerSentEvent] = []
        while let end = buffer.firstIndex(of: 0x0A) {
            var line = buffer[..<end]
            if line.last == 0x0D { line = line.dropLast() }
            let text = String(decoding: line, as: UTF8.self)
            buffer.removeSubrange(...end)
            if text.isEmpty {
                if !current.data.isEmpty { events.append(ServerSentEvent(id: current.id, event: current.event, data: current.data.joined(separator: "\n"))) }
                current = (nil, nil, [])
                continue
            }
            if text.hasPrefix(":") { continue }
            let (field, value) = Self.split(text)
            switch field {
            case "id": current.id = value
            case "event": current.event = value
            case "data": current.data.append(value)
            default: break
            }
        }
        return events
    }

    private static func split(_ line: String) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        var value = line[line.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(line[..<colon]), String(value))
    }
}
