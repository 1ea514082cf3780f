import FiredrillEngine
import FiredrillRules
import Foundation

/// How the stores keep structured values in text columns (event payloads, an attempt's fields
/// and grades, a score's lines): JSON with sorted keys, read back strictly.
public enum StoredJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value in `text`; a text that does not decode is `StoreError.unreadable(what)`.
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String?, what: @autoclosure () -> String) throws -> T {
        guard let text, let value = try? JSONDecoder().decode(type, from: Data(text.utf8)) else {
            throw StoreError.unreadable(what())
        }
        return value
    }

    /// An event's payload column: nil stays nil.
    public static func payload(_ text: String?, run: String) throws -> EventPayload? {
        guard let text else { return nil }
        return try decode(EventPayload.self, text, what: "event payload \(text) of run \(run)")
    }
}
