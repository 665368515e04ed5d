import Foundation
import PFSModel

/// A JSON value built before it is written, for documents whose keys are only known at
/// run time (the sections and tables of ``Document``); its object keys are sorted when
/// written.
indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case bool(Bool)

    /// The JSON text, ending with a newline.
    func serialized() -> String {
        var writer = JSONWriter()
        write(to: &writer)
        return String(decoding: writer.finished(), as: UTF8.self)
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .object(let members):
            // Keys are ASCII identifiers, for which byte order is String order.
            let sorted = members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            writer.object { writer in
                for (key, value) in sorted {
                    writer.key(key)
                    value.write(to: &writer)
                }
            }
        case .array(let elements):
            writer.array(elements) { writer, element in element.write(to: &writer) }
        case .string(let text): writer.string(text)
        case .int(let number): writer.int(number)
        case .bool(let flag): writer.bool(flag)
        }
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
    static func phrase(_ phrase: Phrase) -> JSONValue {
        .object([("en", .string(phrase.en)), ("ja", .string(phrase.ja))])
    }

    static func text(_ text: LocalizedText) -> JSONValue {
        var object = JSONObject()
        object.set("ja", text.ja.map(JSONValue.string))
        object.set("en", text.en.map(JSONValue.string))
        return object.value
    }
}

// The settlement's members below are written in sorted key order, with the same keys and
// layout as its `Codable` encoding.

extension JSONWriter {
    mutating func member(_ name: StaticString, _ text: LocalizedText) {
        member(name) { writer in
            writer.object { writer in
                writer.member("en", text.en)
                writer.member("ja", text.ja)
            }
        }
    }

    mutating func member(_ name: StaticString, _ party: Settlement.PartyReference) {
        member(name) { writer in party.write(to: &writer) }
    }

    mutating func member(_ name: StaticString, _ figure: Settlement.Figure?) {
        guard let figure else { return }
        member(name) { writer in
            writer.object { writer in
                writer.member("element", figure.element)
                writer.member("line", figure.line)
                writer.member("source", figure.sourceText)
                writer.member("value", figure.value)
                writer.member("year", figure.year)
            }
        }
    }

    mutating func member(_ name: StaticString, partyAmounts: [Settlement.PartyAmount]) {
        member(name) { writer in
            writer.array(partyAmounts) { writer, partyAmount in
                writer.object { writer in
                    writer.member("amount", amount: partyAmount.amount)
                    writer.member("party", partyAmount.party)
                    writer.member("share", partyAmount.share)
                }
            }
        }
    }

    mutating func member(_ name: StaticString, partyTotals: [Settlement.PartyTotal]) {
        member(name) { writer in
            writer.array(partyTotals) { writer, total in
                writer.object { writer in
                    writer.member("amount", amount: total.amount)
                    writer.member("party", total.party)
                }
            }
        }
    }
}

