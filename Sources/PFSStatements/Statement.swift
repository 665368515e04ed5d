import Foundation
import PFSModel

/// The formats a settlement statement can be written in.
public enum StatementFormat: String, Sendable, CaseIterable, Codable {
    /// Plain text for a terminal or a printout.
    case text
    /// The ``Settlement`` value as JSON (format `pfs-settlement/1`).
    case json

    /// The file extension for the format.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .json: return "json"
        }
    }
}

/// Renders a ``Settlement``; renderers see only the settlement, never the XML.
public enum Statement {
    /// The statement in `format`, ending with a newline.
    public static func render(_ settlement: Settlement, as format: StatementFormat) -> String {
        switch format {
        case .text: return TextStatement.render(settlement)
        case .json: return JSONStatement.render(settlement)
        }
    }
}

/// The JSON statement: the ``Settlement`` encoded with sorted keys, amounts as decimal
/// strings. Stable byte for byte for the same settlement.
public enum JSONStatement {
    /// Encodes a settlement.
    public static func render(_ settlement: Settlement) -> String { settlement.json.serialized() + "\n" }

    /// Encodes several settlements (e.g. every year of a term) as one JSON array.
    public static func render(_ settlements: [Settlement]) -> String { JSONValue.array(settlements.map(\.json)).serialized() + "\n" }

    /// The same document through Foundation's `JSONEncoder`: the reference ``render(_:)``
    /// must match byte for byte (tested).
    public static func renderWithFoundation<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a String, Int, Bool, array or nested struct: encoding cannot fail.
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Decodes a statement written by ``render(_:)``.
    public static func decode(_ text: String) throws -> Settlement {
        try JSONDecoder().decode(Settlement.self, from: Data(text.utf8))
    }
}
