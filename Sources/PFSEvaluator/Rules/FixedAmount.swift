import PFSModel

/// A fixed amount, whatever the outcomes (`<fixed amount="…"/>`).
struct FixedAmount: PaymentRuleKind {
    let amount: ExactDecimal

    var name: String { "fixed" }
    var version: String { "fixed" }
    var inputs: Set<PaymentRuleInput> { [] }
    var comparesOnly: Bool { false }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [DeclaredAmount(what: "the amount", amount: amount, location: payment.location)]
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        let result = try input.rounding.rounded(amount)
        return RuleResult(result, .fixed(amount: amount, result: result))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? { input.round(.number(amount)) }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? { nil }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (amount, amount) }
}
