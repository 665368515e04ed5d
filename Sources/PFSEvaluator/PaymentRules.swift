import PFSModel

/// What a payment rule gives for an outcome, before caps, with the formula that shows it.
public struct RuleResult: Sendable, Hashable {
    /// The amount, rounded once by the contract's rule.
    public let amount: ExactDecimal
    /// The formula with the values put in.
    public let formula: String
    /// The same formula in Japanese.
    public let formulaJA: String

    init(amount: ExactDecimal, formula: String, _ formulaJA: String) {
        self.amount = amount
        self.formula = formula
        self.formulaJA = formulaJA
    }
}

extension PaymentRule {
    /// Applies the rule. `outcome` is the measured value (ignored by `fixed`), `direction`
    /// says which way is better, `kpiBaseline` is the KPI's baseline value (the default
    /// per-unit baseline). The result is rounded once by `rounding`. `outcomeBelowExact` says
    /// that `outcome` is an exact ratio cut off a little below its value (a relative
    /// improvement such as 1 ÷ 3, higher being better): it then reaches a mark it equals.
    public func evaluate(
        outcome: ExactDecimal, direction: Direction, kpiBaseline: ExactDecimal,
        rounding: RoundingRule, beneficiaries: [ExactDecimal] = [], outcomeBelowExact: Bool = false
    ) throws(ArithmeticError) -> RuleResult {
        // "Better than or equal": the KPI's direction decides which way counts.
        func reaches(_ value: ExactDecimal, _ mark: ExactDecimal, inclusive: Bool = true) -> Bool {
            if outcomeBelowExact, value == mark { return true }
            let better = direction == .higherIsBetter ? value > mark : value < mark
            return better || (inclusive && value == mark)
        }
        let mode = "rounded \(rounding.mode.rawValue) to a multiple of \(rounding.increment)"
        let modeJA = "\(rounding.increment) 単位で\(rounding.mode.nameJA)"
        switch self {
        case .fixed(let amount):
            let result = try rounding.rounded(amount)
            return RuleResult(
                amount: result, formula: "fixed amount \(amount) → \(result)", "固定額 \(amount) → \(result)")

        case .perUnit(let price, let declaredBaseline):
            let baseline = declaredBaseline ?? kpiBaseline
            let gain =
                direction == .higherIsBetter ? try outcome.subtracting(baseline) : try baseline.subtracting(outcome)
            let units = gain.signum > 0 ? gain : .zero
            let exact = try units.multiplied(by: price)
            let result = try rounding.rounded(exact)
            let better = direction == .higherIsBetter ? "\(outcome) − \(baseline)" : "\(baseline) − \(outcome)"
            return RuleResult(
                amount: result,
                formula: "max(0, \(better)) × \(price) = \(units) × \(price) = \(exact), \(mode) = \(result)",
                "max(0, \(better)) × \(price) = \(units) × \(price) = \(exact)、\(modeJA) = \(result)")

        case .perUnitBeyond(let price, let declaredBaseline, let threshold, let pays):
            let baseline = declaredBaseline ?? kpiBaseline
            let gain =
                direction == .higherIsBetter ? try outcome.subtracting(baseline) : try baseline.subtracting(outcome)
            let units = gain.signum > 0 ? gain : .zero
            let better = direction == .higherIsBetter ? "\(outcome) − \(baseline)" : "\(baseline) − \(outcome)"
            guard units >= threshold else {
                return RuleResult(
                    amount: .zero,
                    formula: "units max(0, \(better)) = \(units) do not reach the threshold \(threshold): 0",
                    "単位数 max(0, \(better)) = \(units) は閾値 \(threshold) に未到達：0")
            }
            let paid = pays == .all ? units : try units.subtracting(threshold)
            let exact = try paid.multiplied(by: price)
            let result = try rounding.rounded(exact)
            let which = pays == .all ? "all \(units) units paid" : "the \(paid) units beyond it paid"
            let whichJA = pays == .all ? "全 \(units) 単位に支払" : "超過分 \(paid) 単位に支払"
            return RuleResult(
                amount: result,
                formula:
                    """
                    units max(0, \(better)) = \(units) reach the threshold \(threshold), \(which): \(paid) × \(price) \
                    = \(exact), \(mode) = \(result)
                    """,
                """
                単位数 max(0, \(better)) = \(units) が閾値 \(threshold) に到達、\(whichJA)：\(paid) × \(price) = \
                \(exact)、\(modeJA) = \(result)
                """)

        case .rateCard(let card):
            // Settling pays the card from its records (Evaluator.payRateCard); alone, it has none.
            return RuleResult(amount: .zero, formula: "rate card \(card): no records", "成果単価表 \(card)：記録なし")

        case .savingsShare(let share):
            // As for an account that has repaid nothing (a curve); settling passes what it has.
            return try share.evaluate(savings: outcome, paidBefore: .zero, rounding: rounding).result

        case .perBeneficiary(let price, let cap):
            var total = ExactDecimal.zero
            var capped = 0
            for units in beneficiaries where units.signum > 0 {
                let amount = try units.multiplied(by: price)
                if amount > cap { capped += 1 }
                total = try total.adding(amount > cap ? cap : amount)
            }
            let result = try rounding.rounded(total)
            return RuleResult(
                amount: result,
                formula:
                    """
                    Σ over \(beneficiaries.count) beneficiaries of min(units × \(price), \(cap)) = \(total) \
                    (\(capped) at the cap), \(mode) = \(result)
                    """,
                """
                対象者 \(beneficiaries.count) 人の min(件数 × \(price), \(cap)) の合計 = \(total)（上限到達 \(capped) \
                人）、\(modeJA) = \(result)
                """
            )

        case .band(let startAt, let fullAt, let amount, let steps):
            if reaches(outcome, fullAt) {
                let result = try rounding.rounded(amount)
                return RuleResult(
                    amount: result,
                    formula: "outcome \(outcome) reaches the full-payment mark \(fullAt): \(amount) → \(result)",
                    "成果 \(outcome) が満額の基準 \(fullAt) に到達：\(amount) → \(result)")
            }
            if !reaches(outcome, startAt) {
                return RuleResult(
                    amount: .zero, formula: "outcome \(outcome) does not reach the start mark \(startAt): 0",
                    "成果 \(outcome) が支払開始の基準 \(startAt) に未到達：0")
            }
            if !steps.isEmpty {
                guard let step = steps.last(where: { reaches(outcome, $0.at) }) else {
                    return RuleResult(
                        amount: .zero, formula: "outcome \(outcome) reaches no step of the table: 0",
                        "成果 \(outcome) は段階表のどの段階にも未到達：0")
                }
                let result = try rounding.rounded(step.amount)
                return RuleResult(
                    amount: result,
                    formula: "outcome \(outcome) reaches the step at \(step.at): \(step.amount) → \(result)",
                    "成果 \(outcome) が段階 \(step.at) に到達：\(step.amount) → \(result)")
            }
            let numerator = try amount.multiplied(by: try outcome.subtracting(startAt))
            let span = try fullAt.subtracting(startAt)
            let result = try rounding.rounded(numerator, dividedBy: span)
            return RuleResult(
                amount: result,
                formula: "\(amount) × (\(outcome) − \(startAt)) ÷ (\(fullAt) − \(startAt)), \(mode) = \(result)",
                "\(amount) × (\(outcome) − \(startAt)) ÷ (\(fullAt) − \(startAt))、\(modeJA) = \(result)")

        case .proportional(let target, let amount):
            // actual ÷ target where higher is better; target ÷ actual where lower is better.
            let (numerator, denominator) = direction == .higherIsBetter ? (outcome, target) : (target, outcome)
            if direction == .higherIsBetter, outcome.signum <= 0 {
                return RuleResult(
                    amount: .zero, formula: "outcome \(outcome) gives no achievement: 0", "成果 \(outcome) では達成度なし：0")
            }
            // Lower is better and nothing is left (0 or below): the best possible outcome.
            if direction == .lowerIsBetter, outcome.signum <= 0 {
                let result = try rounding.rounded(amount)
                return RuleResult(
                    amount: result, formula: "outcome \(outcome) is the best possible: the whole \(amount) → \(result)",
                    "成果 \(outcome) は最善：全額 \(amount) → \(result)")
            }
            if numerator >= denominator {
                let result = try rounding.rounded(amount)
                return RuleResult(
                    amount: result, formula: "\(numerator) ÷ \(denominator) ≥ 1: the whole \(amount) → \(result)",
                    "\(numerator) ÷ \(denominator) ≥ 1：全額 \(amount) → \(result)")
            }
            let result = try rounding.rounded(try amount.multiplied(by: numerator), dividedBy: denominator)
            return RuleResult(
                amount: result, formula: "\(amount) × \(numerator) ÷ \(denominator), \(mode) = \(result)",
                "\(amount) × \(numerator) ÷ \(denominator)、\(modeJA) = \(result)")

        case .tiers(let reference, let tiers):
            var reached: (tier: Tier, mark: ExactDecimal)?
            for tier in tiers {
                let mark = try tier.from.multiplied(by: reference)
                if reaches(outcome, mark, inclusive: tier.inclusive) { reached = (tier, mark) }
            }
            guard let reached else {
                return RuleResult(
                    amount: .zero, formula: "outcome \(outcome) reaches no tier (reference \(reference)): 0",
                    "成果 \(outcome) はどの達成水準にも未到達（基準 \(reference)）：0")
            }
            let result = try rounding.rounded(reached.tier.amount)
            let comparison =
                direction == .higherIsBetter
                ? (reached.tier.inclusive ? "≥" : ">") : (reached.tier.inclusive ? "≤" : "<")
            return RuleResult(
                amount: result,
                formula:
                    """
                    outcome \(outcome) \(comparison) \(reached.tier.from) × \(reference) = \(reached.mark): tier \
                    amount \(reached.tier.amount) → \(result)
                    """,
                """
                成果 \(outcome) \(comparison) \(reached.tier.from) × \(reference) = \(reached.mark)：達成水準の金額 \
                \(reached.tier.amount) → \(result)
                """
            )

        case .threshold(let at, let inclusive, let amount):
            let comparison = direction == .higherIsBetter ? (inclusive ? "≥" : ">") : (inclusive ? "≤" : "<")
            guard reaches(outcome, at, inclusive: inclusive) else {
                return RuleResult(
                    amount: .zero, formula: "outcome \(outcome) is not \(comparison) \(at): 0",
                    "成果 \(outcome) は \(comparison) \(at) を満たさない：0")
            }
            let result = try rounding.rounded(amount)
            return RuleResult(
                amount: result, formula: "outcome \(outcome) \(comparison) \(at): \(amount) → \(result)",
                "成果 \(outcome) \(comparison) \(at)：\(amount) → \(result)")
        }
    }
}
