import PFSModel

/// The audit trail for the third-party evaluator: every input with where it came from,
/// every ratio, every intermediate value and rounding in order, and the tie-outs, so the
/// whole calculation can be redone by hand.
public enum AuditTrail {
    /// Builds the document.
    public static func document(_ s: Settlement) -> Document {
        let year = FiscalYearName(s.fiscalYear)
        return Document(
            kind: .audit, title: Phrase("Audit trail — \(year.display(.en))", "算定根拠書（計算過程の検証用） — \(year.display(.ja))"),
            settlement: s, header: Common.header(s),
            sections: numbered(
                [inputs(s)] + [Common.seriesSection(s), Common.targetsSection(s)].compactMap { $0 }
                    + [ratios(s), calculation(s), tieOuts(s)] + (carriedForward(s).map { [$0] } ?? [])
                    + Common.rateCardSections(s, lines: true) + [rules(s)]) + [Common.technicalSection(s)])
    }

    /// The parts after the overview (1 事業概要), numbered from 2 as a municipal document
    /// numbers them, the last ending 「以上」.
    static func numbered(_ sections: [Section]) -> [Section] {
        Common.closed(
            sections.enumerated().map { index, section in
                Section(section.key, Phrase(verbatim: "\(index + 2) ") + section.title, section.blocks)
            })
    }

    /// Every declared value the settlement read, with its line, element and named source.
    static func inputs(_ s: Settlement) -> Section {
        var table = Table(
            "inputs",
            [
                Column("kpi", Phrase("KPI", "指標")), Column("measure", Phrase("Value", "区分")),
                Column("year", Phrase("Year", "年度")),
                Column("value", Phrase("Value", "値")), Column("unit", Phrase("Unit", "単位")),
                Column("line", Phrase("Line", "行")),
                Column("element", Phrase("Element", "要素")),
                Column("source", Phrase("Source named by the contract", "契約が示す出典")),
            ])
        // Every value a step reads is one of these (Settlement.figure(_:)).
        for kpi in s.kpis {
            for (measure, figure) in [
                (Settlement.Measure.baseline, kpi.baseline), (.expected, kpi.expected), (.actual, kpi.actual),
                (.valuePerUnit, kpi.valuePerUnitInput), (.comparison, kpi.series?.first { $0.id == nil }?.figure),
            ] {
                guard let figure else { continue }
                // A value per unit is an amount per unit of the KPI.
                let amountUnit = Common.unit(s.amounts)
                let unit: Cell =
                    measure == .valuePerUnit
                    ? .phrase(Phrase("\(amountUnit.en) per \(kpi.unit)", "\(amountUnit.ja)／\(UnitName.phrase(kpi.unit).ja)"))
                    : .phrase(UnitName.phrase(kpi.unit))
                table.rows.append(inputRow(kpi, figure, Common.measureName(measure), unit: unit, s))
            }
        }
        return Section(
            "inputs", Phrase("Inputs (file \(s.contract.file))", "入力値（ファイル \(s.contract.file)）"),
            [.table(table)] + Common.notMeasuredNotes(s))
    }

    private static func inputRow(
        _ kpi: Settlement.KPIOutcome, _ figure: Settlement.Figure, _ name: Phrase, unit: Cell, _ s: Settlement
    ) -> [Cell] {
        // The KPI by name, the year as the statement names years; the element path beside
        // them is the one place the ids stay, to find the value in the file.
        [
            .phrase(Phrase(kpi.name, fallback: kpi.id)),
            .phrase(name), .fiscalYear(FiscalYearName(figure.year, like: s.fiscalYear)), .number(figure.value), unit,
            .integer(figure.line),
            figure.element.map(Cell.text) ?? .empty,
            .phrase(figure.source.map { Phrase(verbatim: $0) } ?? Phrase("(no source given)", "（出典の記載なし）")),
        ]
    }

