import PFSModel
import PFSValue

/// The value-for-money workbook: the document as its first sheet, and a calculation sheet
/// whose every present value, total, net present value, benefit-cost ratio, cost per
/// outcome, money multiple and rate of return is a live formula over the amounts and the
/// schedule's rates — LibreOffice recalculates them to the document's figures.
public enum ValueWorkbook {
    /// Decimals a spreadsheet number format shows at most (``Workbook/numberStyle(_:bold:)``).
    static let styleDigits = 4
    /// Places a discount factor is rounded to: far below any amount's last place, so the
    /// present values made from it round as the exact ones do.
    static let factorDigits = 12

    public static func workbook(_ document: Document, _ a: ValueAssessment, language: Language) -> Workbook {
        var sheets = XLSXStatement.workbook(document, language: language).sheets
        sheets.append(calculation(a, language: language))
        return Workbook(sheets: sheets)
    }

    static func calculation(_ a: ValueAssessment, language: Language) -> Workbook.Sheet {
        func t(_ en: String, _ ja: String, bold: Bool = false) -> Workbook.Cell {
            .text(language == .ja ? ja : en, bold: bold)
        }
        func int(_ value: Int) -> Workbook.Cell { .number(ExactDecimal(value), decimals: 0) }
        func amount(_ value: ExactDecimal) -> Workbook.Cell { .number(value, decimals: a.amountDigits) }
        /// `ROUND(expression, digits)`: a spreadsheet rounds half away from zero, as pfs shows
        /// the exact value, so the two agree to the last place shown.
        func formula(_ text: String, _ exact: Rational, digits: Int, bold: Bool = false) -> Workbook.Cell {
            .formula(
                "ROUND(\(text),\(digits))", expected: exact.rounded(digits: digits)?.value ?? .zero,
                decimals: min(digits, styleDigits), bold: bold)
        }
        var rows: [[Workbook.Cell]] = [[t("Calculation", "計算", bold: true)], []]
        // The schedule: each step's first year and rate, which the factors refer to.
        rows.append([t("Discount rate schedule", "割引率", bold: true)])
        rows.append([t("From year", "適用開始（年目）", bold: true), t("Rate", "割引率", bold: true)])
        var rateCells: [(from: Int, cell: String)] = []
        for step in a.schedule.steps {
            rows.append([int(step.from), .number(step.rate, decimals: nil)])
            rateCells.append((step.from, "$B$\(rows.count)"))
        }
        /// 1 ÷ Π (1 + rate) over years 1 to the period in `periodCell`, step by step.
        func factorFormula(_ periodCell: String) -> String {
            rateCells.enumerated().map { index, step in
                let next = index + 1 < rateCells.count ? rateCells[index + 1].from : nil
                let reach = next.map { "MIN(\(periodCell),\($0 - 1))" } ?? periodCell
                return "POWER(1+\(step.cell),-MAX(0,\(reach)-\(step.from)+1))"
            }.joined(separator: "*")
        }
        rows.append([])
        rows.append([t("Year by year", "年度別の便益と支払", bold: true)])
        rows.append(
            [
                t("Outcome year", "成果対象年度"), t("Benefit period", "便益の年目"), t("Payment period", "支払の年目"),
                t("Benefit", "便益"), t("Payments", "支払額"), t("Factor (benefit)", "割引係数（便益）"),
                t("Factor (payment)", "割引係数（支払）"), t("PV benefit", "便益の現在価値"), t("PV payments", "支払の現在価値"),
                t("PV net", "純便益の現在価値"),
            ].map { cell in
                if case .text(let text, _) = cell { return .text(text, bold: true) }
                return cell
            })
        let first = rows.count + 1
        for year in a.years {
            let r = rows.count + 1
            rows.append([
                int(year.year), int(year.period), int(year.paymentPeriod), amount(year.benefit), amount(year.payments),
                formula(factorFormula("B\(r)"), year.factor, digits: factorDigits),
                formula(factorFormula("C\(r)"), year.paymentFactor, digits: factorDigits),
                formula("D\(r)*F\(r)", year.presentBenefit.exact, digits: a.amountDigits),
                formula("E\(r)*G\(r)", year.presentPayments.exact, digits: a.amountDigits),
                formula("D\(r)*F\(r)-E\(r)*G\(r)", year.presentNet.exact, digits: a.amountDigits),
            ])
        }
        let last = rows.count
        func column(_ letter: String) -> String { "\(letter)\(first):\(letter)\(last)" }
        // Totals discount the amounts, not the rounded present values above them.
        let benefit = "SUMPRODUCT(\(column("D")),\(column("F")))"
        let payments = "SUMPRODUCT(\(column("E")),\(column("G")))"
        func sum(_ text: String, _ exact: Rational) -> Workbook.Cell {
            formula(text, exact, digits: a.amountDigits, bold: true)
        }
        rows.append([
            t("Total", "合計", bold: true), .empty, .empty, sum("SUM(\(column("D")))", Rational(a.totalBenefit)),
            sum("SUM(\(column("E")))", Rational(a.totalPayments)), .empty, .empty,
            sum(benefit, a.presentBenefit.exact), sum(payments, a.presentPayments.exact),
            sum("\(benefit)-\(payments)", a.netPresentValue.exact),
        ])
        rows.append([])
        rows.append([
            t("Net present value to the public sector", "公共の純現在価値（NPV）", bold: true),
            formula("\(benefit)-\(payments)", a.netPresentValue.exact, digits: a.amountDigits, bold: true),
        ])
        if let ratio = a.benefitCostRatio {
            rows.append([
                t("Benefit-cost ratio", "費用便益比（B/C）", bold: true),
                formula("\(benefit)/\(payments)", ratio.exact, digits: ValueAssessment.ratioDigits, bold: true),
            ])
        }
        let costs = a.outcomeCosts.filter { $0.costPerOutcome != nil }
        if !costs.isEmpty {
            rows += [[], [t("Cost per outcome", "成果1単位当たりの費用", bold: true)]]
            rows.append([
                t("KPI", "成果指標", bold: true), t("Outcomes achieved", "成果（累計）", bold: true),
                t("Payments tied to it", "対応する支払額", bold: true), t("Cost per unit", "1単位当たり", bold: true),
            ])
            for cost in costs {
                guard let shown = cost.costPerOutcome else { continue }
                let r = rows.count + 1
                rows.append([
                    .text(cost.kpi), .number(cost.achieved, decimals: nil), amount(cost.payments),
                    formula("C\(r)/B\(r)", shown.exact, digits: a.amountDigits + 2),
                ])
            }
        }
        if !a.future.isEmpty {
            rows += [[], [t("Future payments (budget envelope)", "今後の支払見込み（予算の範囲）", bold: true)]]
            rows.append([
                t("Outcome year", "成果対象年度", bold: true), t("Payment period", "支払の年目", bold: true),
                t("Least", "最小", bold: true), t("Most", "最大", bold: true), t("Factor", "割引係数", bold: true),
                t("PV least", "最小の現在価値", bold: true), t("PV most", "最大の現在価値", bold: true),
            ])
            for year in a.future {
                let r = rows.count + 1
                rows.append([
                    int(year.year), int(year.paymentPeriod), amount(year.least),
                    year.most.map(amount) ?? t("no cap", "上限なし"),
                    formula(factorFormula("B\(r)"), year.factor, digits: factorDigits),
                    formula("C\(r)*E\(r)", year.presentLeast.exact, digits: a.amountDigits),
                    year.presentMost.map { formula("D\(r)*E\(r)", $0.exact, digits: a.amountDigits) }
                        ?? t("no cap", "上限なし"),
                ])
            }
        }
        if !a.investments.isEmpty { rows += investors(a, language: language, from: rows.count, t: t) }
        return Workbook.Sheet(
            name: language == .ja ? "計算" : "Calculation", rows: rows,
            widths: [30] + Array(repeating: 16, count: max(9, a.investments.count)))
    }

