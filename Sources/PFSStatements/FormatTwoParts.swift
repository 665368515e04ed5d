import PFSModel

/// Statement parts for what format 2 adds: what a payment measured and the conditions it
/// was due under, the comparison groups and reference series, and the KPI targets. Each is
/// absent for a contract that declares none of these, so format-1 statements are unchanged.
extension Common {
    /// A note per payment measured as an improvement or paid under conditions: the figures
    /// of the measure, and each condition with its figures and whether it held.
    static func measureNotes(_ payments: [Settlement.PaymentOutcome], _ s: Settlement) -> [Block] {
        var blocks: [Block] = []
        for payment in payments {
            if let measure = payment.measure, let outcome = payment.outcome {
                let how = outcome.sourceText ?? measure
                blocks.append(
                    .note(
                        Phrase(
                            "Payment \(payment.id) is paid on the \(measure): \(how).",
                            // The measure in Japanese; its figures are the payment step's.
                            """
                            支払「\(paymentName(payment).ja)」の成果は\(OutcomeMeasure(description: measure)?.descriptionJA ?? measure)\
                            で測ります（値と算定は手順 \(payment.step)）。
                            """)))
            }
            if let repayment = payment.repayment {
                blocks.append(.note(repaymentNote(payment, repayment, s)))
            }
            if let conditions = payment.conditions, let held = payment.conditionsHeld {
                let texts = conditions.map(\.text).joined(separator: "; ")
                let textsJA = conditions.map(\.textJA).joined(separator: "；")
                blocks.append(
                    .note(
                        Phrase(
                            held
                                ? "Payment \(payment.id) falls due: its conditions hold (\(texts))."
                                : "Payment \(payment.id) pays nothing: its conditions do not hold (\(texts)).",
                            held
                                ? "支払「\(paymentName(payment).ja)」の条件を達成しました（\(textsJA)）。"
                                : "支払「\(paymentName(payment).ja)」の条件が未達成のため、支払はありません（\(textsJA)）。")))
            }
        }
        return blocks
    }

    /// The comparison groups' and reference series' values for the year beside each KPI's
    /// actual value; nil when no KPI declares one.
    static func seriesSection(_ s: Settlement) -> Section? {
        let kpis = s.kpis.filter { !($0.series ?? []).isEmpty }
        guard !kpis.isEmpty else { return nil }
        var table = Table(
            "series",
            [
                Column("kpi", Phrase("KPI", "指標")), Column("series", Phrase("Group or series", "比較群・参照系列")),
                Column("year", Phrase("Year", "年度")), Column("value", Phrase("Value", "値")),
                Column("actual", Phrase("Actual (this contract)", "実績（本契約）")),
                Column("line", Phrase("Line", "行")),
                Column("source", Phrase("Source named by the contract", "契約が示す出典")),
            ])
        for kpi in kpis {
            for series in kpi.series ?? [] {
                let name =
                    series.id == nil
                    ? Phrase(
                        "comparison group: \(series.name.en ?? series.name.ja ?? "")",
                        "比較群：\(series.name.ja ?? series.name.en ?? "")")
                    : Phrase(series.name, fallback: series.id ?? "")
                let source = [series.source, series.figure.source].compactMap { $0 }.joined(separator: "; ")
                table.rows.append([
                    .phrase(Phrase(kpi.name, fallback: kpi.id)), .phrase(name), .fiscalYear(FiscalYearName(s.fiscalYear)),
                    .number(series.figure.value),
                    kpi.actual.map { .number($0.value) } ?? .empty, .integer(series.figure.line), .text(source),
                ])
            }
        }
        return Section(
            "series", Phrase("Comparison groups and reference series", "比較群と参照系列"),
            [
                .table(table),
                .note(
                    Phrase(
                        """
                        An improvement on the comparison group is its value less the actual value where lower is \
                        better (the reverse where higher is better); a relative improvement divides that by the \
                        comparison group's value, computed and compared exactly, shown rounded.
                        """,
                        """
                        比較群に対する改善は、減少が改善指標では比較群の値 − 実績（増加が改善指標では逆）、改善率は\
                        それを比較群の値で割ったものです。厳密に計算・比較し、表示のみ丸めています。
                        """)),
            ])
    }