    /// Every ratio the calculation used: attributed shares, profit shares, payment splits.
    static func ratios(_ s: Settlement) -> Section {
        var table = Table(
            "ratios",
            [
                Column("clause", Phrase("Clause", "支払項目")), Column("of", Phrase("Of", "対象")),
                Column("party", Phrase("Party", "当事者")),
                Column("ratio", Phrase("Ratio", "比率")),
            ])
        for project in s.projects {
            for attribution in project.attributions {
                table.rows.append([
                    .phrase(Phrase(project.name, fallback: project.id)),
                    .phrase(
                        Phrase("fiscal improvement of ", "")
                            + Common.kpiName(attribution.kpi, s) + Phrase("", "の財政効果")),
                    .empty, .ratio(attribution.share),
                ])
            }
            for allocation in project.allocations {
                table.rows.append([
                    .phrase(Phrase(project.name, fallback: project.id)), .phrase(Phrase("amount to split", "配分対象額")),
                    .phrase(Common.partyName(allocation.party)),
                    .ratio(allocation.share),
                ])
            }
        }
        for payment in s.payments ?? [] {
            for payer in payment.payers where payment.payers.count > 1 {
                table.rows.append([
                    .phrase(Phrase(payment.name, fallback: payment.id)), .phrase(Phrase("payment, paid by", "支払の負担")),
                    .phrase(Common.partyName(payer.party)),
                    .ratio(payer.share),
                ])
            }
            for payee in payment.payees where payment.payees.count > 1 {
                table.rows.append([
                    .phrase(Phrase(payment.name, fallback: payment.id)), .phrase(Phrase("payment, received by", "支払の受取")),
                    .phrase(Common.partyName(payee.party)),
                    .ratio(payee.share),
                ])
            }
        }
        var blocks: [Block] = [.table(table)]
        if table.rows.isEmpty { blocks = [.note(Phrase("No ratio applies this year.", "本年度に適用される比率はありません。"))] }
        return Section("ratios", Phrase("Ratios", "比率"), blocks)
    }

    /// The steps in calculation order; amounts stay exact until a step rounds them.
    static func calculation(_ s: Settlement) -> Section {
        var table = Table(
            "steps",
            [
                Column("step", Phrase("Step", "手順")), Column("what", Phrase("What", "内容")),
                Column("formula", Phrase("Formula", "計算式")),
                Column("result", Phrase("Result", "結果")), Column("uses", Phrase("Uses", "参照手順")),
                Column("reads", Phrase("Reads (line)", "入力値（行）")),
            ])
        table.rows = s.steps.map { step in
            [
                .text(step.id), .phrase(Phrase(step.words.description, step.words.descriptionJA)),
                .phrase(Common.formula(step)), .number(step.result),
                .text(step.uses.joined(separator: ", ")),
                .phrase(
                    Phrase.joined(
                        step.reads.map { reading in
                            let line = s.figure(reading).map { String($0.line) } ?? "?"
                            let measure = Common.measureName(reading.measure)
                            let year = FiscalYearName(reading.year, like: s.fiscalYear).display(.ja)
                            return Phrase(
                                "\(reading.kpi) \(measure.en) \(reading.year) (\(line))",
                                "\(Common.kpiName(reading.kpi, s).ja) \(measure.ja) \(year)（\(line)行）")
                        }, separator: ", ")),
            ]
        }
        return Section(
            "calculation", Phrase("Calculation, in order", "計算過程（順序どおり）"),
            [
                .note(
                    Phrase(
                        "Amounts are exact until a step says they are rounded; \(Common.rounding(s.rounding, s.amounts).en).",
                        "金額は端数処理と明記した手順まで厳密値です。\(Common.rounding(s.rounding, s.amounts).ja)。")),
                .table(table),
            ])
    }

