import PFSModel

/// Outcome payments by rule (Contracts/README.md, "Outcome payments"): each payment of the
/// year, in declared order, gives an amount by its rule (rounded once); its cap, what is
/// left of its year's limit and of the contract's maximum cut it; each payer's part is cut
/// to what is left of that payer's limit; what is paid is split among the payees, and what
/// reaches a social impact bond's intermediary runs through its waterfall.
extension Evaluator {
    /// Settles the year's payments from what the term has paid so far, and updates it.
    static func settlePayments(
        of contract: Contract, year: Int, state: inout TermState,
        steps: inout StepLog
    ) throws(EvaluationError)
        -> ([Settlement.PaymentOutcome]?, Settlement.PaymentTotals?, Settlement.SIBFlows?)
    {
        guard !contract.payments.isEmpty else { return (nil, nil, nil) }
        // The state before this year's payments; each payment updates it in declared order.
        let waterfallBefore = state.waterfall
        let paidBefore = state.paid
        var paidThisYear = ExactDecimal.zero
        var outcomes: [Settlement.PaymentOutcome] = []
        for payment in contract.payments where payment.year == year {
            let paidSoFar = try checked("payment '\(payment.id)'", at: payment.location) { () throws(ArithmeticError) in
                try paidBefore.adding(paidThisYear)
            }
            let paid = try pay(payment, in: contract, paidSoFar: paidSoFar, state: &state)
            paidThisYear = try checked("payment '\(payment.id)'", at: payment.location) { () throws(ArithmeticError) in
                try paidThisYear.adding(paid.amount)
            }
            outcomes.append(record(paid, of: payment, rounding: contract.rounding, steps: &steps))
        }
        let location = contract.paymentLimits?.location ?? contract.location
        let maximum = contract.paymentLimits?.maximum
        let paidToDate = try checked("payments to date", at: location) { () throws(ArithmeticError) in
            try paidBefore.adding(paidThisYear)
        }
        let remaining = try maximum.map { (maximum) throws(EvaluationError) in
            try checked("payments remaining", at: location) { () throws(ArithmeticError) in
                try maximum.subtracting(paidToDate)
            }
        }
        let paymentSteps = outcomes.map(\.step)
        let addsUp = (try? ExactDecimal.sum(outcomes.map(\.amount))) == paidThisYear
        steps.record(
            .paymentsToDate(
                year: contract.names(of: year), paidBefore: paidBefore, thisYear: paidThisYear, toDate: paidToDate,
                maximum: maximum, remaining: remaining),
            paidToDate, uses: paymentSteps,
            expression: addsUp ? .sum([.number(paidBefore)] + paymentSteps.map(StepExpression.step)) : nil)
        state.paid = paidToDate
        // The intermediary receives the year's payments whole when it is their only payee.
        let receivedWhole =
            contract.sib.map { sib in
                outcomes.allSatisfy { $0.payees.count == 1 && $0.payees.first?.party.id == sib.intermediary }
            } ?? false
        var flows = try state.waterfall.map { (after) throws(EvaluationError) in
            try sibFlows(
                after: after, before: waterfallBefore ?? after, contract: contract, year: year, payments: paymentSteps,
                receivedWhole: receivedWhole, steps: &steps)
        }
        if state.classWaterfall != nil {
            flows = try classFlows(of: contract, year: year, payments: paymentSteps, state: &state, steps: &steps)
        }
        return (
            outcomes,
            .init(
                paidBefore: paidBefore, paidThisYear: paidThisYear, paidToDate: paidToDate, maximum: maximum,
                minimum: contract.paymentLimits?.minimum, remaining: remaining), flows
        )
    }

    /// One payment worked out: what its rule gave, what the caps cut, who pays and receives.
    struct PaidPayment {
        /// What the rule gave (nothing when conditions do not hold), and how.
        let byRule: ExactDecimal
        let working: StepFigures.PaymentWorking
        /// The payment's conditions as checked, if it has any.
        var conditions: (holds: Bool, results: [Settlement.ConditionResult])? = nil
        /// A share of savings against its repayment mark, if the rule is one.
        var repayment: Settlement.Repayment? = nil
        /// What a rate card gave, if the rule is one.
        var rateCard: Settlement.RateCardResult? = nil
        /// The KPI's direction and baseline the rule was applied with (nil for a fixed amount).
        var direction: Direction? = nil
        var baseline: ExactDecimal? = nil
        /// The caps and limits that cut the amount, in order.
        var limits: [AmountLimit] = []
        let observation: Observation?
        /// How the outcome was worked out, when it is not a declared figure.
        var source: Settlement.OutcomeWorking? = nil
        let reads: [Settlement.Reading]
        let cuts: [StepFigures.LimitCut]
        let payers: [Settlement.PartyAmount]
        let payees: [Settlement.PartyAmount]
        let amount: ExactDecimal
        let cut: ExactDecimal
    }

