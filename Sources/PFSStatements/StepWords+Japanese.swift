import PFSModel

/// Every step, rule working and measure in Japanese, case for case with
/// StepWords+English.swift. Names, not ids, where a reader knows names (「項目C」).
extension StepWords {
    /// A step's description and formula in Japanese.
    static func japanese(_ figures: StepFigures) -> (description: String, formula: String?) {
        switch figures {
        case .derivedExpected(let kpi, let year, let projection, let baseline, let source):
            let formula = (try? projection.valueWithFormulas(in: year.year, from: baseline)).map {
                "基準値からの推計\(projection.source.map { "（\($0)）" } ?? "")：\($0.formulaJA)"
            }
            return (
                "指標\(quoted(kpi))の\(year.ja)見込み（基準値からの推計：\(projection.kindNameJA)）", formula ?? source
            )
        case .improvement(let kpi, let direction, let unit, let valuation, let expected, let actual, let improvement):
            let better = direction == .lowerIsBetter ? "減少が改善" : "増加が改善"
            let description: String
            switch valuation {
            case .measuredOnly: description = "指標\(quoted(kpi))の改善量（\(better)、\(unit)）。測定のみで金額換算なし"
            case .perUnit: description = "指標\(quoted(kpi))の改善量（\(better)、\(unit)）"
            case .money: description = "指標\(quoted(kpi))の財政効果（\(better)、金額）"
            }
            return (
                description,
                direction == .lowerIsBetter
                    ? "見込み − 実績 = \(expected) − \(actual) = \(improvement)"
                    : "実績 − 見込み = \(actual) − \(expected) = \(improvement)"
            )
        case .fiscalImprovement(let kpi, let step, let improvement, let perUnit, let value):
            return (
                "指標\(quoted(kpi))の財政効果", "改善量（\(step)）× 1単位あたりの価値 = \(improvement) × \(perUnit) = \(value)"
            )
        case .target(let target, let kpi, let year, let conditions, let achieved):
            let verdict = achieved.map { $0 ? "達成" : "未達成" } ?? "未測定"
            return (
                "目標\(quoted(target))（\(quoted(kpi))、\(year.ja)）",
                // Each condition states its own result; several are then judged together.
                conditions.map(\.textJA).joined(separator: "；") + (conditions.count > 1 ? "（総合：\(verdict)）" : "")
            )
        case .attributable(let project, _, let step, let fiscal, let share, let attributable):
            return (
                "事業\(quoted(project))の財政効果（\(step)）からの寄与額",
                "財政効果（\(step)）× 寄与率 = \(fiscal) × \(share) = \(attributable)"
            )
        case .netAttributable(let project, let parts, let net):
            return ("事業\(quoted(project))の寄与額の純額", sum(parts, net))
        case .netAfterCarried(let project, let net, let carried, let base):
            return (
                "事業\(quoted(project))の引き継いだ欠損額を差し引いた純額",
                // A shortfall (0 or below) said as the size taken off: no minus on a 欠損額.
                carried.signum <= 0
                    ? "寄与額の純額 \(net) − 前年度から引き継いだ欠損額 \(carried.magnitude) = \(base)"
                    : "寄与額の純額 \(net) + 前年度から引き継いだ額 \(carried) = \(base)"
            )
        case .amountToSplit(let project, let base, let rounding, let amount, let negative):
            return (
                "事業\(quoted(project))の配分対象額",
                negative.map { "寄与額の純額 \(base) は負：\(japaneseNote($0, base: base))" }
                    ?? "\(base) を \(rounding.inWordsJA) = \(amount)"
            )
        case .allocation(let split): return japaneseSplit(split)
        case .clawbackOwed(let project, let owed): return ("事業\(quoted(project))の控除未済額", list(owed))
        case .rewardsWithinMaximum(let paidBefore, let rewards, let maximum, let remaining):
            return ("成果報酬と上限額の照合", "前年度までの支払 \(paidBefore) + 本年度 \(rewards) ≤ 上限 \(maximum)；残り \(remaining)")
        case .rewardsCut(let maximum, let paidBefore, let allowed, let rewards, let cut, let paid):
            return (
                "成果報酬の上限額までの減額",
                """
                上限 \(maximum) − 前年度までの支払 \(paidBefore) = 許容額 \(allowed)；本年度の成果報酬 \(rewards) を \(cut) 減額して \
                \(paid) とし、報酬額に応じて配分；減額分は支払わない
                """
            )
        case .paymentsToDate(let year, let paidBefore, let thisYear, let toDate, let maximum, let remaining):
            var formula = "\(year.ja)より前の支払 \(paidBefore) + 本年度 \(thisYear) = \(toDate)"
            if let maximum, let remaining { formula += "；上限 \(maximum) までの残り \(remaining)" }
            return ("支払の累計", formula)
        case .payment(let payment): return japanesePayment(payment)
        case .waterfall(let waterfall):
            let flows = waterfall.investors.map {
                "\(quoted($0.party)) 元本 \($0.principalThisYear)、分配金 \($0.returnThisYear)"
            }.joined(separator: "；")
            return (
                "\(quoted(waterfall.intermediary))を通じたSIBの配分（\(waterfall.year.ja)）",
                "受領額 \(waterfall.received)：手数料 \(waterfall.fee)（各受領額の\(waterfall.feeRate.percent)）；\(flows)；"
                    + "\(quoted(waterfall.residual))へ \(waterfall.rest)"
            )
        case .classWaterfall(let waterfall):
            let classes = waterfall.classes.map { year in
                let repayment = year.repayment == .coupons ? "毎年分配金・満期に元本" : "元本優先"
                return "\(year.id)（順位 \(year.rank)、\(repayment)）：利率 "
                    + "\(year.rate?.japaneseApproximation ?? "なし（成果未測定）") × \(year.principal) = 分配金額 \(year.earned)；"
                    + "分配金の支払 \(year.returnPaid)、元本償還 \(year.principalPaid)"
                    + (year.loss.signum > 0 ? "、元本毀損 \(year.loss)" : "")
            }
            return (
                "\(quoted(waterfall.intermediary))を通じたSIBのクラス別配分（\(waterfall.year.ja)）",
                "受領額 \(waterfall.received)：手数料 \(waterfall.fee)（受領額の\(waterfall.feeRate.percent)）；成果 "
                    + "\(waterfall.performance?.japaneseApproximation ?? "未測定")；" + classes.joined(separator: "；")
                    + "；\(quoted(waterfall.residual))へ \(waterfall.rest)"
            )
        case .written(let words): return (words.descriptionJA, words.formulaJA)
        }
    }

