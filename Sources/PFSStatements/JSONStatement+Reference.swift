import Foundation
import PFSModel

/// The reference the fast writer is tested against, and reading a statement back.
extension JSONStatement {
    /// The same document through Foundation's `JSONEncoder`: the reference ``render(_:)``
    /// must match byte for byte (tested).
    public static func renderWithFoundation<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a String, Int, Bool, array or nested struct: encoding cannot fail.
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A settlement as Foundation's encoder writes it, with its settlement digest (a
    /// member the model does not hold): the reference ``render(_:)`` is tested against.
    public static func renderWithFoundation(_ settlement: Settlement) -> String {
        renderWithFoundation(Digested(settlement: settlement))
    }

    /// Several settlements, each with its digest.
    public static func renderWithFoundation(_ settlements: [Settlement]) -> String {
        renderWithFoundation(settlements.map(Digested.init))
    }

    /// A settlement's members and its digest, in one JSON object.
    private struct Digested: Encodable {
        let settlement: Settlement
        enum Key: String, CodingKey { case settlementDigest }

        func encode(to encoder: any Encoder) throws {
            // The model encodes a step's words, not its figures: written here first.
            try StepWords.written(settlement).encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(SettlementDigest.of(settlement), forKey: .settlementDigest)
        }
    }

    /// Decodes a statement written by ``render(_:)``.
    public static func decode(_ text: String) throws -> Settlement {
        try JSONDecoder().decode(Settlement.self, from: Data(text.utf8))
    }
}
