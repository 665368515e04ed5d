import Foundation
import PFSModel

/// A JSON document, written in exactly the layout Foundation's `JSONEncoder` uses with
/// `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes`, but without `Codable`'s
/// machinery, which took more than half the time of settling a portfolio
/// (Benchmarks/README.md). A test keeps the two byte-identical.
indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case bool(Bool)

    /// Serialises with two-space indentation and keys in sorted order.
    func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        write(into: &out, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], depth: Int) {
        switch self {
        case .object(let members):
            guard !members.isEmpty else { Self.append("{\n\n", &out); Self.indent(depth, &out); out.append(UInt8(ascii: "}")); return }
            Self.append("{\n", &out)
            // Keys are ASCII identifiers, for which byte order is String order; comparing
            // bytes skips String's Unicode-aware comparison (4% of rendering a large contract).
            let sorted = members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            for (index, (key, value)) in sorted.enumerated() {
                Self.indent(depth + 1, &out)
                Self.writeString(key, into: &out)
                Self.append(" : ", &out)
                value.write(into: &out, depth: depth + 1)
                Self.append(index == sorted.count - 1 ? "\n" : ",\n", &out)
            }
            Self.indent(depth, &out)
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            guard !elements.isEmpty else { Self.append("[\n\n", &out); Self.indent(depth, &out); out.append(UInt8(ascii: "]")); return }
            Self.append("[\n", &out)
            for (index, element) in elements.enumerated() {
                Self.indent(depth + 1, &out)
                element.write(into: &out, depth: depth + 1)
                Self.append(index == elements.count - 1 ? "\n" : ",\n", &out)
            }
            Self.indent(depth, &out)
            out.append(UInt8(ascii: "]"))
        case .string(let text):
            Self.writeString(text, into: &out)
        case .int(let number):
            Self.append(String(number), &out)
        case .bool(let flag):
            Self.append(flag ? "true" : "false", &out)
        }
    }

    private static func append(_ text: String, _ out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    private static func indent(_ depth: Int, _ out: inout [UInt8]) {
        for _ in 0..<(depth * 2) { out.append(UInt8(ascii: " ")) }
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Most strings need no escaping: copy them whole.
            guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default:
                    // UTF-8 bytes of non-ASCII characters are copied as they are.
                    out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Builds an object, leaving out absent optional members as `encodeIfPresent` does.
struct JSONObject {
    private(set) var members: [(String, JSONValue)] = []

    mutating func set(_ key: String, _ value: JSONValue?) {
        if let value { members.append((key, value)) }
    }

    var value: JSONValue { .object(members) }
}

extension JSONValue {
    static func decimal(_ value: ExactDecimal) -> JSONValue { .string(value.description) }
    static func decimal(_ value: ExactDecimal?) -> JSONValue? { value.map { .string($0.description) } }
    static func string(_ text: String?) -> JSONValue? { text.map { .string($0) } }

    static func text(_ text: LocalizedText) -> JSONValue {
        var object = JSONObject()
        object.set("ja", .string(text.ja))
        object.set("en", .string(text.en))
        return object.value
    }
}

extension Settlement {
    /// The settlement as a JSON value with the same keys and layout as its `Codable` encoding.
    var json: JSONValue {
        var root = JSONObject()
        root.set("format", .string(format))
        root.set("engine", .object([("name", .string(engine.name)), ("version", .string(engine.version))]))
        root.set("contract", .object([("id", .string(contract.id)), ("title", .text(contract.title)), ("file", .string(contract.file)),
                                      ("sha256", .string(contract.sha256)), ("digest", .string(contract.digest))]))
        var year = JSONObject()
        year.set("year", .int(fiscalYear.year))
        year.set("label", .string(fiscalYear.label))
        year.set("labelJA", .string(fiscalYear.labelJA))
        year.set("firstDay", .string(fiscalYear.firstDay))
        year.set("lastDay", .string(fiscalYear.lastDay))
        root.set("fiscalYear", year.value)
        root.set("amounts", .object([("currency", .string(amounts.currency)), ("scale", .decimal(amounts.scale)), ("label", .text(amounts.label))]))
        root.set("rounding", .object([("increment", .decimal(rounding.increment)), ("mode", .string(rounding.mode.rawValue))]))
        root.set("kpis", .array(kpis.map(\.json)))
        root.set("projects", .array(projects.map(\.json)))
        root.set("totals", .object([
            ("attributable", .decimal(totals.attributable)), ("providerRewards", .decimal(totals.providerRewards)),
            ("publicShare", .decimal(totals.publicShare)),
            ("byParty", .array(totals.byParty.map { .object([("party", $0.party.json), ("amount", .decimal($0.amount))]) })),
        ]))
        root.set("payments", payments.map { .array($0.map(\.json)) })
        if let paid = paymentTotals {
            var object = JSONObject()
            object.set("paidBefore", .decimal(paid.paidBefore))
            object.set("paidThisYear", .decimal(paid.paidThisYear))
            object.set("paidToDate", .decimal(paid.paidToDate))
            object.set("maximum", .decimal(paid.maximum))
            object.set("minimum", .decimal(paid.minimum))
            object.set("remaining", .decimal(paid.remaining))
            root.set("paymentTotals", object.value)
        }
        if let sib {
            root.set("sib", .object([
                ("intermediary", sib.intermediary.json), ("receivedThisYear", .decimal(sib.receivedThisYear)),
                ("receivedToDate", .decimal(sib.receivedToDate)), ("feeThisYear", .decimal(sib.feeThisYear)),
                ("feeToDate", .decimal(sib.feeToDate)),
                ("investors", .array(sib.investors.map { investor in
                    .object([("party", investor.party.json), ("principal", .decimal(investor.principal)),
                             ("maximumReturn", .decimal(investor.maximumReturn)), ("principalThisYear", .decimal(investor.principalThisYear)),
                             ("principalToDate", .decimal(investor.principalToDate)), ("returnThisYear", .decimal(investor.returnThisYear)),
                             ("returnToDate", .decimal(investor.returnToDate))])
                })),
                ("residual", sib.residual.json), ("residualThisYear", .decimal(sib.residualThisYear)),
                ("residualToDate", .decimal(sib.residualToDate)), ("step", .string(sib.step)),
            ]))
        }
        if let cap = rewardCap {
            root.set("rewardCap", .object([
                ("maximum", .decimal(cap.maximum)), ("paidBefore", .decimal(cap.paidBefore)), ("beforeCap", .decimal(cap.beforeCap)),
                ("cut", .decimal(cap.cut)), ("remaining", .decimal(cap.remaining)), ("step", .string(cap.step)),
            ]))
        }
        root.set("steps", .array(steps.map { step in
            .object([("id", .string(step.id)), ("description", .string(step.description)), ("descriptionJA", .string(step.descriptionJA)), ("formula", .string(step.formula)),
                     ("result", .decimal(step.result)), ("uses", .array(step.uses.map { .string($0) })),
                     ("reads", .array(step.reads.map { .object([("kpi", .string($0.kpi)), ("measure", .string($0.measure.rawValue)),
                                                                 ("year", .int($0.year))]) }))])
        }))
        root.set("rules", .array(rules.map { .object([("rule", .string($0.rule)), ("version", .int($0.version))]) }))
        return root.value
    }
}

extension Settlement.Figure {
    var json: JSONValue {
        var object = JSONObject()
        object.set("year", .int(year))
        object.set("value", .decimal(value))
        object.set("source", .string(source))
        object.set("line", .int(line))
        object.set("element", .string(element))
        return object.value
    }
}

extension Settlement.PartyReference {
    var json: JSONValue { .object([("id", .string(id)), ("role", .string(role.rawValue)), ("name", .text(name))]) }
}

extension Settlement.KPIOutcome {
    var json: JSONValue {
        var object = JSONObject()
        object.set("id", .string(id))
        object.set("name", .text(name))
        object.set("unit", .string(unit))
        object.set("direction", .string(direction.rawValue))
        object.set("valuePerUnit", .decimal(valuePerUnit))
        object.set("baseline", baseline.json)
        object.set("expected", expected?.json)
        object.set("actual", actual?.json)
        object.set("status", .string(status.rawValue))
        object.set("improvement", .decimal(improvement))
        object.set("fiscalImprovement", .decimal(fiscalImprovement))
        object.set("step", .string(step))
        return object.value
    }
}

extension Settlement.ProjectSettlement {
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("name", .text(name)), ("payer", payer.json),
            ("attributions", .array(attributions.map { attribution in
                .object([("kpi", .string(attribution.kpi)), ("fiscalImprovement", .decimal(attribution.fiscalImprovement)),
                         ("share", .decimal(attribution.share)), ("attributable", .decimal(attribution.attributable)),
                         ("step", .string(attribution.step))])
            })),
            ("netAttributable", .decimal(netAttributable)), ("flooredAtZero", .bool(flooredAtZero)),
            ("attributable", .decimal(attributable)), ("step", .string(step)),
            ("allocations", .array(allocations.map { allocation in
                var object = JSONObject()
                object.set("party", allocation.party.json)
                object.set("share", .decimal(allocation.share))
                object.set("exact", .decimal(allocation.exact))
                object.set("amount", .decimal(allocation.amount))
                object.set("receivedRemainder", .bool(allocation.receivedRemainder))
                object.set("clawback", .decimal(allocation.clawback))
                object.set("rewardCapCut", .decimal(allocation.rewardCapCut))
                object.set("step", .string(allocation.step))
                return object.value
            })),
            ("negativeImprovement", .string(negativeImprovement.rawValue)),
        ] + [
            ("carriedIn", JSONValue.decimal(carriedIn)), ("carriedOut", JSONValue.decimal(carriedOut)),
            ("clawbackOwed", clawbackOwed.map { owed in .array(owed.map { .object([("party", $0.party.json), ("amount", .decimal($0.amount))]) }) }),
        ].compactMap { key, value in value.map { (key, $0) } })
    }
}

extension Settlement.PaymentOutcome {
    var json: JSONValue {
        var object = JSONObject()
        object.set("id", .string(id))
        object.set("name", .text(name))
        object.set("rule", .string(rule))
        object.set("payers", .array(payers.map(\.json)))
        object.set("payees", .array(payees.map(\.json)))
        object.set("kpi", .string(kpi))
        object.set("outcome", outcome?.json)
        object.set("byRule", .decimal(byRule))
        object.set("cap", .decimal(cap))
        object.set("cutByCaps", .decimal(cutByCaps))
        object.set("amount", .decimal(amount))
        object.set("step", .string(step))
        return object.value
    }
}

extension Settlement.PartyAmount {
    var json: JSONValue { .object([("party", party.json), ("share", .decimal(share)), ("amount", .decimal(amount))]) }
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
