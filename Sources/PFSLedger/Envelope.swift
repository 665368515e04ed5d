import PFSEvaluator
import PFSModel

/// What a payer may have to pay under one contract in one future fiscal year: the least and
/// the most the contract's rules allow, whatever the outcomes. The figure a budget officer
/// puts in a multi-year commitment.
public struct EnvelopeBound: Sendable, Hashable, Codable {
    public let contract: String
    /// The outcome year.
    public let fiscalYear: Int
    /// The fiscal year whose budget would pay it (支払年度): what payers' totals are grouped by.
    public let paymentYear: Int
    public let payer: String
    public let currency: String
    /// Amounts are in the contract's written unit (`scale` × currency).
    public let scale: ExactDecimal
    /// Paid whatever happens: fixed payments, within the caps.
    public let minimum: ExactDecimal
    /// The most the rules allow; nil when a clause without a cap could pay any amount.
    public let maximum: ExactDecimal?
    /// The clauses that leave the maximum open (a per-unit price or a profit share with no cap).
    public let uncapped: [String]
}

/// The bounds of every future year of a contract.
public enum Envelope {
    /// For each year of the term after the last settled one in `history` (all of them when
    /// none is settled) and each payer: the least and the most the rules allow. Caps per
    /// payment, per year and over the term (less what was paid before), and the reward
    /// maximum (less the rewards paid) bound the most; contracts declare no targets in
    /// format 1, so no "at target" figure is made.
    public static func bounds(
        _ contract: Contract, after history: [Settlement]
    ) throws(ArithmeticError)
        -> [EnvelopeBound]
    {
        let lastSettled = history.last?.fiscalYear.year ?? (contract.term.first - 1)
        guard lastSettled < contract.term.last else { return [] }
        let paidToDate = history.last?.paymentTotals?.paidToDate ?? .zero
        var termLeft: ExactDecimal?
        if let maximum = contract.paymentLimits?.maximum { termLeft = max(.zero, try maximum.subtracting(paidToDate)) }
        let rewardsPaid = try ExactDecimal.sum(history.flatMap { $0.projects.map(\.providerReward) })
        var rewardsLeft: ExactDecimal?
        if let maximum = contract.rewardMaximum { rewardsLeft = max(.zero, try maximum.subtracting(rewardsPaid)) }
        let roundUp = RoundingRule(increment: contract.rounding.increment, mode: .up)
        let roundDown = RoundingRule(increment: contract.rounding.increment, mode: .down)
        var bounds: [EnvelopeBound] = []
        for year in (lastSettled + 1)...contract.term.last {
            var low: [String: ExactDecimal] = [:]
            var payments: [String: ExactDecimal] = [:]
            var shares: [String: ExactDecimal] = [:]
            var open: [String: [String]] = [:]
            var order: [String] = []
            func touch(_ payer: String) {
                guard low[payer] == nil else { return }
                low[payer] = .zero
                payments[payer] = .zero
                shares[payer] = .zero
                order.append(payer)
            }
            for payment in contract.payments where payment.year == year {
                var (ruleLow, ruleHigh) = payment.rule.kindRule.bounds
                // Conditions that may not hold can leave a payment at nothing.
                if payment.conditions != nil { ruleLow = .zero }
                let capped = payment.ownCap.map { $0.holding(most: ruleHigh) } ?? ruleHigh
                for payer in payment.payers {
                    touch(payer.party)
                    // A payer's part of a split may carry one increment of the remainder.
                    let least = try roundDown.rounded(try min(ruleLow, capped ?? ruleLow).multiplied(by: payer.share))
                    low[payer.party] = try (low[payer.party] ?? .zero).adding(least)
                    if let capped {
                        let most = try roundUp.rounded(try capped.multiplied(by: payer.share))
                        payments[payer.party] = try (payments[payer.party] ?? .zero).adding(most)
                    } else {
                        open[payer.party, default: []].append(payment.id)
                    }
                }
            }
            for project in contract.projects {
                touch(project.payer)
                if let rewardsLeft {
                    // The reward maximum bounds all the projects' rewards together.
                    shares[project.payer] = rewardsLeft
                } else {
                    open[project.payer, default: []].append(project.id)
                }
            }
            // Caps over all payments (the year's, the term's less what was paid) bound what
            // payments add; the reward maximum bounds the profit share.
            let yearLimit = contract.paymentLimits?.yearLimits.first { $0.year == year }?.maximum
            let paymentLimit = [yearLimit, termLeft].compactMap { $0 }.min()
            for payer in order {
                let openPayments = (open[payer] ?? []).filter { id in contract.payments.contains { $0.id == id } }
                let openShares = (open[payer] ?? []).filter { id in contract.projects.contains { $0.id == id } }
                var paymentMost: ExactDecimal? = openPayments.isEmpty ? payments[payer] : nil
                if let paymentLimit,
                    contract.payments.contains(where: { $0.year == year && $0.payers.contains { $0.party == payer } })
                {
                    paymentMost = min(paymentMost ?? paymentLimit, paymentLimit)
                }
                let shareMost: ExactDecimal? = openShares.isEmpty ? shares[payer] : nil
                var most: ExactDecimal?
                if let paymentMost, let shareMost { most = try paymentMost.adding(shareMost) }
                let floor = low[payer] ?? .zero
                let least = most.map { min(floor, $0) } ?? floor
                bounds.append(
                    EnvelopeBound(
                        contract: contract.id, fiscalYear: year,
                        paymentYear: contract.paymentTiming.paymentYear(ofOutcome: year), payer: payer,
                        currency: contract.amounts.currency,
                        scale: contract.amounts.scale, minimum: least, maximum: most,
                        uncapped: most == nil
                            ? (paymentMost == nil ? openPayments : []) + (shareMost == nil ? openShares : []) : []))
            }
        }
        return bounds
    }
}

