public import Foundation

/// The JSON encoder and decoder every layer uses, so dates look the same in the API and the store.
public enum TapisJSON {
    /// An encoder with Tapis dates and sorted keys.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Job.timestamp(date))
        }
        return encoder
    }

    /// A decoder that reads Tapis dates (with or without fractional seconds).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = Job.date(fromTimestamp: text) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date: \(text)"))
        }
        return decoder
    }

    /// `value` as a JSON tree (to pick fields from, as `select` does).
    public static func tree(of value: some Encodable) throws -> JSONValue {
        try decode(JSONValue.self, from: try encoder().encode(value))
    }

    /// Decodes `type` from `data`, turning decoding failures into a 400 that names the field.
    /// - Throws: `TapisError.badRequest`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(TapisError) -> T {
        do {
            return try decoder().decode(type, from: data)
        } catch let error as TapisError {
            throw error
        } catch let error as DecodingError {
            throw TapisError(.badRequest, describe(error))
        } catch {
            throw TapisError(.badRequest, "the body is not valid JSON")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "body" : names.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return (parent == "body" ? key.stringValue : parent + "." + key.stringValue) + ": is required"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(typeName(type))"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(typeName(type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "the body could not be read"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return type is any Collection.Type ? "a list" : "an object"
        }
    }
}