    /// Each investment's flows by period (0 to the last, none left out, as IRR needs), its
    /// multiple and its rate of return as formulas over them.
    static func investors(
        _ a: ValueAssessment, language: Language, from start: Int,
        t: (String, String, Bool) -> Workbook.Cell
    ) -> [[Workbook.Cell]] {
        var rows: [[Workbook.Cell]] = [[], [t("Investors' cash flows", "資金提供者のキャッシュフロー", true)]]
        rows.append(
            [t("Year", "年目", true)]
                + a.investments.map { .text(ValueStatement.name($0).text(language), bold: true) })
        let lastPeriod = a.investments.flatMap { $0.flows.amounts.keys }.max() ?? 0
        let first = start + rows.count + 1
        for period in 0...lastPeriod {
            rows.append(
                [.number(ExactDecimal(period), decimals: 0)]
                    + a.investments.map { .number($0.flows.amounts[period] ?? .zero, decimals: a.amountDigits) })
        }
        let last = start + rows.count
        func range(_ column: Int) -> String {
            let letter = Workbook.column(column + 1)
            return "\(letter)\(first):\(letter)\(last)"
        }
        let digits = a.rateDigits
        let multipleDigits = ValueAssessment.ratioDigits
        rows.append(
            [t("Money multiple", "倍率（回収額÷元本）", true)]
                + a.investments.enumerated().map { column, investment in
                    guard let multiple = investment.multiple else { return .empty }
                    return .formula(
                        "ROUND(SUMIF(\(range(column)),\">0\")/-SUMIF(\(range(column)),\"<0\"),\(multipleDigits))",
                        expected: multiple.exact.rounded(digits: multipleDigits)?.value ?? .zero,
                        decimals: multipleDigits)
                })
        rows.append(
            [t("Internal rate of return", "内部収益率（IRR）", true)]
                + a.investments.enumerated().map { column, investment in
                    switch investment.rateOfReturn {
                    case .exact(let rate), .approximately(let rate):
                        return .formula(
                            "ROUND(IRR(\(range(column))),\(digits))",
                            expected: rate.rounded(digits: digits)?.value ?? .zero, decimals: min(digits, styleDigits))
                    case .noRoot: return t("none", "なし", false)
                    case .severalRoots(let count): return t("\(count) rates", "\(count)つの率", false)
                    case .touchesZero: return t("touches zero", "0に接するのみ", false)
                    }
                })
        return rows
    }
}
