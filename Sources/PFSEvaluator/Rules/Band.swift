import PFSModel

/// Nothing worse than `startAt`, `amount` at or better than `fullAt`; in between a straight
/// line from 0, or the amount of the last step reached (`<band>`, with or without `<step>`s).
struct Band: PaymentRuleKind {
    let startAt: ExactDecimal
    let fullAt: ExactDecimal
    let amount: ExactDecimal
    let steps: [PaymentRule.Step]

    var name: String { steps.isEmpty ? "band (linear)" : "band (step table)" }
    var version: String { steps.isEmpty ? "band-linear" : "band-steps" }
    var inputs: Set<PaymentRuleInput> { [.outcome] }
    // A step table compares; a straight line multiplies.
    var comparesOnly: Bool { !steps.isEmpty }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [DeclaredAmount(what: "the full amount", amount: amount, location: payment.location)]
            + steps.map { DeclaredAmount(what: "a step amount", amount: $0.amount, location: $0.location) }
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        let outcome = input.outcome
        if input.reaches(outcome, fullAt) {
            let result = try input.rounding.rounded(amount)
            return RuleResult(result, .bandFull(outcome: outcome, fullAt: fullAt, amount: amount, result: result))
        }
        if !input.reaches(outcome, startAt) {
            return RuleResult(.zero, .bandNotStarted(outcome: outcome, startAt: startAt))
        }
        if !steps.isEmpty {
            guard let step = steps.last(where: { input.reaches(outcome, $0.at) }) else {
                return RuleResult(.zero, .bandNoStep(outcome: outcome))
            }
            let result = try input.rounding.rounded(step.amount)
            return RuleResult(result, .bandStep(outcome: outcome, at: step.at, amount: step.amount, result: result))
        }
        let numerator = try amount.multiplied(by: try outcome.subtracting(startAt))
        let span = try fullAt.subtracting(startAt)
        let result = try input.rounding.rounded(numerator, dividedBy: span)
        return RuleResult(
            result,
            .bandLinear(
                amount: amount, outcome: outcome, startAt: startAt, fullAt: fullAt, rounding: input.rounding,
                result: result))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? {
        guard let measured = input.measured else { return nil }
        var between = StepExpression.number(.zero)
        if steps.isEmpty {
            between = input.round(
                .quotient(
                    .product(.number(amount), .difference(measured.outcome, .number(startAt))),
                    .number((try? fullAt.subtracting(startAt)) ?? .one)))
        } else {
            for step in steps {
                between = measured.reaching(
                    step.at, inclusive: true, then: input.round(.number(step.amount)), otherwise: between)
            }
        }
        return measured.reaching(
            fullAt, inclusive: true, then: input.round(.number(amount)),
            otherwise: measured.reaching(startAt, inclusive: true, then: between, otherwise: .number(.zero)))
    }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? { [startAt, fullAt] + steps.map(\.at) }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, max(amount, steps.map(\.amount).max() ?? .zero)) }
}
