import Foundation
import PFSModel

extension Evaluator {
    /// Samples between the ends of a curve's range (besides its marks and the outcome).
    static let curveSamples = 48

    /// The curve of every payment of `year` whose amount depends on one outcome (not fixed
    /// amounts, not per-beneficiary sums: see ``PaymentRuleKind/marks(baseline:)``), around
    /// the year's outcome when it is measured. A payment whose KPI cannot be read for the
    /// year has no curve.
    public static func paymentCurves(_ contract: Contract, year: Int) -> [PaymentCurve] {
        contract.payments.filter { $0.year == year }.compactMap { payment in
            guard payment.rule.kindRule.marks(baseline: .zero) != nil,
                let measured = try? outcome(of: payment, in: contract) else { return nil }
            return try? curve(
                payment, direction: measured.direction, baseline: measured.baseline,
                outcome: measured.shown, rounding: contract.rounding)
        }
    }

    /// The rule applied at evenly spaced outcomes over its marks and the outcome (widened a
    /// fifth each side), and just before, at and just after each mark, so that a jump is
    /// drawn where it happens. The sample outcomes are chosen in binary floating point
    /// (they only place a drawing); every amount is the rule's exact result.
    static func curve(
        _ payment: Payment, direction: Direction, baseline: ExactDecimal, outcome: ExactDecimal?,
        rounding: RoundingRule
    ) throws(ArithmeticError) -> PaymentCurve? {
        let kind = payment.rule.kindRule
        guard let marks = kind.marks(baseline: baseline) else { return nil }
        let known = marks + (outcome.map { [$0] } ?? []) + [baseline]
        let values = known.compactMap { Double($0.description) }
        guard let low = values.min(), let high = values.max() else { return nil }
        let pad = high > low ? (high - low) / 5 : max(abs(high) / 5, 1)
        let (from, to) = (low - pad, high + pad)
        let epsilon = (to - from) / 1_000_000
        var samples: [Double] = (0...curveSamples).map { from + (to - from) * Double($0) / Double(curveSamples) }
        for mark in marks.compactMap({ Double($0.description) }) { samples += [mark - epsilon, mark + epsilon] }
        var outcomes = Set(samples.compactMap { ExactDecimal(plain: String(format: "%.9f", $0))?.normalized() })
        outcomes.formUnion(known.map { $0.normalized() })
        var points: [PaymentCurve.Point] = []
        for value in outcomes.sorted() {
            let byRule = try kind.amount(
                RuleInput(
                    outcome: value, direction: direction, kpiBaseline: baseline, rounding: rounding, beneficiaries: [],
                    outcomeBelowExact: false)
            ).amount
            let amount = payment.ownCap?.holding(byRule) ?? byRule
            points.append(PaymentCurve.Point(outcome: value, amount: amount))
        }
        return PaymentCurve(
            payment: payment.id, points: points, cap: payment.cap, direction: direction, baseline: baseline,
            marks: marks.sorted())
    }
}
