import Foundation
import PFSModel

/// Building blocks every document shares: the header, names and units.
enum Common {
    /// Where a KPI declares no baseline (a plan's KPI may have none): said, never a 0.
    static let noBaseline = Cell.phrase(Phrase("none", "なし"))

    static func partyName(_ party: Settlement.PartyReference) -> Phrase { Phrase(party.name, fallback: party.id) }

    /// A KPI by its name, as a reader knows it (`項目C`); its id only where it has no name.
    /// A blend of KPIs (`0.8 × trial + 0.2 × comparison`) names each KPI it holds.
    static func kpiName(_ id: String, _ s: Settlement) -> Phrase {
        if let kpi = s.kpis.first(where: { $0.id == id }) { return Phrase(kpi.name, fallback: id) }
        // Longest ids first, so that an id inside another is not replaced in it.
        let kpis = s.kpis.sorted { $0.id.count > $1.id.count }
        func named(_ language: Language) -> String {
            kpis.reduce(id) { text, kpi in
                text.replacingOccurrences(of: kpi.id, with: Phrase(kpi.name, fallback: kpi.id).text(language))
            }
        }
        return Phrase(named(.en), named(.ja))
    }

    static func unit(_ amounts: Settlement.AmountUnitInfo) -> Phrase {
        let fallback =
            amounts.scale == .one
            ? amounts.currency : "\(amounts.currency) × \(amounts.scale.formatted(groupingSeparator: ","))"
        return Phrase(amounts.label, fallback: fallback)
    }

    /// Decimals an amount shows (``ISO4217/amountDigits(currency:scale:)``).
    static func amountDigits(_ amounts: Settlement.AmountUnitInfo) -> Int {
        ISO4217.amountDigits(currency: amounts.currency, scale: amounts.scale)
    }

    /// An amount for a sentence: grouped, with the currency's minor unit.
    static func amountText(_ value: ExactDecimal, _ s: Settlement) -> String {
        value.formatted(groupingSeparator: ",", minimumFractionDigits: amountDigits(s.amounts))
    }

    /// `Amount (thousand yen)` / `金額（千円）`.
    static func amountColumn(_ key: String, _ label: Phrase, _ s: Settlement) -> Column {
        let unit = unit(s.amounts)
        return Column(key, Phrase("\(label.en) (\(unit.en))", "\(label.ja)（\(unit.ja)）"))
    }

    static let roleNames: [PartyRole: Phrase] = [
        .publicSector: Phrase("public sector", "地方公共団体等"), .provider: Phrase("provider", "事業者"),
        .investor: Phrase("investor", "資金提供者"), .evaluator: Phrase("evaluator", "第三者評価機関"),
        .intermediary: Phrase("intermediary", "中間支援組織"),
    ]

    static func role(_ role: PartyRole) -> Phrase { roleNames[role] ?? Phrase(verbatim: role.rawValue) }

    /// The rounding in words, in money a reader knows: 「支払額の千円未満の端数は切捨て」, not
    /// "1単位" (the written unit's increment said in yen where the contract is in yen).
    static func rounding(_ rule: RoundingRule, _ amounts: Settlement.AmountUnitInfo) -> Phrase {
        let modes: [RoundingMode: Phrase] = [
            .down: Phrase("down (toward zero)", "切捨て"), .up: Phrase("up (away from zero)", "切上げ"),
            .halfUp: Phrase("half up", "四捨五入"), .halfEven: Phrase("half even", "偶数丸め（銀行丸め）"),
        ]
        let mode = modes[rule.mode] ?? Phrase(verbatim: rule.mode.rawValue)
        let unit = unit(amounts)
        // The step in the currency itself: 1 (thousand yen) is 千円.
        let step = (try? rule.increment.multiplied(by: amounts.scale)).map(yenStep) ?? nil
        let below = amounts.currency == "JPY" ? step ?? "\(rule.increment)\(unit.ja)" : "\(rule.increment)\(unit.ja)"
        return Phrase(
            """
            \(mode.en) to a multiple of \(rule.increment) \(unit.en), once per project amount and once per payment; \
            splits by largest remainder, ties to the party declared first
            """,
            """
            支払額の\(below)未満の端数は\(mode.ja)（事業ごと・支払ごとに1回）。按分で生じる端数は、端数の大きい者から\
            \(rule.increment)\(unit.ja)ずつ配分し、同じときは契約書の記載順による
            """)
    }