    /// Sums that must tie out, each checked.
    static func tieOuts(_ s: Settlement) -> Section {
        var table = Table(
            "tieOuts",
            [
                Column("check", Phrase("Check", "検算項目")), Column("parts", Phrase("Sum of parts", "内訳の合計")),
                Column("total", Phrase("Total", "合計")), Column("result", Phrase("Result", "結果")),
            ])
        func add(_ what: Phrase, _ parts: [ExactDecimal], _ total: ExactDecimal) {
            let sum = try? ExactDecimal.sum(parts)
            table.rows.append([
                .phrase(what), sum.map(Cell.amount) ?? .empty, .amount(total),
                .phrase(sum == total ? Phrase("ties out", "一致") : Phrase("DOES NOT TIE OUT", "不一致")),
            ])
        }
        for project in s.projects {
            add(
                Phrase("\(project.id): shares of the amount to split", "\(project.id)：配分対象額の配分"),
                project.allocations.map { (try? $0.amount.subtracting(clawbackAndCut($0))) ?? $0.amount },
                project.attributable)
        }
        for payment in s.payments ?? [] {
            add(
                Phrase("\(payment.id): payers' parts", "\(Common.paymentName(payment).ja)：委託者の負担"), payment.payers.map(\.amount),
                payment.amount)
            add(
                Phrase("\(payment.id): payees' parts", "\(Common.paymentName(payment).ja)：受託者の配分"), payment.payees.map(\.amount),
                payment.amount)
        }
        if let payments = s.payments, let paid = s.paymentTotals {
            add(Phrase("Payments this year", "本年度の支払"), payments.map(\.amount), paid.paidThisYear)
        }
        if let sib = s.sib {
            add(
                Phrase("SIB: received = fee + principal + return + residual", "SIB：受領額 = 手数料 + 元本 + 分配金 + 残余"),
                [sib.feeThisYear, sib.residualThisYear]
                    + sib.investors.flatMap { [$0.principalThisYear, $0.returnThisYear] }, sib.receivedThisYear)
        }
        // Never empty: a settled year has a project or a payments section (whose year total is checked).
        return Section("tieOuts", Phrase("Tie-outs", "検算"), [.table(table)])
    }

    /// Claw-back and reward-maximum adjustments move money between a project's parties
    /// after the split; the split itself ties to the amount to split.
    private static func clawbackAndCut(_ allocation: Settlement.Allocation) -> ExactDecimal {
        (try? (allocation.clawback ?? .zero).adding(allocation.rewardCapCut ?? .zero)) ?? .zero
    }

    /// What the year hands to the next: the state the next year's settlement starts from.
    static func carriedForward(_ s: Settlement) -> Section? {
        guard let carried = s.carriedForward else { return nil }
        var table = Table(
            "carriedForward",
            [
                Column("what", Phrase("Carried", "繰り越す項目")), Column("project", Phrase("Project", "事業")),
                Column("party", Phrase("Party", "当事者")), Common.amountColumn("amount", Phrase("Amount", "金額"), s),
            ])
        for entry in carried.shortfalls ?? [] {
            table.rows.append([
                .phrase(Phrase("shortfall carried forward", "引き継ぐ欠損額")), .text(entry.project), .empty,
                .amount(entry.amount),
            ])
        }
        for entry in carried.clawbacksOwed ?? [] {
            table.rows.append([
                .phrase(Phrase("claw-back still owed", "控除未済額")), .text(entry.project),
                entry.party.map(Cell.text) ?? .empty,
                .amount(entry.amount),
            ])
        }
        if let rewards = carried.rewardsPaid {
            table.rows.append([
                .phrase(Phrase("profit-share rewards paid to date", "成果報酬の支払累計")), .empty, .empty, .amount(rewards),
            ])
        }
        if let paid = carried.paymentsPaid {
            table.rows.append([.phrase(Phrase("payments made to date", "支払累計")), .empty, .empty, .amount(paid)])
        }
        for payer in carried.paidByPayer ?? [] {
            table.rows.append([
                .phrase(Phrase("paid to date by the payer", "委託者ごとの支払累計")), .empty, .text(payer.party.id),
                .amount(payer.amount),
            ])
        }
        let note =
            s.fiscalYear.lastOfTerm == true
            ? Phrase("The term ends with this year: these are its final balances.", "本年度で契約期間が終わるため、これが最終の累計額です。")
            : Phrase("The next year's settlement starts from these figures.", "翌年度の精算はこれらの数値から始まります。")
        return Section("carriedForward", Phrase("Carried into the next year", "翌年度への引継ぎ（累計額）"), [.table(table), .note(note)])
    }

    static func rules(_ s: Settlement) -> Section {
        var table = Table("rules", [Column("rule", Phrase("Rule", "ルール")), Column("version", Phrase("Version", "版"))])
        table.rows = s.rules.map { [.text($0.rule), .integer($0.version)] }
        return Section(
            "rules",
            Phrase(
                "Rules and versions (engine \(s.engine.name) \(s.engine.version))",
                "適用ルールと版（計算エンジン \(s.engine.name) \(s.engine.version)）"),
            [.table(table)])
    }
}
