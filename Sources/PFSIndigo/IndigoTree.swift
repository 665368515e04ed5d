import PFSModel
import PFSStatements

/// A JSON value as INDIGO writes it, built before it is written: members keyed by name
/// (written in sorted order), amounts as exact decimals written as JSON numbers.
indirect enum IndigoTree: Sendable, Hashable {
    case object([String: IndigoTree])
    case array([IndigoTree])
    case string(String)
    case number(ExactDecimal)

    /// INDIGO's wrapper of a value: `{"value": …}`.
    static func value(_ text: String) -> IndigoTree { .object(["value": .string(text)]) }
    static func value(_ number: ExactDecimal) -> IndigoTree { .object(["value": .number(number)]) }

    /// The pretty JSON text, ending with a newline.
    var bytes: [UInt8] {
        var writer = JSONWriter(capacity: 65_536, layout: .pretty)
        write(into: &writer)
        return writer.finished()
    }

    func write(into writer: inout JSONWriter) {
        switch self {
        case .object(let members):
            writer.object { json in
                for key in members.keys.sorted() {
                    guard let value = members[key] else { continue }
                    json.key(key)
                    value.write(into: &json)
                }
            }
        case .array(let elements):
            writer.array { json in
                for element in elements { element.write(into: &json) }
            }
        case .string(let text): writer.string(text)
        case .number(let value): writer.number(value)
        }
    }
}