    /// A step of yen as Japanese money is named: 1円, 100円, 千円, 1万円, 100万円; nil for a
    /// step that is not a whole number of yen.
    static func yenStep(_ yen: ExactDecimal) -> String? {
        guard let whole = Int(yen.description), whole > 0 else { return nil }
        switch whole {
        case 1000: return "千円"
        case let n where n >= 10_000 && n % 10_000 == 0: return "\(n / 10_000)万円"
        default: return "\(whole)円"
        }
    }

    /// An amount in the currency itself, for what feeds a payment (支出): `2,960,000円` where
    /// the contract writes 2,960 (千円); nil where the written unit is the currency already.
    static func inCurrency(_ amount: ExactDecimal, _ s: Settlement) -> Phrase? {
        guard s.amounts.scale != .one, let value = try? amount.multiplied(by: s.amounts.scale).normalized() else {
            return nil
        }
        return money(value, s)
    }

    /// An amount already in the currency itself, as a payment writes it: `2,960,000円`,
    /// `JPY 2,960,000`.
    static func money(_ value: ExactDecimal, _ s: Settlement) -> Phrase {
        let text = value.formatted(groupingSeparator: ",")
        return s.amounts.currency == "JPY"
            ? Phrase("JPY \(text)", "\(text)円") : Phrase("\(s.amounts.currency) \(text)", "\(text) \(s.amounts.currency)")
    }

    /// The fiscal year that pays the outcomes, and when within it: a 会計課 officer finds the
    /// amounts in that year's accounts, not the outcome year's.
    static func paymentYear(_ payment: Settlement.PaymentYearInfo) -> Phrase {
        let name = FiscalYearName(payment.fiscalYear)
        // The closing period ends on 31 May of the calendar year after the fiscal year begins.
        let closing = payment.fiscalYear.lastDay.prefix(4)
        switch (payment.timing, payment.closingPeriod) {
        case (.next, _):
            return Phrase(
                "\(name.display(.en)), the year after the outcomes", "\(name.display(.ja))、成果対象年度の翌年度")
        case (.same, true):
            return Phrase(
                "\(name.display(.en)), paid in its closing period (to 31 May \(closing))",
                "\(name.display(.ja))、出納整理期間（\(closing)年5月31日まで）に支払")
        case (.same, false):
            return Phrase("\(name.display(.en)), the outcome year itself", "\(name.display(.ja))、成果対象年度と同じ")
        }
    }

    /// A fiscal year's dates: ISO in English; in Japanese as official documents write them,
    /// in the same era system as the year's name (令和6年4月1日～令和7年3月31日), or in
    /// Western years for a year named without an era (2024年7月1日～2025年6月30日).
    static func period(_ year: Settlement.FiscalYearInfo) -> Phrase {
        Phrase(
            "\(year.firstDay) – \(year.lastDay)",
            "\(date(year.firstDay, namedAs: year).ja)～\(date(year.lastDay, namedAs: year).ja)")
    }

    /// A date as a document writes it: ISO in English; in Japanese by era (令和7年5月16日)
    /// where `year` is named by era, else in Western years (2025年5月16日).
    static func date(_ iso: String, namedAs year: Settlement.FiscalYearInfo) -> Phrase {
        let byEra = year.labelJA != nil && (year.labels == nil || year.labels == .japanese)
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        let western = parts.count == 3 ? "\(parts[0])年\(parts[1])月\(parts[2])日" : iso
        return Phrase(iso, (byEra ? FiscalYear.japaneseDate(iso) : nil) ?? western)
    }