extension Settlement {
    func write(to writer: inout JSONWriter, revision: Revision? = nil) {
        writer.object { writer in
            if let administration {
                writer.member("administration") { writer in administration.write(to: &writer) }
            }
            writer.member("amounts") { writer in
                writer.object { writer in
                    writer.member("currency", amounts.currency)
                    writer.member("label", amounts.label)
                    writer.member("scale", amounts.scale)
                }
            }
            if let carriedForward {
                writer.member("carriedForward") { writer in carriedForward.write(to: &writer) }
            }
            writer.member("contract") { writer in
                writer.object { writer in
                    writer.member("digest", contract.digest)
                    writer.member("file", contract.file)
                    writer.member("id", contract.id)
                    writer.member("sha256", contract.sha256)
                    writer.member("title", contract.title)
                }
            }
            writer.member("engine") { writer in
                writer.object { writer in
                    writer.member("name", engine.name)
                    writer.member("version", engine.version)
                }
            }
            writer.member("fiscalYear") { writer in
                writer.object { writer in
                    writer.member("firstDay", fiscalYear.firstDay)
                    writer.member("label", fiscalYear.label)
                    writer.member("labelJA", fiscalYear.labelJA)
                    writer.member("labels", fiscalYear.labels?.rawValue)
                    writer.member("lastDay", fiscalYear.lastDay)
                    if fiscalYear.lastOfTerm == true { writer.member("lastOfTerm", true) }
                    writer.member("year", fiscalYear.year)
                }
            }
            writer.member("format", format)
            writer.member("kpis") { writer in writer.array(kpis) { writer, kpi in kpi.write(to: &writer) } }
            if let paid = paymentTotals {
                writer.member("paymentTotals") { writer in
                    writer.object { writer in
                        writer.member("maximum", amount: paid.maximum)
                        writer.member("minimum", amount: paid.minimum)
                        writer.member("paidBefore", amount: paid.paidBefore)
                        writer.member("paidThisYear", amount: paid.paidThisYear)
                        writer.member("paidToDate", amount: paid.paidToDate)
                        writer.member("remaining", amount: paid.remaining)
                    }
                }
            }
            writer.member("paymentYear") { writer in
                writer.object { writer in
                    writer.member("closingPeriod", paymentYear.closingPeriod)
                    writer.member("firstDay", paymentYear.fiscalYear.firstDay)
                    writer.member("label", paymentYear.fiscalYear.label)
                    writer.member("labelJA", paymentYear.fiscalYear.labelJA)
                    writer.member("labels", paymentYear.fiscalYear.labels?.rawValue)
                    writer.member("lastDay", paymentYear.fiscalYear.lastDay)
                    if paymentYear.fiscalYear.lastOfTerm == true { writer.member("lastOfTerm", true) }
                    writer.member("timing", paymentYear.timing.rawValue)
                    writer.member("year", paymentYear.fiscalYear.year)
                }
            }
            if let payments {
                writer.member("payments") { writer in
                    writer.array(payments) { writer, payment in payment.write(to: &writer) }
                }
            }
            writer.member("projects") { writer in
                writer.array(projects) { writer, project in project.write(to: &writer) }
            }
            if let register {
                writer.member("register") { writer in
                    writer.object { writer in writer.member("authority", register.authority) }
                }
            }
            if let revision {
                writer.member("revision") { writer in
                    writer.object { writer in
                        writer.member("number", revision.number)
                        writer.member("replacedSHA256", revision.replacedSHA256)
                        writer.member("replaces", revision.replaces)
                    }
                }
            }
            if let cap = rewardCap {
                writer.member("rewardCap") { writer in
                    writer.object { writer in
                        writer.member("beforeCap", amount: cap.beforeCap)
                        writer.member("cut", amount: cap.cut)
                        writer.member("maximum", amount: cap.maximum)
                        writer.member("paidBefore", amount: cap.paidBefore)
                        writer.member("remaining", amount: cap.remaining)
                        writer.member("step", cap.step)
                    }
                }
            }
            writer.member("rounding") { writer in
                writer.object { writer in
                    writer.member("increment", rounding.increment)
                    writer.member("mode", rounding.mode.rawValue)
                }
            }
            writer.member("rules") { writer in
                writer.array(rules) { writer, rule in
                    writer.object { writer in
                        writer.member("rule", rule.rule)
                        writer.member("version", rule.version)
                    }
                }
            }
            writer.member("settlementDigest", SettlementDigest.of(self))
            if let sib { writer.member("sib") { writer in sib.write(to: &writer) } }
            writer.member("steps") { writer in writer.array(steps) { writer, step in step.write(to: &writer) } }
            if let targets {
                writer.member("targets") { writer in
                    writer.array(targets) { writer, target in target.write(to: &writer) }
                }
            }
            writer.member("totals") { writer in
                writer.object { writer in
                    writer.member("attributable", amount: totals.attributable)
                    writer.member("byParty", partyTotals: totals.byParty)
                    writer.member("providerRewards", amount: totals.providerRewards)
                    writer.member("publicShare", amount: totals.publicShare)
                }
            }
        }
    }
}

