import PFSModel
import PFSValue

/// `pfs value --explain`: each figure of the value-for-money document as a tree, down to the
/// settlement steps its amounts come from (which `pfs explain --year` opens further).
public enum ValueExplanation {
    public static func render(_ a: ValueAssessment, history: [Settlement], language: Language) -> String {
        guard let last = history.last else { return "" }
        let ja = language == .ja
        func t(_ en: String, _ jaText: String) -> String { ja ? jaText : en }
        func amount(_ value: ExactDecimal) -> String {
            value.formatted(groupingSeparator: ",", minimumFractionDigits: a.amountDigits)
        }
        func shown(_ value: ValueAssessment.Shown, _ style: Cell.Rounded = .amount) -> String {
            Cell.rounded(value.value, exact: value.isExact, as: style).display(language, amountDigits: a.amountDigits)
        }
        func factor(_ value: Rational) -> String {
            guard let rounded = value.rounded(digits: ValueStatement.factorDigits) else { return value.description }
            return Cell.rounded(rounded.value, exact: rounded.exact, as: .number).display(language)
        }
        func yearName(_ year: Int) -> String { FiscalYearName(year, like: last.fiscalYear).display(language) }
        /// 1 ÷ (1 + r)^t for one rate; the product over the schedule's steps otherwise.
        func discount(_ period: Int) -> String {
            let rates = (1...max(1, period)).map { a.schedule.rate(inYear: $0) }
            if period == 0 { return "1" }
            if Set(rates).count == 1, let rate = rates.first {
                return "1 ÷ (1 + \(rate.description))^\(period)"
            }
            return "Π 1 ÷ (1 + r), r = " + rates.map(\.description).joined(separator: ", ")
        }
        let unit = Common.unit(last.amounts).text(language)
        let schedule = ja ? a.schedule.nameJA : a.schedule.name
        var lines = [
            t(
                "\(last.contract.id): value for money to \(yearName(a.asOf)) (amounts in \(unit); \(schedule), year 0 the start of \(yearName(a.baseYear)))",
                "\(last.contract.id)：\(yearName(a.asOf))までの費用対効果（金額の単位：\(unit)、\(schedule)、0年目は\(yearName(a.baseYear))の期首）"),
            t("Net present value to the public sector", "公共の純現在価値（NPV）")
                + " = \(shown(a.netPresentValue)) = \(shown(a.presentBenefit)) − \(shown(a.presentPayments))",
        ]
        let benefitSteps = Dictionary(grouping: history, by: \.fiscalYear.year).mapValues { settlements in
            settlements.flatMap { settlement -> [String] in
                switch a.benefitSource {
                case .attributable: return settlement.projects.map(\.step)
                case .fiscalImprovement: return settlement.kpis.compactMap { $0.fiscalImprovement == nil ? nil : $0.step }
                case .none: return []
                }
            }
        }
        lines.append("├─ " + t("PV benefit", "便益の現在価値") + " \(shown(a.presentBenefit)) = Σ " + t("benefit × factor", "便益 × 割引係数"))
        for (index, year) in a.years.enumerated() {
            let end = index == a.years.count - 1
            lines.append(
                "│  \(end ? "└─" : "├─") \(yearName(year.year)): \(amount(year.benefit)) × \(factor(year.factor)) "
                    + "[\(discount(year.period))] = \(shown(year.presentBenefit))")
            let steps = benefitSteps[year.year] ?? []
            if !steps.isEmpty {
                lines.append(
                    "│  \(end ? "   " : "│  ")   ← " + t("settlement steps ", "精算書の手順 ") + steps.joined(separator: ", ")
                        + " (pfs explain --year \(year.year))")
            }
        }
        lines.append("├─ " + t("PV payments", "支払の現在価値") + " \(shown(a.presentPayments)) = Σ " + t("payments × factor", "支払額 × 割引係数"))
        for (index, year) in a.years.enumerated() {
            let end = index == a.years.count - 1
            let settlement = history.first { $0.fiscalYear.year == year.year }
            lines.append(
                "│  \(end ? "└─" : "├─") \(yearName(year.year)) → \(yearName(year.paymentYear)): \(amount(year.payments)) × "
                    + "\(factor(year.paymentFactor)) [\(discount(year.paymentPeriod))] = \(shown(year.presentPayments))")
            // The assessment added these lines up already: they cannot overflow here.
            for line in (settlement.flatMap { try? DueLine.lines(of: $0) } ?? []) {
                lines.append("│  \(end ? "   " : "│  ")   ← \(line.payer) → \(line.payee) \(line.clause): \(amount(line.amount))")
            }
        }
        if let ratio = a.benefitCostRatio {
            lines.append(
                "└─ " + t("Benefit-cost ratio", "費用便益比（B/C）")
                    + " = \(shown(a.presentBenefit)) ÷ \(shown(a.presentPayments)) = \(shown(ratio, .number))")
        } else {
            lines.append("└─ " + t("Benefit-cost ratio: none", "費用便益比：算定なし"))
        }
        for investment in a.investments {
            let name = ValueStatement.name(investment).text(language)
            let rate = investment.shownRate.map { shown($0, .ratio) } ?? t("none", "算定不能")
            lines.append(
                "\(name): " + t("internal rate of return", "内部収益率") + " \(rate), "
                    + t("multiple", "倍率") + " \(investment.multiple.map { shown($0, .number) } ?? "—")"
                    + " = \(amount(investment.received)) ÷ \(amount(investment.principal))")
            let flows = investment.flows.amounts.sorted { $0.key < $1.key }
            for (index, flow) in flows.enumerated() {
                let when =
                    flow.key == 0
                    ? t("year 0 (principal)", "0年目（元本）")
                    : t("year \(flow.key) (", "\(flow.key)年目（") + yearName(a.baseYear + flow.key - 1) + t(")", "）")
                lines.append("\(index == flows.count - 1 ? "└─" : "├─") \(when): \(amount(flow.value))")
            }
            if let why = ValueStatement.noRate(investment.rateOfReturn) { lines.append("   " + why.text(language)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
