import PFSModel

/// The words pfs writes into INDIGO's free-text fields and reads back on import.
enum IndigoText {
    /// A metric's direction, as `outcome_metric_target` says it.
    static let lowerIsBetter = "Lower is better (pfs direction lower-is-better)"
    static let higherIsBetter = "Higher is better (pfs direction higher-is-better)"

    /// The direction a metric's target text names, if it names one.
    static func direction(_ target: String?) -> Direction? {
        guard let target = target?.lowercased() else { return nil }
        if target.contains("lower-is-better") || target.hasPrefix("lower is better") { return .lowerIsBetter }
        if target.contains("higher-is-better") || target.hasPrefix("higher is better") { return .higherIsBetter }
        return nil
    }

    /// What a metric's notes say its Japanese name is (`Japanese name: 就労継続者数`).
    static let japaneseNamePrefix = "Japanese name: "

    static func japaneseName(in notes: String?) -> String? {
        guard let notes, let range = notes.range(of: japaneseNamePrefix) else { return nil }
        let name = notes[range.upperBound...].prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// A payment rule INDIGO cannot price per unit, said in words (amounts in currency units).
    static func describe(_ payment: Payment, in project: Project) throws(ArithmeticError) -> String {
        let currency = project.currency
        func money(_ amount: ExactDecimal) throws(ArithmeticError) -> String {
            "\(try project.money(amount).formatted(groupingSeparator: ",")) \(currency)"
        }
        let outcome = payment.kpi.map { "the outcome of \($0)" } ?? "the outcome"
        var text: String
        switch payment.rule {
        case .fixed(let amount): text = "Fixed: \(try money(amount))"
        case .perUnit(let price, let baseline):
            text = "\(try money(price)) per unit better than "
                + (baseline.map { "\($0.description)" } ?? "the KPI's baseline")
        case .perUnitBeyond(let price, let baseline, let threshold, let pays):
            text = "\(try money(price)) per unit better than \(baseline.map(\.description) ?? "the baseline"), "
                + "once \(threshold.description) units are reached (\(pays))"
        case .savingsShare(let share):
            text = "Share of savings: \(share.rate.percent) until \(share.account)'s payments repay "
                + "\(try money(share.principal)) with a return of \(share.returnRate.percent), then \(share.thenRate.percent)"
        case .rateCard(let card): text = "Rate card '\(card)': a price per outcome per participant"
        case .perBeneficiary(let price, let cap):
            text = "\(try money(price)) per unit for each beneficiary, at most \(try money(cap)) per beneficiary"
        case .band(let startAt, let fullAt, let amount, let steps):
            text =
                steps.isEmpty
                ? "Band: nothing below \(startAt.description), \(try money(amount)) at \(fullAt.description) or better, "
                    + "in proportion between"
                : "Band: nothing below \(startAt.description), \(try money(amount)) at \(fullAt.description) or better, "
                    + "steps between"
        case .proportional(let target, let amount):
            text = "Proportional: \(try money(amount)) × \(outcome) ÷ \(target.description), at most \(try money(amount))"
        case .tiers(let reference, let tiers):
            var parts: [String] = []
            for tier in tiers { parts.append("\(try money(tier.amount)) from \(tier.from.description) × \(reference.description)") }
            text = "Tiers: " + parts.joined(separator: ", ")
        case .threshold(let at, let inclusive, let amount):
            text = "Threshold: \(try money(amount)) when \(outcome) reaches \(at.description)\(inclusive ? "" : " (exclusive)")"
        }
        if let cap = payment.cap { text += "; capped at \(try money(cap))" }
        if payment.conditions != nil { text += "; only when its conditions hold" }
        return "\(text) (payment \(payment.id), outcome year \(payment.year))"
    }
}
