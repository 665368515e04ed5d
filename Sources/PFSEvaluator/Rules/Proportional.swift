import PFSModel

/// `amount × outcome ÷ target` where higher is better (`target ÷ outcome` where lower is),
/// never more than `amount` (`<proportional>`).
struct Proportional: PaymentRuleKind {
    let target: ExactDecimal
    let amount: ExactDecimal

    var name: String { "proportional" }
    var version: String { "proportional" }
    var inputs: Set<PaymentRuleInput> { [.outcome] }
    var comparesOnly: Bool { false }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [DeclaredAmount(what: "the amount", amount: amount, location: payment.location)]
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        let (outcome, rounding) = (input.outcome, input.rounding)
        let (numerator, denominator) = input.direction == .higherIsBetter ? (outcome, target) : (target, outcome)
        if input.direction == .higherIsBetter, outcome.signum <= 0 {
            return RuleResult(.zero, .proportionalNone(outcome: outcome))
        }
        // Lower is better and nothing is left (0 or below): the best possible outcome.
        if input.direction == .lowerIsBetter, outcome.signum <= 0 {
            let result = try rounding.rounded(amount)
            return RuleResult(result, .proportionalBest(outcome: outcome, amount: amount, result: result))
        }
        if numerator >= denominator {
            let result = try rounding.rounded(amount)
            return RuleResult(
                result,
                .proportionalWhole(numerator: numerator, denominator: denominator, amount: amount, result: result))
        }
        let result = try rounding.rounded(try amount.multiplied(by: numerator), dividedBy: denominator)
        return RuleResult(
            result,
            .proportional(
                amount: amount, numerator: numerator, denominator: denominator, rounding: rounding, result: result))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? {
        guard let measured = input.measured else { return nil }
        let (outcome, higher) = (measured.outcome, measured.direction == .higherIsBetter)
        // The whole amount once the target is reached; nothing (or, lower being better,
        // everything) at zero or below.
        let share: StepExpression =
            higher
            ? .quotient(.product(.number(amount), outcome), .number(target))
            : .quotient(.product(.number(amount), .number(target)), outcome)
        let scaled = measured.reaching(
            target, inclusive: true, then: input.round(.number(amount)), otherwise: input.round(share))
        return .reaching(
            value: outcome, mark: .number(.zero), direction: .higherIsBetter, inclusive: false,
            then: scaled, otherwise: higher ? .number(.zero) : input.round(.number(amount)))
    }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? { [target] }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, amount) }
}