extension Settlement.PartyReference {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("id", id)
            writer.member("name", name)
            writer.member("role", role.rawValue)
        }
    }
}

extension Settlement.KPIOutcome {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("actual", actual)
            writer.member("baseline", baseline)
            writer.member("direction", direction.rawValue)
            writer.member("expected", expected)
            writer.member("fiscalImprovement", amount: fiscalImprovement)
            writer.member("id", id)
            writer.member("improvement", improvement)
            writer.member("name", name)
            if let notMeasured {
                writer.member("notMeasured") { writer in
                    writer.array(notMeasured) { writer, declaration in
                        writer.object { writer in
                            writer.member("line", declaration.line)
                            writer.member("reason", declaration.reason)
                            writer.member("year", declaration.year)
                        }
                    }
                }
            }
            if let series {
                writer.member("series") { writer in
                    writer.array(series) { writer, figure in
                        writer.object { writer in
                            writer.member("figure", figure.figure)
                            writer.member("id", figure.id)
                            writer.member("name", figure.name)
                            writer.member("source", figure.source)
                        }
                    }
                }
            }
            writer.member("status", status.rawValue)
            writer.member("step", step)
            writer.member("unit", unit)
            writer.member("valuePerUnit", valuePerUnit)
            writer.member("valuePerUnitInput", valuePerUnitInput)
        }
    }
}

extension Settlement.ProjectSettlement {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("allocations") { writer in
                writer.array(allocations) { writer, allocation in
                    writer.object { writer in
                        writer.member("amount", amount: allocation.amount)
                        writer.member("clawback", amount: allocation.clawback)
                        writer.member("exact", amount: allocation.exact)
                        writer.member("party", allocation.party)
                        writer.member("receivedRemainder", allocation.receivedRemainder)
                        writer.member("rewardCapCut", amount: allocation.rewardCapCut)
                        writer.member("share", allocation.share)
                        writer.member("step", allocation.step)
                    }
                }
            }
            writer.member("attributable", amount: attributable)
            writer.member("attributions") { writer in
                writer.array(attributions) { writer, attribution in
                    writer.object { writer in
                        writer.member("attributable", amount: attribution.attributable)
                        writer.member("fiscalImprovement", amount: attribution.fiscalImprovement)
                        writer.member("kpi", attribution.kpi)
                        writer.member("share", attribution.share)
                        writer.member("step", attribution.step)
                    }
                }
            }
            writer.member("carriedIn", amount: carriedIn)
            writer.member("carriedOut", amount: carriedOut)
            if let clawbackOwed { writer.member("clawbackOwed", partyTotals: clawbackOwed) }
            writer.member("flooredAtZero", flooredAtZero)
            writer.member("id", id)
            writer.member("name", name)
            writer.member("negativeImprovement", negativeImprovement.rawValue)
            writer.member("netAttributable", amount: netAttributable)
            writer.member("payer", payer)
            writer.member("step", step)
        }
    }
}

extension Settlement.PaymentOutcome {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("amount", amount: amount)
            writer.member("byRule", amount: byRule)
            writer.member("cap", amount: cap)
            if let conditions {
                writer.member("conditions") { writer in
                    writer.array(conditions) { writer, condition in condition.write(to: &writer) }
                }
            }
            if let conditionsHeld { writer.member("conditionsHeld", conditionsHeld) }
            writer.member("cutByCaps", amount: cutByCaps)
            writer.member("id", id)
            writer.member("kpi", kpi)
            writer.member("measure", measure)
            writer.member("name", name)
            writer.member("outcome", outcome)
            writer.member("payees", partyAmounts: payees)
            writer.member("payers", partyAmounts: payers)
            if let rateCard { writer.member("rateCard") { writer in rateCard.write(to: &writer) } }
            if let repayment {
                writer.member("repayment") { writer in
                    writer.object { writer in
                        writer.member("account", repayment.account)
                        writer.member("mark", amount: repayment.mark)
                        writer.member("paidAfter", amount: repayment.paidAfter)
                        writer.member("paidBefore", amount: repayment.paidBefore)
                        writer.member("rate", repayment.rate)
                        writer.member("savings", amount: repayment.savings)
                        writer.member("switchedAtSavings", repayment.switchedAtSavings)
                        writer.member("thenRate", repayment.thenRate)
                    }
                }
            }
            writer.member("rule", rule)
            writer.member("step", step)
        }
    }

}

