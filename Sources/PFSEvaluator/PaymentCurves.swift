import Foundation
import PFSModel

extension Evaluator {
    /// Samples between the ends of a curve's range (besides its marks and the outcome).
    static let curveSamples = 48

    /// The curve of every payment of `year` whose amount depends on an outcome (not fixed
    /// amounts, not per-beneficiary sums), around the year's outcome when it is measured.
    /// A payment whose KPI cannot be read for the year has no curve.
    public static func paymentCurves(_ contract: Contract, year: Int) -> [PaymentCurve] {
        contract.payments.filter { $0.year == year }.compactMap { payment in
            switch payment.rule {
            case .fixed, .perBeneficiary, .rateCard, .savingsShare: return nil
            default: break
            }
            guard let measured = try? outcome(of: payment, in: contract) else { return nil }
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
        let marks = marks(of: payment.rule, baseline: baseline)
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
            var amount = try payment.rule.evaluate(
                outcome: value, direction: direction, kpiBaseline: baseline, rounding: rounding
            ).amount
            if let cap = payment.cap, amount > cap { amount = cap }
            points.append(PaymentCurve.Point(outcome: value, amount: amount))
        }
        return PaymentCurve(
            payment: payment.id, points: points, cap: payment.cap, direction: direction, baseline: baseline,
            marks: marks.sorted())
    }

    /// Where a rule jumps or bends.
    static func marks(of rule: PaymentRule, baseline: ExactDecimal) -> [ExactDecimal] {
        switch rule {
        case .fixed, .perBeneficiary, .savingsShare, .rateCard: return []
        case .perUnit(_, let declared): return [declared ?? baseline]
        case .perUnitBeyond(_, let declared, let threshold, _):
            let from = declared ?? baseline
            return [from, (try? from.adding(threshold)) ?? from, (try? from.subtracting(threshold)) ?? from]
        case .band(let startAt, let fullAt, _, let steps): return [startAt, fullAt] + steps.map(\.at)
        case .proportional(let target, _): return [target]
        case .tiers(let reference, let tiers): return tiers.compactMap { try? $0.from.multiplied(by: reference) }
        case .threshold(let at, _, _): return [at]
        }
    }
}
