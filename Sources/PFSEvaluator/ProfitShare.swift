import PFSModel

/// Rules 2–6 for one project and year: the attributable improvement from each credited KPI,
/// the net, the negative-improvement policy (carry-forward, claw-back), the one rounding,
/// and the split among the providers and the payer.
extension Evaluator {
    /// Settles one project for `year`, reading and updating what the term carries.
    static func settle(
        _ project: Project, of contract: Contract, year: Int,
        fiscalImprovements: [String: (value: ExactDecimal, step: String)],
        state: inout TermState, steps: inout StepLog
    ) throws(EvaluationError) -> Settlement.ProjectSettlement {
        let (attributions, net, netStep) = try attribute(project, fiscalImprovements: fiscalImprovements, steps: &steps)
        let toSplit = try amountToSplit(
            project, of: contract, year: year, net: net, netStep: netStep, state: state, steps: &steps)
        let (payer, recipients) = try recipients(of: project, in: contract)
        let (allocations, owedAfter) = try split(
            toSplit, of: project, in: contract, payer: payer, recipients: recipients,
            state: &state, steps: &steps)
        if let carriedOut = toSplit.carriedOut { state.carried[project.id] = carriedOut }
        return .init(
            id: project.id, name: project.name, payer: .init(payer), attributions: attributions, netAttributable: net,
            flooredAtZero: toSplit.floored, attributable: toSplit.amount, step: toSplit.step, allocations: allocations,
            negativeImprovement: contract.negativeImprovement, carriedIn: toSplit.carriedIn,
            carriedOut: toSplit.carriedOut,
            clawbackOwed: owedAfter)
    }

    /// Rules 2 and 3: each credited KPI's fiscal improvement × the project's share, and
    /// their sum; with the step whose result is the net (the sum, or the one attribution).
    static func attribute(
        _ project: Project, fiscalImprovements: [String: (value: ExactDecimal, step: String)],
        steps: inout StepLog
    ) throws(EvaluationError) -> ([Settlement.Attribution], ExactDecimal, [String]) {
        var attributions: [Settlement.Attribution] = []
        for credit in project.credits {
            guard let fiscal = fiscalImprovements[credit.kpi] else {
                throw .missingData("KPI '\(credit.kpi)' has no improvement for this year", at: credit.location)
            }
            let attributable = try checked("project '\(project.id)' share of KPI '\(credit.kpi)'", at: credit.location)
            { () throws(ArithmeticError) in
                try fiscal.value.multiplied(by: credit.share)
            }
            let step = steps.record(
                .attributable(
                    project: .init(project), kpi: credit.kpi, fiscalStep: fiscal.step, fiscal: fiscal.value,
                    share: credit.share, attributable: attributable),
                attributable,
                uses: [fiscal.step], expression: .product(.step(fiscal.step), .number(credit.share)))
            attributions.append(
                .init(
                    kpi: credit.kpi, fiscalImprovement: fiscal.value, share: credit.share, attributable: attributable,
                    step: step))
        }
        let net = try checked("project '\(project.id)' net attributable", at: project.location) {
            () throws(ArithmeticError) in
            try ExactDecimal.sum(attributions.map(\.attributable))
        }
        guard attributions.count > 1 else { return (attributions, net, attributions.map(\.step)) }
        let sumStep = steps.record(
            .netAttributable(
                project: .init(project), parts: attributions.map { .init(id: $0.step, amount: $0.attributable) },
                net: net),
            net,
            uses: attributions.map(\.step), expression: .sum(attributions.map { .step($0.step) }))
        return (attributions, net, [sumStep])
    }

    /// What rules 4 and 5 make of a project's net: after the shortfall carried in, floored
    /// at zero when negative, rounded once.
    struct AmountToSplit {
        /// The net after the carried shortfall (the net itself under other policies).
        let base: ExactDecimal
        let carriedIn: ExactDecimal?
        let carriedOut: ExactDecimal?
        let floored: Bool
        /// The rounded amount to split.
        let amount: ExactDecimal
        /// The step that computed ``amount``.
        let step: String
    }