    /// Each KPI target of the year, as a plan's KPI table shows it: the KPI by its name, what
    /// the target says (and its year, where the plan names one), the baseline, the latest
    /// result and its year, achieved / not achieved / not measured, with each condition's
    /// figures; nil when the contract declares no target for the year.
    static func targetsSection(_ s: Settlement) -> Section? {
        guard let targets = s.targets, !targets.isEmpty else { return nil }
        let withYears = targets.contains { $0.targetYear != nil }
        var columns = [
            Column("kpi", Phrase("KPI", "指標")), Column("what", Phrase("Target", "目標の内容")),
        ]
        if withYears { columns.append(Column("targetYear", Phrase("Target year", "目標年度"))) }
        columns += [
            Column("baseline", Phrase("Baseline", "基準値")), Column("result", Phrase("Result", "実績")),
            Column("resultYear", Phrase("Result of", "実績の年度")), Column("achieved", Phrase("Achieved", "達成状況")),
            Column("figures", Phrase("Conditions and their figures", "条件と数値")), Column("step", Phrase("Step", "手順")),
        ]
        var table = Table("targets", columns)
        // Other years named as the settled one is (令和2年度 beside 令和6年度).
        func yearCell(_ year: Int?) -> Cell { year.map { .fiscalYear(FiscalYearName($0, like: s.fiscalYear)) } ?? .empty }
        for target in targets {
            let achieved: Phrase =
                target.achieved.map { $0 ? Phrase("achieved", "達成") : Phrase("not achieved", "未達成") }
                ?? Phrase("not assessed yet", "未評価")
            let kpi = s.kpis.first { $0.id == target.kpi }.map { Phrase($0.name, fallback: target.kpi) }
                ?? Phrase(verbatim: target.kpi)
            var row: [Cell] = [.phrase(kpi), .phrase(Phrase(target.name, fallback: target.id))]
            if withYears { row.append(yearCell(target.targetYear)) }
            row += [
                target.baseline.map(Cell.declared) ?? noBaseline,
                target.actual.map(Cell.declared) ?? .empty, yearCell(target.resultYear),
                .phrase(achieved),
                .phrase(
                    Phrase(
                        target.conditions.map(\.text).joined(separator: "; "),
                        target.conditions.map(\.textJA).joined(separator: "；"))),
                .text(target.step),
            ]
            table.rows.append(row)
        }
        // Targets not measured yet are neither achieved nor missed: counted apart.
        let measured = targets.filter { $0.achieved != nil }
        let met = measured.filter { $0.achieved == true }.count
        let unmeasured = targets.count - measured.count
        let rest = unmeasured == 0 ? Phrase(verbatim: "") : Phrase("; \(unmeasured) not assessed yet", "。未評価 \(unmeasured) 件")
        return Section(
            "targets", Phrase("KPI targets", "成果指標の目標"),
            [
                .table(table),
                .note(
                    Phrase("\(met) of \(measured.count) targets measured achieved", "測定済みの目標 \(measured.count) 件のうち \(met) 件を達成")
                        + rest
                        + Phrase(
                            ". Each is judged on its KPI's latest result by this year. Targets carry no payment.",
                            "。各目標は本年度までの最新の実績で判定します。目標に支払は伴いません。")),
            ])
    }
}

extension Common {
    /// Where a share of savings stands against its repayment mark, and where its rate changed.
    static func repaymentNote(_ outcome: Settlement.PaymentOutcome, _ r: Settlement.Repayment, _ s: Settlement) -> Phrase {
        let payment = outcome.id
        // Amounts grouped as every amount of the statement is.
        let (mark, paidBefore, paidAfter) = (amountText(r.mark, s), amountText(r.paidBefore, s), amountText(r.paidAfter, s))
        let head = """
            Payment \(payment) passes \(r.rate) of the savings to account \(r.account) until \(mark) is repaid, \
            then \(r.thenRate); it had been paid \(paidBefore) before, \(paidAfter) with this payment
            """
        let headJA = """
            支払「\(paymentName(outcome).ja)」は返済目標 \(mark) まで削減額の\(r.rate.percent)、その後\(r.thenRate.percent)を口座 \(r.account) に支払います。\
            支払済み \(paidBefore)、本支払後 \(paidAfter)
            """
        if let at = r.switchedAtSavings {
            return Phrase(
                head + ". The mark was reached within the year, after \(at) of the \(amountText(r.savings, s)) savings; the rest "
                    + "is shared at \(r.thenRate).",
                headJA
                    + "。本年度の削減額 \(amountText(r.savings, s)) のうち \(at.japaneseApproximation.groupingThousands) の時点で目標に達し、残りは\(r.thenRate.percent)で分配しました。")
        }
        let state = r.paidAfter >= r.mark ? "; the mark is reached." : "."
        let stateJA = r.paidAfter >= r.mark ? "。目標に達しています。" : "。"
        return Phrase(head + state, headJA + stateJA)
    }
}

