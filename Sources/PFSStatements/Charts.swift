import PFSModel

/// The charts statements carry: per KPI its baseline, expected and actual values across the
/// settled years; per payment its curve (outcome → payment) with this year's outcome; per
/// contract the payments to date against the maximum.
enum Charts {
    /// The charts of a document of the last year of `history`.
    static func of(_ kind: DocumentKind, history: [Settlement], curves: [PaymentCurve]) -> [Chart] {
        guard let settlement = history.last else { return [] }
        switch kind {
        case .settlement: return kpis(history) + payments(settlement, curves: curves) + cumulative(history)
        case .audit: return kpis(history) + payments(settlement, curves: curves)
        case .payout: return cumulative(history)
        case .adjustment: return []
        case .value: return []  // ValueStatement draws its own
        }
    }

    static let year = Phrase("Fiscal year", "年度")

    /// A figure as the descriptions print it: thousands grouped.
    static func g(_ value: ExactDecimal) -> String { value.formatted(groupingSeparator: ",") }

    /// Per KPI: baseline, expected and actual for every settled year, the last marked.
    static func kpis(_ history: [Settlement]) -> [Chart] {
        guard let last = history.last else { return [] }
        return last.kpis.map { kpi in
            let years = history.map { settlement in
                (
                    year: settlement.fiscalYear,
                    outcome: settlement.kpis.first { $0.id == kpi.id }
                )
            }
            // A plan's KPI may have no baseline: then none is drawn or named.
            let baseline = kpi.baseline?.value
            var expected: [Chart.Point] = []
            var actual: [Chart.Point] = []
            var rows: [[Cell]] = []
            for (year, outcome) in years {
                let x = ExactDecimal(year.year)
                if let value = outcome?.expected?.value { expected.append(Chart.Point(x: x, y: value)) }
                if let value = outcome?.actual?.value { actual.append(Chart.Point(x: x, y: value)) }
                rows.append([
                    .fiscalYear(FiscalYearName(year)), baseline.map(Cell.number) ?? .empty,
                    outcome?.expected.map { .number($0.value) } ?? .empty,
                    outcome?.actual.map { .number($0.value) } ?? .empty,
                ])
            }
            let name = Phrase(kpi.name, fallback: kpi.id)
            let settledYear = last.fiscalYear.year
            let first = ExactDecimal(
                min(kpi.baseline?.year ?? settledYear, history.first?.fiscalYear.year ?? settledYear))
            let baselineText = kpi.baseline.map {
                Phrase(" baseline \(g($0.value)) (FY\($0.year)).", "基準値 \(g($0.value))（\($0.year)年度）。")
            } ?? Phrase(verbatim: "")
            let lastX = ExactDecimal(settledYear)
            let expectedText = kpi.expected.map { g($0.value) } ?? "—"
            let actualText = kpi.actual.map { g($0.value) } ?? "—"
            let thisYear = Phrase(
                "FY\(settledYear): expected \(expectedText), actual \(actualText)",
                "\(settledYear)年度：見込み \(expectedText)、実績 \(actualText)"
            )
            return Chart(
                key: "kpi-\(kpi.id)",
                title: Phrase("KPI \(name.en): baseline, expected and actual by year", "指標「\(name.ja)」の基準値・見込み・実績"),
                description: Phrase(
                    """
                    \(name.en) (\(kpi.unit), \(kpi.direction == .higherIsBetter ? "higher" : "lower") is better) from \
                    FY\(history.first?.fiscalYear.year ?? settledYear) to FY\(settledYear), the settled year marked;\
                    \(baselineText.en) \(thisYear.en).
                    """,
                    """
                    \(name.ja)（\(UnitName.phrase(kpi.unit).ja)、\(kpi.direction == .higherIsBetter ? "高いほど" : "低いほど")良い）の \
                    \(history.first?.fiscalYear.year ?? settledYear)年度から\(settledYear)年度まで（精算年度に印）。\
                    \(baselineText.ja)\(thisYear.ja)。
                    """),
                xIsYear: true, xLabel: year, yLabel: UnitName.phrase(kpi.unit),
                series: [
                    // The baseline year's value, held flat to the settled year.
                    Chart.Series(
                        Phrase(
                            "Baseline (FY\(kpi.baseline?.year ?? settledYear))",
                            "基準値（\(kpi.baseline?.year ?? settledYear)年度）"),
                        baseline.map { [Chart.Point(x: first, y: $0), Chart.Point(x: lastX, y: $0)] } ?? [],
                        markers: false),
                    Chart.Series(Phrase("Expected (counterfactual)", "見込み（事業なし）"), expected),
                    Chart.Series(Phrase("Actual", "実績"), actual),
                ].filter { !$0.points.isEmpty },
                marks: [Chart.Mark(.x, lastX, Phrase("settled", "精算年度"))],
                table: Table(
                    "chart-kpi-\(kpi.id)",
                    [
                        Column("year", year), Column("baseline", Phrase("Baseline", "基準値")),
                        Column("expected", Phrase("Expected", "見込み")), Column("actual", Phrase("Actual", "実績")),
                    ], rows: rows))
        }
    }

