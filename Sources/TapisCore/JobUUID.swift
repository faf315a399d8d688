/// A job's identifier in Tapis form: a random UUID followed by `-007`, the Tapis job type code.
public struct JobUUID: Hashable, Sendable, Codable, CustomStringConvertible, RawRepresentable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The tag that names the job to its scheduler (Slurm job name, container name): `tapis-<uuid>`.
    public var submissionTag: String { "tapis-" + rawValue }

    /// A new random job UUID.
    public static func random() -> JobUUID {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var hex = bytes.enumerated().map { index, byte -> String in
            var value = byte
            if index == 6 { value = (value & 0x0F) | 0x40 }  // version 4
            if index == 8 { value = (value & 0x3F) | 0x80 }  // RFC 4122 variant
            let digits = String(value, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        for position in [8, 13, 18, 23] { hex.insert("-", at: hex.index(hex.startIndex, offsetBy: position)) }
        return JobUUID(rawValue: hex + "-007")
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