extension Common {
    /// Per rate card paid this year: the totals per outcome and how many participants the
    /// caps held back; with `lines`, every participant's achievements (the audit trail's
    /// appendix; participants are named by their pseudonymous ids only).
    static func rateCardSections(_ s: Settlement, lines: Bool) -> [Section] {
        (s.payments ?? []).compactMap { payment in
            payment.rateCard.map { card in rateCardSection(card, payment: payment, s, lines: lines) }
        }
    }

    private static func rateCardSection(
        _ card: Settlement.RateCardResult, payment outcome: Settlement.PaymentOutcome, _ s: Settlement, lines: Bool
    ) -> Section {
        let payment = outcome.id
        let paymentJA = paymentName(outcome).ja
        // The order a capped participant's achievements are cut in, as a reader says it.
        let cutOrderJA =
            [
                "last-recorded-first": "記録の新しいものから", "lowest-price-first": "単価の低い成果から",
                "highest-price-first": "単価の高い成果から",
            ][card.cutOrder] ?? card.cutOrder
        var totals = Table(
            "rate-card-\(card.card)",
            [
                Column("name", Phrase("Outcome", "成果")),
                amountColumn("price", Phrase("Price", "単価"), s), Column("achieved", Phrase("Achieved", "達成数")),
                amountColumn("value", Phrase("Value", "金額"), s),
                amountColumn("cut", Phrase("Cut by caps", "上限による減額"), s),
                amountColumn("paid", Phrase("Paid", "支払額"), s),
            ])
        totals.rows = card.outcomes.map { outcome in
            [
                .phrase(Phrase(outcome.name, fallback: outcome.outcome)), .amount(outcome.price),
                .integer(outcome.achieved), .amount(outcome.value), .amount(outcome.cut), .amount(outcome.paid),
            ]
        }
        totals.totals = [
            [
                .phrase(Phrase("Total", "合計")), .empty, .integer(card.outcomes.map(\.achieved).reduce(0, +)),
                sum(card.outcomes.map(\.value)), sum(card.outcomes.map(\.cut)), sum(card.outcomes.map(\.paid)),
            ]
        ]
        let caps = [
            card.capPerYear.map { "\(amountText($0, s)) a year" }, card.capPerTerm.map { "\(amountText($0, s)) over the term" },
        ]
            .compactMap { $0 }.joined(separator: " and ")
        let capsJA = [card.capPerYear.map { "年度 \(amountText($0, s))" }, card.capPerTerm.map { "契約期間 \(amountText($0, s))" }]
            .compactMap { $0 }.joined(separator: "・")
        var blocks: [Block] = [
            .table(totals),
            .note(
                Phrase(
                    """
                    Payment \(payment): \(card.participants) participant\(card.participants == 1 ? "" : "s") achieved \
                    outcomes this year; the cap \
                    per participant (\(caps.isEmpty ? "none" : caps)) held back \(card.participantsCapped) of them, \
                    their achievements cut \(card.cutOrder).
                    """,
                    """
                    支払「\(paymentJA)」：本年度に成果を達成した参加者 \(card.participants) 人のうち \(card.participantsCapped) \
                    人が参加者ごとの上限（\(capsJA.isEmpty ? "なし" : capsJA)）により減額されました（減額の順序：\(cutOrderJA)）。
                    """)),
        ]
        if lines {
            var table = Table(
                "rate-card-\(card.card)-participants",
                [
                    Column("participant", Phrase("Participant (pseudonymous)", "参加者（仮名ID）")),
                    Column("outcome", Phrase("Outcome", "成果")), amountColumn("price", Phrase("Price", "単価"), s),
                    amountColumn("cut", Phrase("Cut by caps", "上限による減額"), s),
                    amountColumn("paid", Phrase("Paid", "支払額"), s),
                    Column("file", Phrase("Recorded in", "記録")), Column("line", Phrase("Line", "行")),
                ])
            table.rows = card.lines.map { line in
                [
                    .text(line.participant), .text(line.outcome), .amount(line.price), .amount(line.cut),
                    .amount(line.paid),
                    line.file.isEmpty ? .phrase(Phrase("the contract", "契約")) : .text(line.file), .integer(line.line),
                ]
            }
            blocks.append(.note(Phrase("Each participant's achievements this year:", "参加者ごとの本年度の達成：")))
            blocks.append(.table(table))
        }
        return Section(
            "rate-card-\(card.card)", Phrase("Rate card \(card.card)", "成果単価表（支払「\(paymentJA)」）"), blocks)
    }
}