/// A payer's envelope for a fiscal year, summed over contracts in the currency itself
/// (each contract's bounds times its scale): the least, and the most (nil when a clause
/// has no cap).
public struct EnvelopeTotal: Sendable, Hashable {
    public let payer: String
    /// The fiscal year whose budget would pay it (支払年度).
    public let fiscalYear: Int
    public let currency: String
    public let minimum: ExactDecimal
    public let maximum: ExactDecimal?
    /// `contract/clause` of every clause that leaves the maximum open.
    public let uncapped: [String]
}

/// Contracts' envelopes added up per payer, fiscal year and currency (a portfolio's ledger
/// summary, `pfs status`).
public struct EnvelopeTotals: Sendable {
    private var byKey: [String: EnvelopeTotal] = [:]

    public init() {}

    /// Adds one contract's bounds.
    public mutating func add(_ bounds: [EnvelopeBound]) throws(ArithmeticError) {
        for bound in bounds {
            // A budget is per fiscal year of payment: an outcome paid the year after counts there.
            let key = "\(bound.payer)\u{0}\(bound.paymentYear)\u{0}\(bound.currency)"
            let before = byKey[key]
            var maximum: ExactDecimal?
            if let most = bound.maximum, before == nil || before?.maximum != nil {
                maximum = try (try most.multiplied(by: bound.scale)).adding(before?.maximum ?? .zero).normalized()
            }
            byKey[key] = EnvelopeTotal(
                payer: bound.payer, fiscalYear: bound.paymentYear, currency: bound.currency,
                minimum: try (try bound.minimum.multiplied(by: bound.scale)).adding(before?.minimum ?? .zero)
                    .normalized(),
                maximum: maximum, uncapped: (before?.uncapped ?? []) + bound.uncapped.map { "\(bound.contract)/\($0)" })
        }
    }

    /// The totals, by payer, fiscal year and currency.
    public var totals: [EnvelopeTotal] {
        byKey.values.sorted { ($0.payer, $0.fiscalYear, $0.currency) < ($1.payer, $1.fiscalYear, $1.currency) }
    }

    /// The totals as printed: a heading, then one line per payer and year (none: nothing).
    public var lines: [String] {
        let totals = self.totals
        guard !totals.isEmpty else { return [] }
        var lines = [
            "budget envelope per payer and future fiscal year of payment (in the currency): the least and the most:"
        ]
        for total in totals {
            let most: String
            if let maximum = total.maximum {
                most = "\(maximum) \(total.currency)"
            } else {
                let named = total.uncapped.prefix(3).joined(separator: ", ")
                let more = total.uncapped.count > 3 ? " and \(total.uncapped.count - 3) more" : ""
                most = "no maximum (uncapped: \(named)\(more))"
            }
            lines.append("  \(total.payer)  FY\(total.fiscalYear)  \(total.minimum) \(total.currency) to \(most)")
        }
        return lines
    }
}
