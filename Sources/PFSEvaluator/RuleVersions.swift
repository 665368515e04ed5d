import PFSModel

/// The version of each calculation rule the engine implements. Raise a rule's version in
/// the same change that alters what it computes for some contract; `pfs verify` then tells
/// a reader that a difference may come from the rule, not from the data.
public enum RuleVersions {
    /// Every rule and its current version.
    public static let current: [String: Int] = [
        "fiscal-improvement": 1,
        "projection/growth": 1, "projection/linear": 1, "projection/per-capita": 1,
        "profit-share": 1,
        "negative-improvement/floor": 1, "negative-improvement/carry-forward": 1, "negative-improvement/claw-back": 1,
        "reward-maximum": 1,
        "payment/fixed": 1, "payment/per-unit": 1, "payment/per-beneficiary": 1, "payment/band-linear": 1,
        "payment/band-steps": 1, "payment/proportional": 1, "payment/tiers": 1, "payment/threshold": 1,
        "payment/weighted-estimate": 1, "payment/per-unit-threshold": 1, "payment/savings-share": 1,
        "payment/rate-card": 1,
        "payment/measure": 1,
        "payment/conditions": 1, "targets": 1,
        "payment-limits": 1,
        "sib-waterfall": 1,
        "largest-remainder": 1,
    ]

    /// The rules settling `year` of `contract` applies, by name, with their versions.
    public static func applied(to contract: Contract, year: Int) -> [Settlement.RuleVersion] {
        var names: Set<String> = ["fiscal-improvement", "largest-remainder"]
        for kpi in contract.kpis {
            if let projection = kpi.projection, !kpi.expected.contains(where: { $0.year == year }) {
                names.insert("projection/\(projection.kindName)")
            }
        }
        if !contract.projects.isEmpty {
            names.insert("profit-share")
            names.insert("negative-improvement/\(contract.negativeImprovement.rawValue)")
            if contract.rewardMaximum != nil { names.insert("reward-maximum") }
        }
        for payment in contract.payments where payment.year <= year {
            names.insert("payment/\(payment.rule.kindRule.version)")
            if payment.kpi == nil && !payment.estimates.isEmpty { names.insert("payment/weighted-estimate") }
            if payment.measure != .actual { names.insert("payment/measure") }
            if payment.conditions != nil { names.insert("payment/conditions") }
        }
        if contract.paymentLimits != nil && !contract.payments.isEmpty { names.insert("payment-limits") }
        if contract.sib != nil && !contract.payments.isEmpty { names.insert("sib-waterfall") }
        if contract.targets.contains(where: { $0.applies(to: year) }) { names.insert("targets") }
        return names.sorted().map { .init(rule: $0, version: current[$0] ?? 1) }
    }
}