extension Common {
    /// A social impact bond's classes of capital this year (format 2): the performance, each
    /// class's rate, return earned, paid and unpaid, principal repaid, lost and outstanding;
    /// nothing for a bond without classes.
    static func classBlocks(_ sib: Settlement.SIBFlows, _ s: Settlement) -> [Block] {
        guard let classes = sib.classes else { return [] }
        var returns = Table(
            "classes",
            [
                Column("class", Phrase("Class", "クラス")), Column("rank", Phrase("Rank", "順位")),
                amountColumn("principal", Phrase("Principal", "元本"), s),
                Column("protected", Phrase("Principal protected", "元本保護")),
                Column("rate", Phrase("Rate this year", "本年度の利率")),
                amountColumn("returnEarned", Phrase("Return earned", "本年度発生の分配金（未払を含む）"), s),
                amountColumn("returnThisYear", Phrase("Return paid", "分配金の支払"), s),
                amountColumn("returnUnpaid", Phrase("Return unpaid to date", "未払分配金累計"), s),
            ])
        returns.rows = classes.map { flow in
            [
                .phrase(Phrase(flow.name, fallback: flow.id)), .integer(flow.rank), .amount(flow.principal),
                .phrase(flow.protected ? Phrase("yes", "あり") : Phrase("no (at risk)", "なし（リスクあり）")),
                flow.rate.map { .phrase(Common.rate($0)) } ?? .text("—"), .amount(flow.returnEarned), .amount(flow.returnThisYear),
                .amount(flow.returnUnpaid),
            ]
        }
        var principal = Table(
            "class-principal",
            [
                Column("class", Phrase("Class", "クラス")),
                amountColumn("principalThisYear", Phrase("Principal repaid", "元本償還"), s),
                amountColumn("principalToDate", Phrase("Principal repaid to date", "元本償還累計"), s),
                amountColumn("loss", Phrase("Principal lost", "元本毀損"), s),
                amountColumn("principalOutstanding", Phrase("Principal outstanding", "元本残高"), s),
            ])
        principal.rows = classes.map { flow in
            [
                .phrase(Phrase(flow.name, fallback: flow.id)), .amount(flow.principalThisYear),
                .amount(flow.principalToDate), .amount(flow.loss), .amount(flow.principalOutstanding),
            ]
        }
        let performance = sib.performance.map(Common.rate) ?? Phrase("not measured", "未測定")
        return [
            .note(
                Phrase(
                    """
                    Performance this year: \(performance.en). Each class is paid in rank order; a loss of principal is \
                    shown as a loss, never as a negative payment.
                    """,
                    "本年度の成果率（改善率）：\(performance.ja)。各クラスへは順位の順に支払い、元本の毀損は負の支払ではなく毀損として示します。")),
            .table(returns), .table(principal),
        ] + lossNotes(sib, s)
    }

    /// Why each class that lost principal lost it: below its floor at maturity (with the
    /// performance and the floor), or unpaid at maturity and not protected.
    static func lossNotes(_ sib: Settlement.SIBFlows, _ s: Settlement) -> [Block] {
        (sib.classes ?? []).filter { $0.loss.signum > 0 }.map { flow in
            let name = Phrase(flow.name, fallback: flow.id)
            let performance = sib.performance.map(Common.rate) ?? Phrase("not measured", "未測定")
            let below = flow.lossBelowFloor ?? .zero
            let unpaid = (try? flow.loss.subtracting(below)) ?? .zero
            var reasons: [Phrase] = []
            if below.signum > 0, let floor = flow.lossFloor {
                let all = flow.totalLossAt.map {
                    Phrase(
                        " (all of it at \($0.formatted()) or below)", "（\($0.percent)以下で全額）")
                } ?? Phrase(verbatim: "")
                reasons.append(
                    Phrase(
                        "\(amountText(below, s)) because the performance \(performance.en) was below its loss floor \(floor.formatted())",
                        "成果率 \(performance.ja) が元本毀損の基準 \(floor.percent) を下回ったため \(amountText(below, s))")
                        + all)
            }
            if unpaid.signum > 0 {
                reasons.append(
                    Phrase(
                        "\(amountText(unpaid, s)) not repaid by maturity, its principal not being protected",
                        "満期までに償還されなかった \(amountText(unpaid, s))（元本保護なし）"))
            }
            return .note(
                Phrase("Class ", "クラス ") + name
                    + Phrase(
                        " lost \(amountText(flow.loss, s)) of its principal at maturity: ",
                        " は満期に元本 \(amountText(flow.loss, s)) を毀損しました：")
                    + Phrase(
                        reasons.map(\.en).joined(separator: "; ") + ".", reasons.map(\.ja).joined(separator: "、") + "。"))
        }
    }
}