    /// Per payment of the year with a curve: the rule's payment across outcomes, the cap,
    /// and this year's outcome marked.
    static func payments(_ settlement: Settlement, curves: [PaymentCurve]) -> [Chart] {
        curves.compactMap { curve in
            guard let payment = settlement.payments?.first(where: { $0.id == curve.payment }) else { return nil }
            let name = Phrase(payment.name, fallback: payment.id)
            // The KPI by its name in the statement's language, not by its id.
            let kpi =
                payment.kpi.map { id in settlement.kpis.first { $0.id == id }.map { Phrase($0.name, fallback: id) } ?? Phrase(verbatim: id) }
                ?? Phrase(verbatim: "—")
            var marks: [Chart.Mark] = []
            if let outcome = payment.outcome?.value {
                marks.append(
                    Chart.Mark(
                        .x, outcome,
                        Phrase(
                            "FY\(settlement.fiscalYear.year): \(outcome)", "\(settlement.fiscalYear.year)年度：\(outcome)")
                    ))
            }
            if let cap = curve.cap { marks.append(Chart.Mark(.y, cap, Phrase("cap \(g(cap))", "上限 \(g(cap))"))) }
            let rows: [[Cell]] =
                (curve.marks + (payment.outcome.map { [$0.value] } ?? [])).sorted().reduce(into: [ExactDecimal]()) {
                    if $0.last != $1 { $0.append($1) }
                }.map { outcome in
                    let amount = curve.points.last { $0.outcome == outcome }?.amount ?? .zero
                    return [.number(outcome), .amount(amount)]
                }
            return Chart(
                key: "payment-\(payment.id)",
                title: Phrase("Payment \(name.en): outcome and payment", "支払「\(name.ja)」：成果と支払額"),
                description: Phrase(
                    """
                    What the rule (\(payment.rule)) pays for each outcome of KPI \(kpi.en)\
                    \(curve.cap.map { ", at most \(g($0))" } ?? ""); FY\(settlement.fiscalYear.year)'s outcome \
                    \(payment.outcome.map { g($0.value) } ?? "—") gives \(g(payment.byRule)) by the rule, \
                    \(g(payment.amount)) paid.
                    """,
                    """
                    規則（\(PaymentRule.kindJA(of: payment.rule))）が指標「\(kpi.ja)」の成果ごとに支払う額\
                    \(curve.cap.map { "（上限 \(g($0))）" } ?? "")。\(settlement.fiscalYear.year)年度の成果 \
                    \(payment.outcome.map { g($0.value) } ?? "—") で規則上 \(g(payment.byRule))、支払 \(g(payment.amount))。
                    """),
                xIsYear: false, xLabel: Phrase("Outcome (\(kpi.en))", "成果（\(kpi.ja)）"),
                yLabel: Phrase("Payment", "支払額"),
                series: [
                    Chart.Series(
                        Phrase("Payment by the rule", "規則による支払額"),
                        curve.points.map { Chart.Point(x: $0.outcome, y: $0.amount) }, markers: false)
                ],
                marks: marks,
                table: Table(
                    "chart-payment-\(payment.id)",
                    [Column("outcome", Phrase("Outcome", "成果")), Column("payment", Phrase("Payment", "支払額"))],
                    rows: rows))
        }
    }

    /// Everything due under the contract, year by year and added up, against its maximum
    /// (payments' or rewards') when it has one.
    static func cumulative(_ history: [Settlement]) -> [Chart] {
        guard let last = history.last else { return [] }
        var total = ExactDecimal.zero
        var points: [Chart.Point] = []
        var rows: [[Cell]] = []
        for settlement in history {
            guard let lines = try? DueLine.lines(of: settlement),
                let due = try? ExactDecimal.sum(lines.map(\.amount)),
                let sum = try? total.adding(due)
            else { return [] }
            total = sum
            points.append(Chart.Point(x: ExactDecimal(settlement.fiscalYear.year), y: total))
            rows.append([.fiscalYear(FiscalYearName(settlement.fiscalYear)), .amount(due), .amount(total)])
        }
        let maximum = last.paymentTotals?.maximum ?? last.rewardCap?.maximum
        let of = last.paymentTotals?.maximum != nil ? Phrase("payments", "支払") : Phrase("rewards", "報酬")
        return [
            Chart(
                key: "cumulative",
                title: Phrase("Due to date against the maximum", "累計支払額と上限"),
                description: Phrase(
                    """
                    Everything due under the contract, added up year by year: \(g(total)) to FY\(last.fiscalYear.year)\
                    \(maximum.map { "; the maximum of \(of.en) is \(g($0))" } ?? "; the contract sets no maximum").
                    """,
                    """
                    契約による支払額の年度ごとの累計：\(last.fiscalYear.year)年度までに \(g(total))\
                    \(maximum.map { "。\(of.ja)の上限は \(g($0))" } ?? "。上限の定めなし")。
                    """),
                xIsYear: true, xLabel: year, yLabel: Phrase("Amount", "金額"),
                series: [Chart.Series(Phrase("Due to date", "累計"), points)],
                marks: maximum.map { [Chart.Mark(.y, $0, Phrase("maximum \(g($0))", "上限 \(g($0))"))] } ?? [],
                table: Table(
                    "chart-cumulative",
                    [
                        Column("year", year), Column("due", Phrase("Due in the year", "年度の支払額")),
                        Column("toDate", Phrase("Due to date", "累計")),
                    ], rows: rows))
        ]
    }
}
