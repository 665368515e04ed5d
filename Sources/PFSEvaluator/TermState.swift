import PFSModel

/// What one year of a term hands to the next: everything a rule needs from the years
/// before, so that a term is settled in one pass over its years (``Evaluator/settleTerm(_:years:provenance:)``)
/// instead of each year replaying the ones before it.
struct TermState {
    /// Per project: the shortfall carried into the next year, 0 or negative (carry-forward).
    var carried: [String: ExactDecimal] = [:]
    /// Per project, per provider: the claw-back still owed (claw-back).
    var owed: [String: [String: ExactDecimal]] = [:]
    /// The providers' profit-share rewards paid so far, after the reward maximum.
    var rewardsPaid = ExactDecimal.zero
    /// Outcome payments made so far: in all, per fiscal year, per payer.
    var paid = ExactDecimal.zero
    var paidInYear: [Int: ExactDecimal] = [:]
    var paidBy: [String: ExactDecimal] = [:]
    /// The social impact bond's waterfall after the payments so far.
    var waterfall: Waterfall?

    /// The state before the term's first year.
    init(_ contract: Contract) throws(EvaluationError) {
        waterfall = try contract.sib.map { (sib) throws(EvaluationError) in
            try Evaluator.checked("the SIB waterfall", at: sib.location) { () throws(ArithmeticError) in
                try Waterfall(sib: sib, rounding: contract.rounding)
            }
        }
    }
}
