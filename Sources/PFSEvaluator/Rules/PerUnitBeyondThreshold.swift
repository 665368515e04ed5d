import PFSModel

/// A price per unit of outcome better than a baseline, nothing until those units reach a
/// threshold; then every unit, or only those beyond the threshold (format 2's
/// `<per-unit … threshold="…" pays="all|beyond"/>`).
struct PerUnitBeyondThreshold: PaymentRuleKind {
    let price: ExactDecimal
    let baseline: ExactDecimal?
    let threshold: ExactDecimal
    let pays: UnitsPaid

    var name: String { pays == .all ? "per-unit (behind a threshold)" : "per-unit (beyond a threshold)" }
    var version: String { "per-unit-threshold" }
    var inputs: Set<PaymentRuleInput> { [.outcome] }
    var comparesOnly: Bool { false }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [
            DeclaredAmount(what: "the price per unit", amount: price, location: payment.location),
            DeclaredAmount(what: "the threshold", amount: threshold, location: payment.location),
        ]
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        let units = try input.unitsBetter(than: baseline ?? input.kpiBaseline)
        guard units.units >= threshold else { return RuleResult(.zero, .belowThreshold(units: units, threshold: threshold)) }
        let paid = pays == .all ? units.units : try units.units.subtracting(threshold)
        let exact = try paid.multiplied(by: price)
        let result = try input.rounding.rounded(exact)
        return RuleResult(
            result,
            .beyondThreshold(
                units: units, threshold: threshold, paysAll: pays == .all, paid: paid, price: price, exact: exact,
                rounding: input.rounding, result: result))
    }

    // The jump at the threshold is a comparison of a difference: a value with its formula.
    func expression(_ input: RuleExpressionInput) -> StepExpression? { nil }

    func marks(baseline kpiBaseline: ExactDecimal) -> [ExactDecimal]? {
        let from = baseline ?? kpiBaseline
        return [from, (try? from.adding(threshold)) ?? from, (try? from.subtracting(threshold)) ?? from]
    }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, nil) }
}