    /// The KPI outcomes of the year, by name, as municipal KPI tables write them: 基準値
    /// with its year in the table's era system, 見込み glossed as the no-project estimate,
    /// 実績値, the direction as 減少が改善 / 増加が改善.
    static func kpiTable(_ s: Settlement, only ids: Set<String>? = nil) -> Table {
        var table = Table(
            "kpis",
            [
                Column("name", Phrase("KPI", "指標")),
                Column("unit", Phrase("Unit", "単位")),
                Column("direction", Phrase("Better when", "改善の向き")), Column("baseline", Phrase("Baseline", "基準値")),
                Column("baselineYear", Phrase("Baseline year", "基準年度")),
                Column("expected", Phrase("Expected", "見込み")),
                Column("actual", Phrase("Actual", "実績値")),
                Column("improvement", Phrase("Improvement", "改善量")),
                amountColumn("fiscalImprovement", Phrase("Fiscal improvement", "財政効果"), s),
                Column("step", Phrase("Step", "手順")),
            ])
        for kpi in s.kpis where ids?.contains(kpi.id) ?? true {
            // A rate (0.58) reads as 58%, as municipal KPI tables write it.
            let rate = KPI.isRate(unit: kpi.unit)
            func value(_ figure: ExactDecimal) -> Cell { rate ? .ratio(figure) : .number(figure) }
            table.rows.append([
                .phrase(Phrase(kpi.name, fallback: kpi.id)), .phrase(rate ? Phrase(verbatim: "%") : UnitName.phrase(kpi.unit)),
                .phrase(direction(kpi.direction)),
                kpi.baseline.map { value($0.value) } ?? noBaseline,
                kpi.baseline.map { .fiscalYear(FiscalYearName($0.year, like: s.fiscalYear)) } ?? .empty,
                kpi.expected.map { value($0.value) } ?? .empty, kpi.actual.map { value($0.value) } ?? .empty,
                improvement(kpi, s), kpi.fiscalImprovement.map(Cell.amount) ?? .empty, kpi.step.map(Cell.text) ?? .empty,
            ])
        }
        return table
    }

    /// The KPI table with what its figures mean: 見込み is the estimate had the project not
    /// run (to a 財政課 見込み alone is this year's own forecast), then any year declared not
    /// measured.
    static func kpiBlocks(_ s: Settlement, only ids: Set<String>? = nil) -> [Block] {
        [
            .table(kpiTable(s, only: ids)),
            .note(
                Phrase(
                    "Expected: the estimate had the project not been carried out (the counterfactual).",
                    "見込み：事業を実施しなかった場合の推計値。")),
        ] + notMeasuredNotes(s, only: ids)
    }

    /// Which way a KPI improves, as a KPI table says it.
    static func direction(_ direction: Direction) -> Phrase {
        direction == .lowerIsBetter ? Phrase("lower", "減少が改善") : Phrase("higher", "増加が改善")
    }

    /// A KPI's improvement, or why there is none this year: an indicator assessed in another
    /// year is 本年度は評価対象外 (未測定 would say its measurement failed); one declared not
    /// measured this year says so; one measured for a payment rule alone says what it is for.
    static func improvement(_ kpi: Settlement.KPIOutcome, _ s: Settlement) -> Cell {
        if let improvement = kpi.improvement {
            guard KPI.isRate(unit: kpi.unit), let points = try? improvement.multiplied(by: ExactDecimal(100)).normalized()
            else { return .number(improvement) }
            return .phrase(Phrase("\(points) points", "\(points)ポイント"))
        }
        switch kpi.status {
        case .actualOnly: return .phrase(Phrase("used by the payment rules", "―（支払額の算定に使用）"))
        case .notMeasured where (kpi.notMeasured ?? []).contains(where: { $0.year == s.fiscalYear.year }):
            return .phrase(Phrase("not measured (see below)", "未測定（理由は下記）"))
        case .notMeasured, .measured:
            return .phrase(Phrase("not assessed this year", "本年度は評価対象外"))
        }
    }

    /// A note per year the contract declares a KPI not measured, with its reason: the
    /// carry-forward, claw-back and reward maximum skipped that year.
    static func notMeasuredNotes(_ s: Settlement, only ids: Set<String>? = nil) -> [Block] {
        s.kpis.filter { ids?.contains($0.id) ?? true }.flatMap { kpi in
            (kpi.notMeasured ?? []).map { declared in
                let name = Phrase(kpi.name, fallback: kpi.id)
                let year = FiscalYearName(declared.year, like: s.fiscalYear)
                return Block.note(
                    Phrase(
                        """
                        KPI \(name.en) was not measured in \(year.display(.en)), contract line \(declared.line): \
                        \(declared.reason). That year is skipped: nothing is carried from it.
                        """,
                        """
                        指標「\(name.ja)」は\(year.display(.ja))に測定されていません（契約書ファイル \
                        \(declared.line)行目）。理由：\(declared.reason)。この年度は欠損額の引継ぎ・控除・上限の計算から除かれます。
                        """
                    ))
            }
        }
    }