    /// Applies one payment's rule and caps and splits it, updating what the term has paid.
    static func pay(
        _ payment: Payment, in contract: Contract, paidSoFar: ExactDecimal,
        state: inout TermState
    ) throws(EvaluationError) -> PaidPayment {
        let kind = payment.rule.kindRule
        var observation: Observation?
        var reads: [Settlement.Reading] = []
        var direction = Direction.higherIsBetter
        var kpiBaseline = ExactDecimal.zero
        var belowExact = false
        var shown: Observation?
        var working: MeasureWorking?
        var source: Settlement.OutcomeWorking?
        if kind.inputs.contains(.outcome) {
            let measured = try outcome(of: payment, in: contract)
            (observation, reads, direction, kpiBaseline, belowExact, working, source) = (
                measured.observation, measured.reads, measured.direction, measured.baseline, measured.belowExact,
                measured.working, measured.source
            )
            // A ratio is shown to the KPI's precision; the rule compares it exactly.
            shown = Observation(
                year: measured.observation.year, value: measured.shown, source: measured.observation.source,
                location: measured.observation.location, beneficiaries: measured.observation.beneficiaries)
        }
        let what = "payment '\(payment.id)'"
        var conditions: (holds: Bool, results: [Settlement.ConditionResult])?
        if let tree = payment.conditions {
            conditions = try check(tree, year: payment.year, contract: contract)
            reads += conditionReads(tree, year: payment.year, contract).filter { !reads.contains($0) }
        }
        let input = RuleInput(
            outcome: observation?.value ?? .zero, direction: direction, kpiBaseline: kpiBaseline,
            rounding: contract.rounding, beneficiaries: observation?.beneficiaries.map(\.value) ?? [],
            outcomeBelowExact: belowExact)
        var settled = SettledRule(
            result: try checked(what, at: payment.location) { () throws(ArithmeticError) in try kind.amount(input) })
        let keeping = kind as? any AccountKeepingRule
        if let keeping,
            let fromAccounts = try keeping.settle(
                payment, input: input, conditionsHold: conditions?.holds != false, in: contract, state: &state)
        {
            settled = fromAccounts
        }
        var measure: StepFigures.MeasuredOutcome?
        if payment.measure != .actual, let observation, let shown, let working {
            measure = .init(
                measure: payment.measure, working: working, value: observation.value, belowExact: belowExact,
                shown: shown.value)
        }
        let conditionsChecked = conditions.map { StepFigures.ConditionsChecked(hold: $0.holds, results: $0.results) }
        let byRule = conditions?.holds == false ? .zero : settled.result.amount
        var (amount, cuts, limits) = try capped(
            byRule, payment: payment, in: contract, paidSoFar: paidSoFar, state: state)
        let payers = try payerParts(amount, payment: payment, in: contract, cuts: &cuts, state: &state)
        amount = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try ExactDecimal.sum(payers.map(\.amount))
        }
        let cut = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try byRule.subtracting(amount)
        }
        state.paidInYear[payment.year] = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try (state.paidInYear[payment.year] ?? .zero).adding(amount)
        }
        try keeping?.book(amount, &settled, payment: payment, state: &state)
        let payees = try split(amount, among: payment.payees, of: contract, payment: payment)
        if let intermediary = contract.sib?.intermediary {
            for part in payees where part.party.id == intermediary {
                try checked("the SIB waterfall", at: payment.location) { () throws(ArithmeticError) in
                    try state.waterfall?.receive(part.amount)
                    try state.classWaterfall?.receive(part.amount)
                }
            }
        }
        return PaidPayment(
            byRule: byRule,
            working: .init(measure: measure, conditions: conditionsChecked, rule: settled.result.working),
            conditions: conditions, repayment: settled.repayment, rateCard: settled.rateCard,
            direction: observation == nil ? nil : direction, baseline: observation == nil ? nil : kpiBaseline,
            limits: limits, observation: shown, source: source,
            reads: reads,
            cuts: cuts, payers: payers, payees: payees, amount: amount, cut: cut)
    }

    /// The payment's own cap, then what is left of its year's limit, then of the contract's
    /// maximum; each cut named.
    static func capped(
        _ byRule: ExactDecimal, payment: Payment, in contract: Contract, paidSoFar: ExactDecimal,
        state: TermState
    ) throws(EvaluationError) -> (ExactDecimal, [StepFigures.LimitCut], [AmountLimit]) {
        let what = "payment '\(payment.id)'"
        var limits: [(AmountLimit, cut: StepFigures.LimitCut)] = []
        if let cap = payment.ownCap { limits.append((cap, .ownCap(cap.most))) }
        if let limit = contract.paymentLimits?.yearLimits.first(where: { $0.year == payment.year }) {
            let used = state.paidInYear[payment.year] ?? .zero
            let remaining = try checked(what, at: payment.location) { () throws(ArithmeticError) in
                try limit.maximum.subtracting(used)
            }
            let allowed = max(remaining, .zero)
            limits.append(
                (
                    AmountLimit(allowed),
                    .yearLimit(year: contract.names(of: payment.year), limit: limit.maximum, allowed: allowed)
                ))
        }
        if let maximum = contract.paymentLimits?.maximum {
            let remaining = try checked(what, at: payment.location) { () throws(ArithmeticError) in
                try maximum.subtracting(paidSoFar)
            }
            let allowed = max(remaining, .zero)
            limits.append((AmountLimit(allowed), .maximum(maximum, allowed: allowed)))
        }
        // Each limit that cuts, in order (a workbook's MIN chain), named.
        var amount = byRule
        var held: [AmountLimit] = []
        var cuts: [StepFigures.LimitCut] = []
        for (limit, cut) in limits where amount > limit.most {
            amount = limit.holding(amount)
            held.append(limit)
            cuts.append(cut)
        }
        return (amount, cuts, held)
    }

    /// The payers' parts, each cut to what is left of its own limit over the term.
    static func payerParts(
        _ amount: ExactDecimal, payment: Payment, in contract: Contract, cuts: inout [StepFigures.LimitCut],
        state: inout TermState
    ) throws(EvaluationError) -> [Settlement.PartyAmount] {
        let what = "payment '\(payment.id)'"
        var payers = try split(amount, among: payment.payers, of: contract, payment: payment)
        for (index, part) in payers.enumerated() {
            let paidByPayer = state.paidBy[part.party.id] ?? .zero
            if let limit = contract.paymentLimits?.payerLimits.first(where: { $0.party == part.party.id }) {
                let remaining = try checked(what, at: payment.location) { () throws(ArithmeticError) in
                    try limit.maximum.subtracting(paidByPayer)
                }
                let allowed = remaining.signum > 0 ? remaining : .zero
                if part.amount > allowed {
                    payers[index] = .init(party: part.party, share: part.share, amount: allowed)
                    cuts.append(.payerLimit(party: part.party.id, limit: limit.maximum, allowed: allowed))
                }
            }
            state.paidBy[part.party.id] = try checked(what, at: payment.location) { () throws(ArithmeticError) in
                try paidByPayer.adding(payers[index].amount)
            }
        }
        return payers
    }

    /// The payment's outcome as the statement shows it, with its step.
    static func record(
        _ paid: PaidPayment, of payment: Payment, rounding: RoundingRule, steps: inout StepLog
    ) -> Settlement.PaymentOutcome {
        let (payers, payees, amount) = (paid.payers, paid.payees, paid.amount)
        let step = steps.record(
            .payment(
                .init(
                    payment: .init(payment), rule: payment.rule.kind, payers: payers, payees: payees,
                    working: paid.working, cuts: paid.cuts, amount: amount)),
            amount, reads: paid.reads, expression: paymentExpression(payment, paid, rounding))
        return .init(
            id: payment.id, name: payment.name, rule: payment.rule.kind, payers: payers, payees: payees,
            kpi: payment.measure == .actual
                ? payment.measureDescription : payment.kpi.map { "\($0) (\(payment.measure.description))" },
            outcome: paid.observation.map { Settlement.Figure($0, working: paid.source) },
            byRule: paid.byRule,
            cap: payment.cap, cutByCaps: paid.cut, amount: amount, step: step,
            measure: payment.measure == .actual ? nil : payment.measure.description,
            conditions: paid.conditions?.results, conditionsHeld: paid.conditions?.holds, repayment: paid.repayment,
            rateCard: paid.rateCard)
    }

    /// A payment's amount as arithmetic over its outcome, within its own cap; nil where it
    /// is not (a proportional or per-beneficiary rule, a blend of estimates, a year's or the
    /// term's limit, a payment split in parts rounded apart).
    static func paymentExpression(
        _ payment: Payment, _ paid: PaidPayment, _ rounding: RoundingRule
    ) -> StepExpression? {
        guard let rule = ruleExpression(payment, paid, rounding) else { return nil }
        if paid.cut == .zero { return rule }
        // Cut by its cap and the year's and the term's limits (what was left of each is a
        // figure of the formula text): the payers' own limits cut further, and are values.
        guard paid.limits.last?.most == paid.amount else { return nil }
        return paid.limits.reduce(rule) { $1.holding($0) }
    }

    /// The rule's amount as arithmetic over its outcome, as its kind writes it.
    static func ruleExpression(_ payment: Payment, _ paid: PaidPayment, _ rounding: RoundingRule) -> StepExpression? {
        // A measured improvement (a comparison group's value is not an input cell) or a
        // payment behind conditions stays a value with its formula text.
        guard payment.measure == .actual, payment.conditions == nil else { return nil }
        var measured: RuleExpressionInput.Measured?
        if let direction = paid.direction, let baseline = paid.baseline, !paid.reads.isEmpty {
            // One KPI's actual value, or the weighted blend of several (in the order read).
            var outcome: StepExpression?
            if payment.kpi != nil, let reading = paid.reads.first {
                outcome = .reading(reading)
            } else if payment.estimates.count == paid.reads.count {
                outcome = .sum(zip(payment.estimates, paid.reads).map { .product(.number($0.weight), .reading($1)) })
            }
            measured = outcome.map { .init(outcome: $0, direction: direction, baseline: baseline) }
        }
        return payment.rule.kindRule.expression(
            RuleExpressionInput(
                measured: measured, beneficiaries: paid.observation?.beneficiaries.map(\.value) ?? [],
                rounding: rounding))
    }

    /// The waterfall's flows for the year: the state after the year's payments less the
    /// state before them.
    static func sibFlows(
        after: Waterfall, before: Waterfall, contract: Contract, year: Int, payments: [String],
        receivedWhole: Bool = false, steps: inout StepLog
    ) throws(EvaluationError) -> Settlement.SIBFlows {
        let sib = after.sib
        guard let intermediary = contract.party(sib.intermediary), let residual = contract.party(sib.residual) else {
            throw .missingData("the SIB names a party that is not declared", at: sib.location)
        }
        return try checked("the SIB waterfall", at: sib.location) { () throws(ArithmeticError) in
            var investors: [Settlement.InvestorFlow] = []
            for (index, investor) in sib.investors.enumerated() {
                guard let party = contract.party(investor.party) else { continue }
                investors.append(
                    .init(
                        party: .init(party), principal: investor.principal, maximumReturn: after.maximumReturns[index],
                        principalThisYear: try after.principalPaid[index].subtracting(before.principalPaid[index]),
                        principalToDate: after.principalPaid[index],
                        returnThisYear: try after.returnPaid[index].subtracting(before.returnPaid[index]),
                        returnToDate: after.returnPaid[index]))
            }
            let received = try after.received.subtracting(before.received)
            let fee = try after.feePaid.subtracting(before.feePaid)
            let rest = try after.residualPaid.subtracting(before.residualPaid)
            let step = steps.record(
                .waterfall(
                    .init(
                        intermediary: .init(intermediary), year: contract.names(of: year), received: received,
                        fee: fee, feeRate: sib.feeRate, investors: investors, residual: .init(residual), rest: rest)),
                received,
                uses: payments, expression: receivedWhole ? .sum(payments.map(StepExpression.step)) : nil)
            return .init(
                intermediary: .init(intermediary), receivedThisYear: received, receivedToDate: after.received,
                feeThisYear: fee, feeToDate: after.feePaid, investors: investors, residual: .init(residual),
                residualThisYear: rest, residualToDate: after.residualPaid, step: step)
        }
    }

    /// Splits a payment among its payers or payees by their shares (largest remainder in
    /// whole rounding increments, ties to the party declared first in `<parties>`).
    static func split(
        _ amount: ExactDecimal, among shares: [PartyShare], of contract: Contract,
        payment: Payment
    ) throws(EvaluationError) -> [Settlement.PartyAmount] {
        var parties: [(Party, ExactDecimal)] = []
        for share in shares {
            guard let party = contract.party(share.party) else {
                throw .missingData(
                    "payment '\(payment.id)' names party '\(share.party)', which is not declared", at: share.location)
            }
            parties.append((party, share.share))
        }
        parties.sort { (contract.partyOrder($0.0.id) ?? 0) < (contract.partyOrder($1.0.id) ?? 0) }
        guard !parties.isEmpty else {
            throw .missingData("payment '\(payment.id)' names no payer or payee", at: payment.location)
        }
        // A payment cut by a cap may not be a whole number of increments: split the whole
        // increments, then give the rest to the first party (it is below one increment).
        let increment = contract.rounding.increment
        let parts = try checked("payment '\(payment.id)' split", at: payment.location) { () throws(ArithmeticError) in
            let (count, rest) = try amount.truncatingQuotient(dividingBy: increment)
            var parts = try LargestRemainder.allocate(
                try ExactDecimal.multiple(count, of: increment), shares: parties.map(\.1),
                increment: increment
            ).map(\.amount)
            parts[0] = try parts[0].adding(rest)
            return parts
        }
        return zip(parties, parts).map { .init(party: .init($0.0.0), share: $0.0.1, amount: $0.1) }
    }
}
