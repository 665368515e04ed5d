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
    /// Per rate card, per participant: what the card has paid them so far.
    var participantPaid: [String: [String: ExactDecimal]] = [:]
    /// Per share-of-savings account: what its payments have repaid so far.
    var repaid: [String: ExactDecimal] = [:]
    /// The social impact bond's waterfall after the payments so far.
    var waterfall: Waterfall?
    /// The same for a bond whose capital is in classes (format 2).
    var classWaterfall: ClassWaterfall?

    /// What the state hands to the next year, as a settlement records it: only what the
    /// contract's rules carry (nil when nothing).
    func carriedForward(_ contract: Contract) -> Settlement.CarriedForward? {
        let policy = contract.negativeImprovement
        let shortfalls =
            policy == .carryForward
            ? contract.projects.map { Settlement.ProjectAmount(project: $0.id, amount: carried[$0.id] ?? .zero) } : nil
        let owedAmounts =
            policy == .clawBack
            ? contract.projects.flatMap { project in
                project.providerShares.map {
                    Settlement.ProjectAmount(
                        project: project.id, party: $0.party, amount: owed[project.id]?[$0.party] ?? .zero)
                }
            } : nil
        let payers = contract.parties.filter { party in
            contract.payments.contains { $0.payers.contains { $0.party == party.id } }
        }
        let paidByPayer =
            contract.paymentLimits?.payerLimits.isEmpty == false
            ? payers.map { Settlement.PartyTotal(party: .init($0), amount: paidBy[$0.id] ?? .zero) } : nil
        let record = Settlement.CarriedForward(
            shortfalls: shortfalls, clawbacksOwed: owedAmounts,
            rewardsPaid: contract.rewardMaximum == nil ? nil : rewardsPaid,
            paymentsPaid: contract.payments.isEmpty ? nil : paid, paidByPayer: paidByPayer)
        let empty =
            record.shortfalls == nil && record.clawbacksOwed == nil && record.rewardsPaid == nil
            && record.paymentsPaid == nil && record.paidByPayer == nil
        return empty ? nil : record
    }

    /// The state before the term's first year.
    init(_ contract: Contract) throws(EvaluationError) {
        if let sib = contract.sib, !sib.classes.isEmpty {
            classWaterfall = ClassWaterfall(sib: sib, rounding: contract.rounding)
            return
        }
        waterfall = try contract.sib.map { (sib) throws(EvaluationError) in
            try Evaluator.checked("the SIB waterfall", at: sib.location) { () throws(ArithmeticError) in
                try Waterfall(sib: sib, rounding: contract.rounding)
            }
        }
    }
}
