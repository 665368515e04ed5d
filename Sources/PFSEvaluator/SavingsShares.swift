import PFSModel

extension SavingsShare {
    /// The share of `savings` due when the account has repaid `paidBefore`: at ``rate``
    /// up to the mark, at ``thenRate`` beyond it, the switch placed exactly within the
    /// savings; the amount is rounded once. Also returns the savings at which the rate
    /// changed (nil when it did not change within these savings).
    public func evaluate(
        savings: ExactDecimal, paidBefore: ExactDecimal, rounding: RoundingRule
    ) throws(ArithmeticError) -> (result: RuleResult, switchedAt: String?) {
        let mode = "rounded \(rounding.mode.rawValue) to a multiple of \(rounding.increment)"
        let modeJA = "\(rounding.increment) 単位で\(rounding.mode.nameJA)"
        let mark = try self.mark
        let base = savings.signum > 0 ? savings : .zero
        let left = try mark.subtracting(paidBefore)
        let owing = "\(mark) to repay (principal \(principal) × (1 + \(returnRate))), \(paidBefore) paid before"
        let owingJA = "返済目標 \(mark)（元本 \(principal) × (1 + \(returnRate))）、既返済 \(paidBefore)"
        if left.signum <= 0 {
            let exact = try base.multiplied(by: thenRate)
            let result = try rounding.rounded(exact)
            return (
                RuleResult(
                    amount: result,
                    formula: "\(owing): repaid; savings \(base) × \(thenRate) = \(exact), \(mode) = \(result)",
                    "\(owingJA)：返済済み；削減額 \(base) × \(thenRate) = \(exact)、\(modeJA) = \(result)"), nil
            )
        }
        let full = try base.multiplied(by: rate)
        if full <= left || rate.signum == 0 {
            let result = try rounding.rounded(full)
            return (
                RuleResult(
                    amount: result,
                    formula:
                        "\(owing): savings \(base) × \(rate) = \(full) (within what is left, \(left)), "
                        + "\(mode) = \(result)",
                    "\(owingJA)：削減額 \(base) × \(rate) = \(full)（残り \(left) の範囲内）、\(modeJA) = \(result)"), nil
            )
        }
        // The mark falls within the savings: left ÷ rate of them at `rate`, the rest at
        // `thenRate`; left + thenRate × (base − left ÷ rate), over the one denominator `rate`.
        let numerator = try left.multiplied(by: try rate.subtracting(thenRate)).adding(
            try thenRate.multiplied(by: base).multiplied(by: rate))
        let result = try rounding.rounded(numerator, dividedBy: rate)
        let at = try Evaluator.shownRatio(left, rate, digits: 4).text
        let rest = "\(base) − \(at)"
        return (
            RuleResult(
                amount: result,
                formula:
                    """
                    \(owing): \(left) is left, repaid at \(rate) after \(left) ÷ \(rate) = \(at) of the savings \
                    \(base); \
                    the rate changes there: \(left) + (\(rest)) × \(thenRate), \(mode) = \(result)
                    """,
                """
                \(owingJA)：残り \(left) は削減額 \(base) のうち \(left) ÷ \(rate) = \(at) で返済完了、そこで率が \
                変更：\(left) + (\(rest)) × \(thenRate)、\(modeJA) = \(result)
                """), at
        )
    }
}

extension Evaluator {
    /// A share-of-savings payment against what its account has repaid so far: the savings
    /// (the measured improvement, times the KPI's value per unit where it has one), the
    /// rule's result, and the repayment record (``Settlement/Repayment/paidAfter`` is
    /// completed once the caps have cut the amount).
    static func shareOfSavings(
        _ share: SavingsShare, payment: Payment, outcome: ExactDecimal, in contract: Contract, state: TermState
    ) throws(EvaluationError) -> (RuleResult, Settlement.Repayment) {
        let what = "payment '\(payment.id)'"
        var perUnit: ExactDecimal?
        if let kpi = payment.kpi.flatMap({ contract.kpi($0) }), case .perUnit(let value) = kpi.valuation {
            perUnit = value.amount
        }
        let savings = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try perUnit.map { (value) throws(ArithmeticError) in try outcome.multiplied(by: value) } ?? outcome
        }
        let before = state.repaid[share.account] ?? .zero
        let (result, at) = try checked(what, at: share.location) { () throws(ArithmeticError) in
            try share.evaluate(savings: savings, paidBefore: before, rounding: contract.rounding)
        }
        let valued = perUnit.map { "savings = \(outcome) × value per unit \($0) = \(savings); " } ?? ""
        let valuedJA = perUnit.map { "削減額 = \(outcome) × 1単位あたり \($0) = \(savings)；" } ?? ""
        let mark = try checked(what, at: share.location) { () throws(ArithmeticError) in try share.mark }
        return (
            RuleResult(amount: result.amount, formula: valued + result.formula, valuedJA + result.formulaJA),
            Settlement.Repayment(
                account: share.account, mark: mark, savings: savings.signum > 0 ? savings : .zero, rate: share.rate,
                thenRate: share.thenRate, paidBefore: before, paidAfter: before, switchedAtSavings: at)
        )
    }
}
