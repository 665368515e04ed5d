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
        let (units, better) = try input.unitsBetter(than: baseline ?? input.kpiBaseline)
        guard units >= threshold else {
            return RuleResult(
                amount: .zero,
                formula: "units max(0, \(better)) = \(units) do not reach the threshold \(threshold): 0",
                "単位数 max(0, \(better)) = \(units) は閾値 \(threshold) に未到達：0")
        }
        let paid = pays == .all ? units : try units.subtracting(threshold)
        let exact = try paid.multiplied(by: price)
        let result = try input.rounding.rounded(exact)
        let which = pays == .all ? "all \(units) units paid" : "the \(paid) units beyond it paid"
        let whichJA = pays == .all ? "全 \(units) 単位に支払" : "超過分 \(paid) 単位に支払"
        return RuleResult(
            amount: result,
            formula:
                """
                units max(0, \(better)) = \(units) reach the threshold \(threshold), \(which): \(paid) × \(price) \
                = \(exact), \(input.mode) = \(result)
                """,
            """
            単位数 max(0, \(better)) = \(units) が閾値 \(threshold) に到達、\(whichJA)：\(paid) × \(price) = \
            \(exact)、\(input.modeJA) = \(result)
            """)
    }

    // The jump at the threshold is a comparison of a difference: a value with its formula.
    func expression(_ input: RuleExpressionInput) -> StepExpression? { nil }

    func marks(baseline kpiBaseline: ExactDecimal) -> [ExactDecimal]? {
        let from = baseline ?? kpiBaseline
        return [from, (try? from.adding(threshold)) ?? from, (try? from.subtracting(threshold)) ?? from]
    }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, nil) }
}
