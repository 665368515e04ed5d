import PFSModel

/// A share of the savings (the measured improvement, in money) passed to the payees at a
/// rate until the payments of an account have repaid its mark (principal plus the declared
/// return), then at another; the switch may fall within a year (format 2's
/// `<share-of-savings>`). What it gives depends on what the account repaid before.
struct ShareOfSavings: AccountKeepingRule {
    let share: SavingsShare

    var name: String { "share of savings" }
    var version: String { "savings-share" }
    var inputs: Set<PaymentRuleInput> { [.outcome, .accountRepaid] }
    var comparesOnly: Bool { false }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [
            DeclaredAmount(what: "the principal", amount: share.principal, location: share.location),
            DeclaredAmount(what: "the return", amount: share.returnRate, location: share.location),
        ]
    }

    /// As for an account that has repaid nothing (a curve); settling passes what it has.
    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        try share.evaluate(savings: input.outcome, paidBefore: .zero, rounding: input.rounding).result
    }

    // What is left to repay is not an input cell: a value with its formula.
    func expression(_ input: RuleExpressionInput) -> StepExpression? { nil }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? { nil }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, nil) }

    func settle(
        _ payment: Payment, input: RuleInput, conditionsHold: Bool, in contract: Contract, state: inout TermState
    ) throws(EvaluationError) -> SettledRule? {
        let (result, repayment) = try Evaluator.shareOfSavings(
            share, payment: payment, outcome: input.outcome, in: contract, state: state)
        return SettledRule(result: result, repayment: repayment)
    }

    func book(
        _ paid: ExactDecimal, _ settled: inout SettledRule, payment: Payment, state: inout TermState
    ) throws(EvaluationError) {
        guard let before = settled.repayment else { return }
        let after = try Evaluator.checked("payment '\(payment.id)'", at: payment.location) {
            () throws(ArithmeticError) in try before.paidBefore.adding(paid)
        }
        state.repaid[share.account] = after
        settled.repayment = Settlement.Repayment(
            account: before.account, mark: before.mark, savings: before.savings, rate: before.rate,
            thenRate: before.thenRate, paidBefore: before.paidBefore, paidAfter: after,
            switchedAtSavings: before.switchedAtSavings)
    }
}

extension SavingsShare {
    /// The share of `savings` due when the account has repaid `paidBefore`: at ``rate``
    /// up to the mark, at ``thenRate`` beyond it, the switch placed exactly within the
    /// savings; the amount is rounded once. Also returns the savings at which the rate
    /// changed (nil when it did not change within these savings).
    public func evaluate(
        savings: ExactDecimal, paidBefore: ExactDecimal, rounding: RoundingRule
    ) throws(ArithmeticError) -> (result: RuleResult, switchedAt: String?) {
        let mark = try self.mark
        let base = savings.signum > 0 ? savings : .zero
        let left = try mark.subtracting(paidBefore)
        func result(_ amount: ExactDecimal, _ share: SavingsShareWorking.Share) -> RuleResult {
            RuleResult(
                amount,
                .savingsShare(
                    .init(
                        valued: nil, mark: mark, principal: principal, returnRate: returnRate, paidBefore: paidBefore,
                        base: base, share: share, rounding: rounding, result: amount)))
        }
        if left.signum <= 0 {
            let exact = try base.multiplied(by: thenRate)
            return (result(try rounding.rounded(exact), .repaid(thenRate: thenRate, exact: exact)), nil)
        }
        let full = try base.multiplied(by: rate)
        if full <= left || rate.signum == 0 {
            return (result(try rounding.rounded(full), .within(rate: rate, full: full, left: left)), nil)
        }
        // The mark falls within the savings: left ÷ rate of them at `rate`, the rest at
        // `thenRate`; left + thenRate × (base − left ÷ rate), over the one denominator `rate`.
        let numerator = try left.multiplied(by: try rate.subtracting(thenRate)).adding(
            try thenRate.multiplied(by: base).multiplied(by: rate))
        let at = try Evaluator.shownRatio(left, rate, digits: 4).text
        return (
            result(
                try rounding.rounded(numerator, dividedBy: rate),
                .switches(left: left, rate: rate, at: at, thenRate: thenRate)), at
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
        let mark = try checked(what, at: share.location) { () throws(ArithmeticError) in try share.mark }
        return (
            RuleResult(result.amount, valued(result.working, outcome: outcome, perUnit: perUnit, savings: savings)),
            Settlement.Repayment(
                account: share.account, mark: mark, savings: savings.signum > 0 ? savings : .zero, rate: share.rate,
                thenRate: share.thenRate, paidBefore: before, paidAfter: before, switchedAtSavings: at)
        )
    }

    /// A share's working with the savings valued from the outcome, where the KPI has a
    /// value per unit.
    static func valued(
        _ working: RuleWorking, outcome: ExactDecimal, perUnit: ExactDecimal?, savings: ExactDecimal
    ) -> RuleWorking {
        guard case .savingsShare(let share) = working, let perUnit else { return working }
        return .savingsShare(share.valued(.init(outcome: outcome, valuePerUnit: perUnit, savings: savings)))
    }
}