    /// Rules 4 and 5: the negative-improvement policy's part before the split (the
    /// shortfall carried forward is added first), the floor at zero, and the one rounding.
    static func amountToSplit(
        _ project: Project, of contract: Contract, year: Int, net: ExactDecimal, netStep: [String],
        state: TermState, steps: inout StepLog
    ) throws(EvaluationError) -> AmountToSplit {
        let policy = contract.negativeImprovement
        var base = net
        var carriedIn: ExactDecimal?
        var uses = netStep
        if policy == .carryForward {
            let carried = state.carried[project.id] ?? .zero
            carriedIn = carried
            base = try checked("project '\(project.id)'", at: project.location) { () throws(ArithmeticError) in
                try net.adding(carried)
            }
            uses = [
                steps.record(
                    .netAfterCarried(project: .init(project), net: net, carried: carried, base: base), base, uses: uses, expression: .sum(uses.map(StepExpression.step) + [.number(carried)]))
            ]
        }
        let floored = base.signum < 0
        let rule = contract.rounding
        let amount = try checked("project '\(project.id)' attributable", at: project.location) {
            () throws(ArithmeticError) in
            try rule.rounded(floored ? .zero : base)
        }
        let step = steps.record(
            .amountToSplit(
                project: .init(project), base: base, rounding: rule, amount: amount,
                negative: floored ? .init(policy: policy, lastYear: year >= contract.term.last) : nil),
            amount, uses: uses,
            expression: .rounded(
                .atLeastZero(.sum(uses.map(StepExpression.step))), increment: rule.increment, mode: rule.mode))
        return AmountToSplit(
            base: base, carriedIn: carriedIn, carriedOut: policy == .carryForward ? (floored ? base : .zero) : nil,
            floored: floored, amount: amount, step: step)
    }

    /// The payer, and everyone who shares the amount — the providers by their shares and
    /// the payer with the rest — in the order of `<parties>` (largest-remainder ties go to
    /// the party declared first).
    static func recipients(
        of project: Project, in contract: Contract
    ) throws(EvaluationError)
        -> (payer: Party, recipients: [(party: Party, share: ExactDecimal)])
    {
        guard let payer = contract.party(project.payer) else {
            throw .missingData("payer '\(project.payer)' is not declared", at: project.payerLocation)
        }
        var recipients: [(party: Party, share: ExactDecimal)] = []
        for providerShare in project.providerShares {
            guard let party = contract.party(providerShare.party) else {
                throw .missingData("party '\(providerShare.party)' is not declared", at: providerShare.location)
            }
            recipients.append((party, providerShare.share))
        }
        let payerShare = try checked("project '\(project.id)' payer share", at: project.location) {
            () throws(ArithmeticError) in
            try ExactDecimal.one.subtracting(try ExactDecimal.sum(recipients.map(\.share)))
        }
        recipients.append((payer, payerShare))
        recipients.sort { (contract.partyOrder($0.party.id) ?? 0) < (contract.partyOrder($1.party.id) ?? 0) }
        return (payer, recipients)
    }

