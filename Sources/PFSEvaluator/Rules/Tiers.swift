import PFSModel

/// The amount of the best tier reached: a tier is reached when the outcome is at least
/// `from × reference` (or better than it, when not inclusive) (`<tiers>`).
struct Tiers: PaymentRuleKind {
    let reference: ExactDecimal
    let tiers: [PaymentRule.Tier]

    var name: String { "tiers" }
    var version: String { "tiers" }
    var inputs: Set<PaymentRuleInput> { [.outcome] }
    var comparesOnly: Bool { true }

    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] {
        tiers.map { DeclaredAmount(what: "a tier amount", amount: $0.amount, location: $0.location) }
    }

    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        let outcome = input.outcome
        var reached: (tier: PaymentRule.Tier, mark: ExactDecimal)?
        for tier in tiers {
            let mark = try tier.from.multiplied(by: reference)
            if input.reaches(outcome, mark, inclusive: tier.inclusive) { reached = (tier, mark) }
        }
        guard let reached else { return RuleResult(.zero, .noTier(outcome: outcome, reference: reference)) }
        let result = try input.rounding.rounded(reached.tier.amount)
        return RuleResult(
            result,
            .tier(
                outcome: outcome, comparison: input.comparison(inclusive: reached.tier.inclusive),
                from: reached.tier.from, reference: reference, mark: reached.mark, amount: reached.tier.amount,
                result: result))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? {
        guard let measured = input.measured else { return nil }
        var chosen = StepExpression.number(.zero)
        for tier in tiers {
            guard let mark = try? tier.from.multiplied(by: reference) else { return nil }
            chosen = measured.reaching(
                mark, inclusive: tier.inclusive, then: input.round(.number(tier.amount)), otherwise: chosen)
        }
        return chosen
    }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? {
        tiers.compactMap { try? $0.from.multiplied(by: reference) }
    }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, tiers.map(\.amount).max() ?? .zero) }
}
