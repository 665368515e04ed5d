import PFSModel

/// `amount` when the outcome reaches `at` (inclusive or not), else nothing (`<threshold>`).
struct Threshold: PaymentRuleKind {
    let at: ExactDecimal
    let inclusive: Bool
    let amount: ExactDecimal

    var name: String { "threshold" }
    var version: String { "threshold" }
    var inputs: Set<PaymentRuleInput> { [.outcome] }
    var comparesOnly: Bool { true }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [DeclaredAmount(what: "the amount", amount: amount, location: payment.location)]
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        let outcome = input.outcome
        let comparison = input.comparison(inclusive: inclusive)
        guard input.reaches(outcome, at, inclusive: inclusive) else {
            return RuleResult(.zero, .thresholdNotMet(outcome: outcome, comparison: comparison, at: at))
        }
        let result = try input.rounding.rounded(amount)
        return RuleResult(
            result, .thresholdMet(outcome: outcome, comparison: comparison, at: at, amount: amount, result: result))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? {
        input.measured?.reaching(
            at, inclusive: inclusive, then: input.round(.number(amount)), otherwise: .number(.zero))
    }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? { [at] }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, amount) }
}