    /// Rule 6 and the claw-back: the amount split by largest remainder, then what each
    /// provider owes from earlier shortfalls deducted from its reward and kept by the payer
    /// (a shortfall this year adds to what it owes).
    static func split(
        _ toSplit: AmountToSplit, of project: Project, in contract: Contract, payer: Party,
        recipients: [(party: Party, share: ExactDecimal)], state: inout TermState,
        steps: inout StepLog
    ) throws(EvaluationError) -> ([Settlement.Allocation], [Settlement.PartyTotal]?) {
        let what = "project '\(project.id)'"
        let rule = contract.rounding
        let parts = try checked("project '\(project.id)' split", at: project.location) { () throws(ArithmeticError) in
            try LargestRemainder.allocate(toSplit.amount, shares: recipients.map(\.share), increment: rule.increment)
        }
        var clawbacks: [String: ExactDecimal] = [:]
        var owedAfter: [Settlement.PartyTotal]?
        if contract.negativeImprovement == .clawBack {
            var owed = state.owed[project.id] ?? [:]
            try checked(what, at: project.location) { () throws(ArithmeticError) in
                try applyClawback(
                    net: toSplit.base, amounts: parts.map(\.amount), recipients: recipients, payer: payer.id,
                    rounding: rule, owed: &owed, deductions: &clawbacks)
            }
            state.owed[project.id] = owed
            owedAfter = recipients.filter { $0.party.id != payer.id }.map {
                .init(party: .init($0.party), amount: owed[$0.party.id] ?? .zero)
            }
        }
        var allocations: [Settlement.Allocation] = []
        for (recipient, part) in zip(recipients, parts) {
            let clawback = clawbacks[recipient.party.id]
            let amount = try checked(what, at: project.location) { () throws(ArithmeticError) in
                try part.amount.adding(clawback ?? .zero)
            }
            let step = allocationStep(
                project, recipient: recipient, isPayer: recipient.party.id == payer.id, part: part, amount: amount,
                clawback: clawback, toSplit: toSplit, increment: rule.increment, steps: &steps)
            allocations.append(
                .init(
                    party: .init(recipient.party), share: recipient.share, exact: part.exact, amount: amount,
                    receivedRemainder: part.receivedRemainder, clawback: clawback, step: step))
        }
        if let owedAfter, owedAfter.contains(where: { $0.amount.signum != 0 }) {
            steps.record(
                .clawbackOwed(project: .init(project), owed: owedAfter.map { .init(id: $0.party.id, amount: $0.amount) }),
                try checked(what, at: project.location) {
                    () throws(ArithmeticError) in try ExactDecimal.sum(owedAfter.map(\.amount))
                }, uses: [toSplit.step])
        }
        return (allocations, owedAfter)
    }

    /// The step of one party's part of the split.
    static func allocationStep(
        _ project: Project, recipient: (party: Party, share: ExactDecimal), isPayer: Bool,
        part: LargestRemainder.Part, amount: ExactDecimal, clawback: ExactDecimal?, toSplit: AmountToSplit,
        increment: ExactDecimal, steps: inout StepLog
    ) -> String {
        steps.record(
            .allocation(
                .init(
                    project: .init(project), party: .init(recipient.party), isPayer: isPayer,
                    toSplitStep: toSplit.step, toSplit: toSplit.amount, share: recipient.share, exact: part.exact,
                    part: part.amount, increment: increment, receivedRemainder: part.receivedRemainder,
                    clawback: clawback, amount: amount)),
            amount, uses: [toSplit.step])
    }

    /// One year of claw-back: a negative net adds each provider's rounded share of it to what
    /// it owes; otherwise each provider's reward is reduced by what it owes (never below
    /// zero) and the payer keeps the deductions.
    static func applyClawback(
        net: ExactDecimal, amounts: [ExactDecimal], recipients: [(party: Party, share: ExactDecimal)], payer: String,
        rounding: RoundingRule, owed: inout [String: ExactDecimal],
        deductions: inout [String: ExactDecimal]
    ) throws(ArithmeticError) {
        if net.signum < 0 {
            for recipient in recipients where recipient.party.id != payer {
                let share = try rounding.rounded(try net.negated().multiplied(by: recipient.share))
                owed[recipient.party.id] = try (owed[recipient.party.id] ?? .zero).adding(share)
            }
            return
        }
        var kept = ExactDecimal.zero
        for (recipient, amount) in zip(recipients, amounts) where recipient.party.id != payer {
            let due = owed[recipient.party.id] ?? .zero
            let deduction = due < amount ? due : amount
            guard deduction.signum > 0 else { continue }
            owed[recipient.party.id] = try due.subtracting(deduction)
            deductions[recipient.party.id] = deduction.negated()
            kept = try kept.adding(deduction)
        }
        if kept.signum > 0 { deductions[payer] = kept }
    }
}
