import PFSModel

/// Building blocks every document shares: the header, names and units.
enum Common {
    /// Where a KPI declares no baseline (a plan's KPI may have none): said, never a 0.
    static let noBaseline = Cell.phrase(Phrase("none", "なし"))

    static func partyName(_ party: Settlement.PartyReference) -> Phrase { Phrase(party.name, fallback: party.id) }

    static func unit(_ amounts: Settlement.AmountUnitInfo) -> Phrase {
        let fallback =
            amounts.scale == .one
            ? amounts.currency : "\(amounts.currency) × \(amounts.scale.formatted(groupingSeparator: ","))"
        return Phrase(amounts.label, fallback: fallback)
    }

    /// Decimals an amount shows: the currency's minor unit (ISO 4217) when amounts are
    /// written in currency units; none when they are written in multiples (千円).
    static func amountDigits(_ amounts: Settlement.AmountUnitInfo) -> Int {
        amounts.scale == .one ? ISO4217.minorUnitDigits(amounts.currency) ?? 0 : 0
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
        func western(_ iso: String) -> String {
            let parts = iso.split(separator: "-").compactMap { Int($0) }
            return parts.count == 3 ? "\(parts[0])年\(parts[1])月\(parts[2])日" : iso
        }
        let byEra = year.labelJA != nil && (year.labels == nil || year.labels == .japanese)
        let first = (byEra ? FiscalYear.japaneseDate(year.firstDay) : nil) ?? western(year.firstDay)
        let last = (byEra ? FiscalYear.japaneseDate(year.lastDay) : nil) ?? western(year.lastDay)
        return Phrase("\(year.firstDay) – \(year.lastDay)", "\(first)～\(last)")
    }

    /// What, which year, from what: the first lines of every document.
    static func header(_ s: Settlement) -> [Fact] {
        let year = s.fiscalYear
        return [
            Fact("contract", Phrase("Contract", "契約"), .text(s.contract.id)),
            Fact("title", Phrase("Title", "件名"), .phrase(Phrase(s.contract.title, fallback: s.contract.id))),
            Fact("fiscalYear", Phrase("Outcome year", "成果対象年度"), .fiscalYear(FiscalYearName(year))),
            Fact("period", Phrase("Period", "期間"), .phrase(period(year))),
            Fact("paymentYear", Phrase("Payment year (fiscal year)", "支払年度（会計年度）"), .phrase(paymentYear(s.paymentYear))),
            Fact(
                "amounts", Phrase("Amounts in", "金額単位"),
                .phrase(
                    unit(s.amounts)
                        + Phrase(
                            verbatim: " (\(s.amounts.currency) × \(s.amounts.scale.formatted(groupingSeparator: ",")))")
                )),
            Fact("rounding", Phrase("Rounding", "端数処理"), .phrase(rounding(s.rounding, s.amounts))),
            Fact("file", Phrase("Contract file", "契約ファイル"), .text(s.contract.file)),
            Fact("sha256", Phrase("File SHA-256", "ファイルSHA-256"), .text(s.contract.sha256)),
            Fact(
                "digest", Phrase("Contract digest (canonical SHA-256)", "契約ダイジェスト（正規化SHA-256）"),
                .text(s.contract.digest)),
            Fact("engine", Phrase("Engine", "計算エンジン"), .text("\(s.engine.name) \(s.engine.version)")),
        ] + (s.register.map {
            [Fact("authority", Phrase("Register authority (key fingerprint)", "台帳の認証局（鍵フィンガープリント）"), .text($0.authority))]
        } ?? []) + [
            Fact(
                "rules", Phrase("Rules applied", "適用ルール"),
                .text(s.rules.map { "\($0.rule) v\($0.version)" }.joined(separator: ", "))),
        ]
    }