    /// What a negative year means under the contract's policy.
    static func japaneseNote(_ negative: StepFigures.NegativeYear, base: ExactDecimal) -> String {
        switch (negative.policy, negative.lastYear) {
        case (.floor, _): return "ゼロとし、本年度の支払はありません"
        case (.carryForward, false): return "本年度の支払はなく、\(base) を後年度の改善と相殺するため繰り越します"
        case (.carryForward, true): return "本年度の支払はなく、契約期間が本年度で終わるため \(base) は繰り越しません"
        case (.clawBack, false): return "本年度の支払はなく、事業者の負担分は後年度の成果報酬から控除します"
        case (.clawBack, true): return "本年度の支払はなく、契約期間が本年度で終わるため、事業者の負担分は控除する成果報酬がないまま残ります"
        }
    }

    static func japaneseSplit(_ split: StepFigures.Split) -> (description: String, formula: String?) {
        let role = split.isPayer ? "に帰属する財政効果（支払なし）" : "への成果報酬"
        let remainder = split.receivedRemainder ? "、端数の大きい者として1単位を加算" : ""
        let clawback =
            split.clawback.map {
                $0.signum < 0
                    ? "；前年度までの不足分 \($0.magnitude) を控除 = \(split.amount)" : "；控除分（支払わない額） +\($0) = \(split.amount)"
            } ?? ""
        return (
            "事業\(quoted(split.project))のうち\(quoted(split.party))\(role)",
            "\(share(split))（\(split.increment) の整数倍\(remainder)）\(clawback)"
        )
    }

    static func japanesePayment(_ figures: StepFigures.PaymentFigures) -> (description: String, formula: String?) {
        let parties =
            figures.payers.map { quoted($0.party) }.joined(separator: "・") + "から"
            + figures.payees.map { quoted($0.party) }.joined(separator: "・") + "へ"
        var formula = japaneseWorking(figures.working)
        if !figures.cuts.isEmpty {
            formula += "；" + figures.cuts.map(japaneseCut).joined(separator: "；") + " = \(figures.amount)"
        }
        if let sides = sides(figures) { formula += "；配分 " + sides }
        return (
            "支払\(quoted(figures.payment))（\(PaymentRule.kindJA(of: figures.rule))）\(parties)", formula
        )
    }

    static func japaneseCut(_ cut: StepFigures.LimitCut) -> String {
        switch cut {
        case .ownCap(let cap): return "支払の上限 \(cap) で頭打ち"
        case .yearLimit(let year, let limit, let allowed): return "\(year.ja)の上限 \(limit) の残り \(allowed) まで減額"
        case .maximum(let maximum, let allowed): return "契約上限 \(maximum) の残り \(allowed) まで減額"
        case .payerLimit(let party, let limit, let allowed): return "\(party) の負担分をその上限 \(limit) の残り \(allowed) まで減額"
        }
    }

