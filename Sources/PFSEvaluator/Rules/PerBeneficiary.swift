import PFSModel

/// A price per unit of each beneficiary's value, at most a cap for any one beneficiary (the
/// actual value broken down by beneficiary; `<per-unit … cap-per-beneficiary="…"/>`).
struct PerBeneficiary: PaymentRuleKind {
    let price: ExactDecimal
    let capPerBeneficiary: ExactDecimal

    /// Beyond this many beneficiaries the workbook shows the sum as a value.
    static let mostInFormula = 200

    var name: String { "per-unit (capped per beneficiary)" }
    var version: String { "per-beneficiary" }
    var inputs: Set<PaymentRuleInput> { [.outcome, .beneficiaries] }
    var comparesOnly: Bool { false }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        [
            DeclaredAmount(what: "the price per unit", amount: price, location: payment.location),
            DeclaredAmount(what: "the cap per beneficiary", amount: capPerBeneficiary, location: payment.location),
        ]
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        var total = ExactDecimal.zero
        var capped = 0
        for units in input.beneficiaries where units.signum > 0 {
            let amount = try units.multiplied(by: price)
            if amount > capPerBeneficiary { capped += 1 }
            total = try total.adding(min(amount, capPerBeneficiary))
        }
        let result = try input.rounding.rounded(total)
        return RuleResult(
            result,
            .perBeneficiary(
                count: input.beneficiaries.count, price: price, cap: capPerBeneficiary, total: total, capped: capped,
                rounding: input.rounding, result: result))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? {
        let units = input.beneficiaries.filter { $0.signum > 0 }
        guard !units.isEmpty, units.count <= Self.mostInFormula else { return nil }
        return input.round(
            .sum(units.map { .smaller(.product(.number($0), .number(price)), .number(capPerBeneficiary)) }))
    }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? { nil }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, nil) }
}
