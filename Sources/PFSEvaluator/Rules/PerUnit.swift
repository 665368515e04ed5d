import PFSModel

/// A price per unit of outcome better than a baseline (the KPI's, unless declared); nothing
/// when not better (`<per-unit price="…"/>`).
struct PerUnit: PaymentRuleKind {
    let price: ExactDecimal
    let baseline: ExactDecimal?

    var name: String { "per-unit" }
    var version: String { "per-unit" }
    var inputs: Set<PaymentRuleInput> { [.outcome] }
    var comparesOnly: Bool { false }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [DeclaredAmount(what: "the price per unit", amount: price, location: payment.location)]
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        let units = try input.unitsBetter(than: baseline ?? input.kpiBaseline)
        let exact = try units.units.multiplied(by: price)
        let result = try input.rounding.rounded(exact)
        return RuleResult(
            result, .perUnit(units: units, price: price, exact: exact, rounding: input.rounding, result: result))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? {
        guard let measured = input.measured else { return nil }
        let from = StepExpression.number(baseline ?? measured.baseline)
        let gain: StepExpression =
            measured.direction == .higherIsBetter
            ? .difference(measured.outcome, from) : .difference(from, measured.outcome)
        return input.round(.product(.atLeastZero(gain), .number(price)))
    }

    func marks(baseline kpiBaseline: ExactDecimal) -> [ExactDecimal]? { [baseline ?? kpiBaseline] }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, nil) }
}