    static func japaneseWorking(_ working: StepFigures.PaymentWorking) -> String {
        var formula = japanese(working.rule)
        if let measured = working.measure {
            formula =
                "\(measured.measure.descriptionJA)：\(japanese(measured.working).japaneseApproximation)；"
                + formula.replacingOccurrences(
                    of: measured.value.description, with: written(measured).japaneseApproximation)
        }
        guard let conditions = working.conditions else { return formula }
        let texts = conditions.results.map(\.textJA).joined(separator: "；")
        return conditions.hold ? "条件達成（\(texts)）；\(formula)" : "条件未達成（\(texts)）：0"
    }

    /// A rule's working in Japanese.
    public static func japanese(_ working: RuleWorking) -> String {
        switch working {
        case .fixed(let amount, let result): return "固定額 \(amount) → \(result)"
        case .perUnit(let units, let price, let exact, let rounding, let result):
            return "max(0, \(better(units))) × \(price) = \(units.units) × \(price) = \(exact)、\(rounding.inWordsJA) = \(result)"
        case .belowThreshold(let units, let threshold):
            return "単位数 max(0, \(better(units))) = \(units.units) は閾値 \(threshold) に未到達：0"
        case .beyondThreshold(let units, let threshold, let paysAll, let paid, let price, let exact, let rounding, let result):
            let which = paysAll ? "全 \(units.units) 単位に支払" : "超過分 \(paid) 単位に支払"
            return """
                単位数 max(0, \(better(units))) = \(units.units) が閾値 \(threshold) に到達、\(which)：\(paid) × \(price) = \
                \(exact)、\(rounding.inWordsJA) = \(result)
                """
        case .perBeneficiary(let count, let price, let cap, let total, let capped, let rounding, let result):
            return "対象者 \(count) 人の min(件数 × \(price), \(cap)) の合計 = \(total)（上限到達 \(capped) 人）、\(rounding.inWordsJA) = \(result)"
        case .bandFull(let outcome, let fullAt, let amount, let result):
            return "成果 \(outcome) が満額の基準 \(fullAt) に到達：\(amount) → \(result)"
        case .bandNotStarted(let outcome, let startAt): return "成果 \(outcome) が支払開始の基準 \(startAt) に未到達：0"
        case .bandNoStep(let outcome): return "成果 \(outcome) は段階表のどの段階にも未到達：0"
        case .bandStep(let outcome, let at, let amount, let result): return "成果 \(outcome) が段階 \(at) に到達：\(amount) → \(result)"
        case .bandLinear(let amount, let outcome, let startAt, let fullAt, let rounding, let result):
            return "\(amount) × (\(outcome) − \(startAt)) ÷ (\(fullAt) − \(startAt))、\(rounding.inWordsJA) = \(result)"
        case .proportionalNone(let outcome): return "成果 \(outcome) では達成度なし：0"
        case .proportionalBest(let outcome, let amount, let result): return "成果 \(outcome) は最善：全額 \(amount) → \(result)"
        case .proportionalWhole(let numerator, let denominator, let amount, let result):
            return "\(numerator) ÷ \(denominator) ≥ 1：全額 \(amount) → \(result)"
        case .proportional(let amount, let numerator, let denominator, let rounding, let result):
            return "\(amount) × \(numerator) ÷ \(denominator)、\(rounding.inWordsJA) = \(result)"
        case .thresholdNotMet(let outcome, let comparison, let at): return "成果 \(outcome) は \(comparison) \(at) を満たさない：0"
        case .thresholdMet(let outcome, let comparison, let at, let amount, let result):
            return "成果 \(outcome) \(comparison) \(at)：\(amount) → \(result)"
        case .noTier(let outcome, let reference): return "成果 \(outcome) はどの達成水準にも未到達（基準 \(reference)）：0"
        case .tier(let outcome, let comparison, let from, let reference, let mark, let amount, let result):
            return "成果 \(outcome) \(comparison) \(from) × \(reference) = \(mark)：達成水準の金額 \(amount) → \(result)"
        case .rateCardWithoutRecords(let card): return "成果単価表 \(card)：記録なし"
        case .rateCard(let card):
            let perOutcome = card.outcomes.map { "\($0.outcome) \($0.count) × \($0.price)" }.joined(separator: " + ")
            let caps = [card.capPerYear.map { "年 \($0)" }, card.capPerTerm.map { "期間 \($0)" }].compactMap { $0 }
                .joined(separator: "、")
            return """
                成果単価表\(quoted(card.card))：参加者 \(card.participants) 人の達成 \(card.achievements) 件\
                （\(perOutcome.isEmpty ? "なし" : perOutcome)）= \(card.gross)；上限（1人あたり\(caps.isEmpty ? "なし" : caps)）\
                により \(card.participantsCapped) 人を減額 \(card.cut) = \(card.total)、\(card.rounding.inWordsJA) = \(card.result)
                """
        case .savingsShare(let share):
            let valued = share.valued.map { "削減額 = \($0.outcome) × 1単位あたり \($0.valuePerUnit) = \($0.savings)；" }
            let owing = "返済目標 \(share.mark)（元本 \(share.principal) × (1 + \(share.returnRate))）、既返済 \(share.paidBefore)"
            let (base, mode, result) = (share.base, share.rounding.inWordsJA, share.result)
            let rest: String
            switch share.share {
            case .repaid(let thenRate, let exact): rest = "返済済み；削減額 \(base) × \(thenRate) = \(exact)、\(mode) = \(result)"
            case .within(let rate, let full, let left):
                rest = "削減額 \(base) × \(rate) = \(full)（残り \(left) の範囲内）、\(mode) = \(result)"
            case .switches(let left, let rate, let at, let thenRate):
                rest = """
                    残り \(left) は削減額 \(base) のうち \(left) ÷ \(rate) = \(at) で返済完了、そこで率が \
                    変更：\(left) + (\(base) − \(at)) × \(thenRate)、\(mode) = \(result)
                    """
            }
            return (valued ?? "") + owing + "：" + rest
        }
    }