    /// The KPI outcomes of the year.
    static func kpiTable(_ s: Settlement, only ids: Set<String>? = nil) -> Table {
        var table = Table(
            "kpis",
            [
                Column("kpi", Phrase("KPI", "指標")), Column("name", Phrase("Name", "名称")),
                Column("unit", Phrase("Unit", "単位")),
                Column("direction", Phrase("Better when", "改善の向き")), Column("baseline", Phrase("Baseline", "基準値")),
                Column("baselineYear", Phrase("Baseline year", "基準年度")),
                Column("expected", Phrase("Expected", "見込み")), Column("actual", Phrase("Actual", "実績")),
                Column("improvement", Phrase("Improvement", "改善量")),
                amountColumn("fiscalImprovement", Phrase("Fiscal improvement", "財政効果"), s),
                Column("step", Phrase("Step", "手順")),
            ])
        for kpi in s.kpis where ids?.contains(kpi.id) ?? true {
            // An actual without an expected value is a KPI measured for payment rules only.
            let improvement: Cell =
                kpi.improvement.map(Cell.number)
                ?? .phrase(
                    kpi.status == .actualOnly ? Phrase("for payment rules", "支払ルール用") : Phrase("not measured", "未測定"))
            table.rows.append([
                .text(kpi.id), .phrase(Phrase(kpi.name, fallback: kpi.id)), .phrase(UnitName.phrase(kpi.unit)),
                .phrase(kpi.direction == .lowerIsBetter ? Phrase("lower", "低いほど良い") : Phrase("higher", "高いほど良い")),
                kpi.baseline.map { .number($0.value) } ?? noBaseline,
                kpi.baseline.map { .integer($0.year) } ?? .empty,
                kpi.expected.map { .number($0.value) } ?? .empty, kpi.actual.map { .number($0.value) } ?? .empty,
                improvement, kpi.fiscalImprovement.map(Cell.amount) ?? .empty, kpi.step.map(Cell.text) ?? .empty,
            ])
        }
        return table
    }

    /// A note per year the contract declares a KPI not measured, with its reason: the
    /// carry-forward, claw-back and reward maximum skipped that year.
    static func notMeasuredNotes(_ s: Settlement, only ids: Set<String>? = nil) -> [Block] {
        s.kpis.filter { ids?.contains($0.id) ?? true }.flatMap { kpi in
            (kpi.notMeasured ?? []).map { declared in
                Block.note(
                    Phrase(
                        """
                        KPI \(kpi.id) was not measured in FY\(declared.year) (contract line \(declared.line)): \
                        \(declared.reason). That year is skipped: nothing is carried from it.
                        """,
                        """
                        指標 \(kpi.id) はFY\(declared.year)に測定されていません（契約 \
                        \(declared.line)行目）：\(declared.reason)。この年度は繰越・控除・上限の計算から除かれます。
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
        case true?: return rule + Phrase(", conditions met", "（条件充足）")
        case false?: return rule + Phrase(", conditions not met", "（条件未達成）")
        }
    }

    /// The kind of an amount due under a payment: fixed or outcome-linked, or, behind
    /// conditions, the rule and whether they were met.
    static func dueKind(_ payment: Settlement.PaymentOutcome) -> Phrase {
        if payment.conditionsHeld != nil { return ruleName(payment) }
        return payment.rule == "fixed" ? Phrase("fixed", "固定") : Phrase("outcome-linked", "成果連動")
    }
}

/// A KPI's unit in each language: a contract writes one unit; common English units are
/// shown in Japanese statements by their Japanese words (persons → 人), any other as
/// written (千円 stays 千円, a unit pfs does not know stays in English).
enum UnitName {
    static let japanese: [String: String] = [
        "%": "%", "percent": "%", "percentage points": "ポイント", "persons": "人", "people": "人",
        "participants": "人", "children": "人", "days": "日", "years": "年", "months": "か月", "rate": "率",
        "cases": "件", "events": "件", "entries": "件", "yen": "円", "thousand yen": "千円",
    ]

    static func phrase(_ unit: String) -> Phrase { Phrase(unit, japanese[unit.lowercased()] ?? unit) }
}