extension Settlement.Step {
    func write(to writer: inout JSONWriter) {
        let words = words
        writer.object { writer in
            writer.member("description", words.description)
            writer.member("descriptionJA", words.descriptionJA)
            writer.member("formula", words.formula)
            writer.member("formulaJA", words.formulaJA)
            writer.member("id", id)
            writer.member("reads") { writer in
                writer.array(reads) { writer, reading in
                    writer.object { writer in
                        writer.member("kpi", reading.kpi)
                        writer.member("measure", reading.measure.rawValue)
                        writer.member("year", reading.year)
                    }
                }
            }
            writer.member("result", result)
            writer.member("uses") { writer in writer.array(uses) { writer, use in writer.string(use) } }
        }
    }
}

/// The JSON statement: the ``Settlement`` encoded with sorted keys, amounts as decimal
/// strings. Stable byte for byte for the same settlement.
public enum JSONStatement {
    /// Encodes a settlement.
    public static func render(_ settlement: Settlement) -> String { String(decoding: bytes(settlement), as: UTF8.self) }

    /// Encodes a settlement as the UTF-8 bytes of its file (no String in between: a large
    /// contract's statements are megabytes each).
    public static func bytes(_ settlement: Settlement, revision: Revision? = nil) -> [UInt8] {
        var writer = JSONWriter(capacity: estimatedSize(settlement))
        writer.amountDigits = Common.amountDigits(settlement.amounts)
        settlement.write(to: &writer, revision: revision)
        return writer.finished()
    }

    /// Encodes several settlements (e.g. every year of a term) as one JSON array.
    public static func render(_ settlements: [Settlement]) -> String {
        var writer = JSONWriter(capacity: settlements.reduce(0) { $0 + estimatedSize($1) })
        writer.array(settlements) { writer, settlement in
            writer.amountDigits = Common.amountDigits(settlement.amounts)
            settlement.write(to: &writer)
        }
        return String(decoding: writer.finished(), as: UTF8.self)
    }

    /// Room for a statement, so that a large one is not copied again and again as it grows:
    /// a KPI or a step takes about 600–900 bytes (shipped contracts and the benchmark's).
    private static func estimatedSize(_ settlement: Settlement) -> Int {
        16_384 + 1_024
            * (settlement.kpis.count + settlement.steps.count + settlement.projects.count
                + (settlement.payments?.count ?? 0))
    }
}

extension Settlement.CarriedForward {
    func write(to writer: inout JSONWriter) {
        func amounts(_ list: [Settlement.ProjectAmount], into writer: inout JSONWriter) {
            writer.array(list) { writer, entry in
                writer.object { writer in
                    writer.member("amount", amount: entry.amount)
                    writer.member("party", entry.party)
                    writer.member("project", entry.project)
                }
            }
        }
        writer.object { writer in
            if let clawbacksOwed { writer.member("clawbacksOwed") { writer in amounts(clawbacksOwed, into: &writer) } }
            if let paidByPayer { writer.member("paidByPayer", partyTotals: paidByPayer) }
            writer.member("paymentsPaid", amount: paymentsPaid)
            writer.member("rewardsPaid", amount: rewardsPaid)
            if let shortfalls { writer.member("shortfalls") { writer in amounts(shortfalls, into: &writer) } }
        }
    }
}