    /// A measure's working in Japanese, the KPI by its name.
    public static func japanese(_ working: MeasureWorking) -> String {
        let name = working.kpi.name.ja ?? working.kpi.name.en ?? working.kpi.id
        switch working.kind {
        case .actual: return "\(name) 実績 \(working.year.ja) = \(working.actual)"
        case .improvement(let reference, let lowerIsBetter, let improvement):
            return "\(name) \(working.year.ja)：\(japaneseDifference(working, reference, lowerIsBetter)) = \(improvement)"
        case .relative(let reference, let lowerIsBetter, let shown):
            return """
                \(name) \(working.year.ja)：(\(japaneseDifference(working, reference, lowerIsBetter))) ÷ \
                \(reference.value) = \(shown.japaneseApproximation)
                """
        }
    }

    static func japaneseDifference(
        _ working: MeasureWorking, _ reference: MeasureWorking.Reference, _ lowerIsBetter: Bool
    ) -> String {
        let name: String
        switch reference.against {
        case .baseline: name = "基準値"
        case .expected: name = "見込み"
        case .comparison: name = "比較群"
        }
        return lowerIsBetter ? "\(name) \(reference.value) − 実績 \(working.actual)" : "実績 \(working.actual) − \(name) \(reference.value)"
    }

    /// A condition as checked, in Japanese: the condition first, then the result
    /// (「受診率 実績 58%（条件：60%以上）→ 未達成」), never a false inequality negated after it.
    public static func japanese(_ condition: CheckedCondition) -> String {
        let series = condition.series.map { $0.name.ja ?? $0.name.en ?? $0.id }
        // A rate (0.58) is a percentage to a Japanese reader (58%); 約 where it is not exact. A
        // figure already in % keeps its sign: 77.0%（条件：80.0%以上）.
        let percentSign = condition.inPercent ? "%" : ""
        var figure = "未測定"
        if let shown = condition.shown, let value = condition.shownValue {
            figure =
                condition.asRate
                ? (shown.hasPrefix("≈") ? "約" : "") + value.percent
                : shown.japaneseApproximation.groupingThousands + percentSign
        }
        let against = condition.operand.map { value in
            let text = condition.asRate ? value.percent : value.asWritten().groupingThousands + percentSign
            return series.map { "\($0) \(text)" } ?? text
        }
        let kpi = condition.kpi.name.ja ?? condition.kpi.name.en ?? condition.kpi.id
        let left = "\(kpi) \(condition.measure.descriptionJA) \(figure)"
        let right = against ?? "\(series ?? "")（\(condition.year.ja)の値なし）"
        let verdict = condition.holds.map { $0 ? "達成" : "未達成" } ?? "未測定"
        return "\(left)（条件：\(right)\(against == nil ? "" : condition.comparison.japaneseSuffix)）→ \(verdict)"
            + (condition.working.map { "（\(japanese($0))）" } ?? "")
    }
}