    /// A declared value's kind, as a reader calls it.
    static func measureName(_ measure: Settlement.Measure) -> Phrase {
        switch measure {
        case .baseline: return Phrase("baseline", "基準値")
        case .expected: return Phrase("expected", "見込み")
        case .actual: return Phrase("actual", "実績")
        case .valuePerUnit: return Phrase("value per unit", "1単位あたりの価値")
        case .comparison: return Phrase("comparison group", "比較群")
        }
    }

    /// A rate as the evaluator showed it (`≈0.129268`): as written in English; in Japanese
    /// as a percentage with 約 where it is not exact (約12.9268%), as official documents write.
    static func rate(_ shown: String) -> Phrase {
        let approximate = shown.hasPrefix("≈")
        guard let value = ExactDecimal(plain: approximate ? String(shown.dropFirst()) : shown) else {
            return Phrase(verbatim: shown)
        }
        return Phrase(shown, (approximate ? "約" : "") + value.percent)
    }

    /// A step's formula for a reader: in Japanese with 約 for ≈, its whole numbers grouped by
    /// thousands as the amount columns are (7,400,000, not 7400000), and a rounding that
    /// changed nothing left out. English keeps the formula as computed.
    static func formula(_ step: Settlement.Step) -> Phrase {
        let japanese = step.formula(japanese: true).japaneseApproximation.groupingThousands
        return Phrase(step.formula(japanese: false), withoutUnchangedRounding(japanese))
    }

    /// `7,400,000 → 7,400,000` is `7,400,000`: a rounding that changed nothing says nothing.
    static func withoutUnchangedRounding(_ text: String) -> String {
        text.replacingOccurrences(
            of: #"(?<![\d,.])(\d[\d,]*(?:\.\d+)?) → \1(?![\d,.])"#, with: "$1", options: .regularExpression)
    }

    static func sum(_ values: [ExactDecimal]) -> Cell {
        // Amounts in one settlement were each representable; a sum that is not is shown as such.
        (try? ExactDecimal.sum(values)).map(Cell.amount) ?? .phrase(Phrase("(too large)", "（桁あふれ）"))
    }
}

extension Common {
    /// A payment's rule by name; behind conditions, whether they were met (a fixed sum whose
    /// conditions failed is not "fixed": it pays nothing).
    static func ruleName(_ payment: Settlement.PaymentOutcome) -> Phrase {
        let rule = Phrase(payment.rule, PaymentRule.kindJA(of: payment.rule))
        switch payment.conditionsHeld {
        case nil: return rule
        case true?: return rule + Phrase(", conditions met", "（条件達成）")
        case false?: return rule + Phrase(", conditions not met", "（条件未達成）")
        }
    }

    /// A payment as a statement names it: `success-2025 — Success fee` in English, by its
    /// name alone in Japanese (a 決裁 reader knows names, not ids).
    static func paymentName(_ payment: Settlement.PaymentOutcome) -> Phrase {
        let name = Phrase(payment.name, fallback: payment.id)
        return Phrase("\(payment.id) — \(name.en)", name.ja)
    }

    /// The kind of an amount due under a payment: fixed or outcome-linked, or, behind
    /// conditions, the rule and whether they were met.
    static func dueKind(_ payment: Settlement.PaymentOutcome) -> Phrase {
        // A fixed sum behind conditions depends on outcomes: it is outcome-linked, not 固定
        // (which the Guideline keeps for what is paid regardless of outcomes).
        switch (payment.rule == "fixed", payment.conditionsHeld) {
        case (true, nil): return Phrase("fixed", "固定")
        case (true, true?): return Phrase("outcome-linked (fixed sum, conditions met)", "成果連動（条件達成時の定額）：達成")
        case (true, false?):
            return Phrase("outcome-linked (fixed sum, conditions not met)", "成果連動（条件達成時の定額）：未達成")
        case (false, nil): return Phrase("outcome-linked", "成果連動")
        case (false, _?): return ruleName(payment)
        }
    }
}

/// A KPI's unit in each language: a contract writes one unit; common English units are
/// shown in Japanese statements by their Japanese words (persons → 人), any other as
/// written (千円 stays 千円, a unit pfs does not know stays in English).
enum UnitName {
    static func phrase(_ unit: String) -> Phrase { Phrase(unit, KPI.japaneseUnit(unit) ?? unit) }
}
