import PFSModel

/// `pfs check --lang ja`: the contract's strings that a Japanese statement prints but that
/// the contract gives only in English — names without `ja`, sources and reasons written in
/// English, units pfs does not know a Japanese word for. Warnings: the statements still
/// settle, but a Japanese reader would meet English in the middle of a Japanese document.
public enum JapaneseTextCheck {
    /// The warnings for `contract`, in declaration order.
    public static func run(_ contract: Contract) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func name(_ text: LocalizedText, _ what: String, at location: SourceLocation) {
            guard !isJapanese(text.ja) else { return }
            diagnostics.append(
                Diagnostic(
                    .warning, check: .japaneseText,
                    message: "\(what) has no Japanese name: Japanese statements print \"\(text.en ?? "")\"",
                    hint: "add ja=\"…\" to its name", at: location))
        }
        func free(_ texts: [(String, SourceLocation)], _ what: String) {
            let english = texts.filter { !isJapanese($0.0) }
            guard let first = english.first else { return }
            let more = english.count > 1 ? " (and \(english.count - 1) more)" : ""
            diagnostics.append(
                Diagnostic(
                    .warning, check: .japaneseText,
                    message: "\(what) \"\(first.0)\"\(more) is only in English: Japanese statements print it as written",
                    hint: "write it in Japanese, or in both languages", at: first.1))
        }
        name(contract.title, "the contract", at: contract.location)
        for party in contract.parties { name(party.name, "party '\(party.id)'", at: party.location) }
        for kpi in contract.kpis {
            name(kpi.name, "KPI '\(kpi.id)'", at: kpi.location)
            if KPI.japaneseUnit(kpi.unit) == nil, !isJapanese(kpi.unit), !KPI.isRate(unit: kpi.unit) {
                diagnostics.append(
                    Diagnostic(
                        .warning, check: .japaneseText,
                        message: "KPI '\(kpi.id)' is counted in \"\(kpi.unit)\", a unit pfs has no Japanese word for",
                        hint: "write the unit in Japanese (人, 件, 日, 千円…)", at: kpi.location))
            }
            let observations = [kpi.baseline] + kpi.expected + kpi.actual + kpi.series.flatMap(\.values)
            free(observations.compactMap { o in o.source.map { ($0, o.location) } }, "KPI '\(kpi.id)': the source")
            free(kpi.notMeasured.map { ($0.reason, $0.location) }, "KPI '\(kpi.id)': the reason not measured")
            for series in kpi.series { name(series.name, "series '\(series.id)' of KPI '\(kpi.id)'", at: series.location) }
        }
        for project in contract.projects { name(project.name, "project '\(project.id)'", at: project.location) }
        for payment in contract.payments { name(payment.name, "payment '\(payment.id)'", at: payment.location) }
        for target in contract.targets { name(target.name, "target '\(target.id)'", at: target.location) }
        for card in contract.rateCards {
            name(card.name, "rate card '\(card.id)'", at: card.location)
            for outcome in card.outcomes {
                name(outcome.name, "outcome '\(outcome.id)' of rate card '\(card.id)'", at: outcome.location)
            }
        }
        for investorClass in contract.sib?.classes ?? [] {
            name(investorClass.name, "investor class '\(investorClass.id)'", at: investorClass.location)
        }
        return diagnostics
    }

    /// Whether `text` has Japanese in it (kana or kanji); a text with none reads as English.
    static func isJapanese(_ text: String?) -> Bool {
        text?.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
            == true
    }
}
