import PFSModel

/// Every step, rule working and measure in English: what a step computed and its formula
/// with the values put in. The Japanese is in StepWords+Japanese.swift, case for case.
extension StepWords {
    /// A step's description and formula in English.
    static func english(_ figures: StepFigures) -> (description: String, formula: String) {
        switch figures {
        case .derivedExpected(let kpi, let year, let projection, _, let source):
            return ("KPI '\(kpi.id)' expected \(year.en), derived from the baseline (\(projection.kindName))", source)
        case .improvement(let kpi, let direction, let unit, let valuation, let expected, let actual, let improvement):
            let description: String
            switch valuation {
            case .measuredOnly:
                description = "KPI '\(kpi.id)' improvement (\(direction.rawValue)), \(unit); measured only, no money value"
            case .perUnit: description = "KPI '\(kpi.id)' improvement (\(direction.rawValue)), \(unit)"
            case .money: description = "KPI '\(kpi.id)' fiscal improvement (\(direction.rawValue), money)"
            }
            return (
                description,
                direction == .lowerIsBetter
                    ? "expected − actual = \(expected) − \(actual) = \(improvement)"
                    : "actual − expected = \(actual) − \(expected) = \(improvement)"
            )
        case .fiscalImprovement(let kpi, let step, let improvement, let perUnit, let value):
            return (
                "KPI '\(kpi.id)' fiscal improvement",
                "improvement (\(step)) × value per unit = \(improvement) × \(perUnit) = \(value)"
            )
        case .target(let target, let kpi, let year, let conditions, let achieved):
            let verdict = achieved.map { $0 ? "achieved" : "not achieved" } ?? "not measured"
            return (
                "target '\(target.id)' for \(kpi.id), \(year.en)",
                conditions.map(\.text).joined(separator: "; ") + " → \(verdict)"
            )
        case .attributable(let project, let kpi, let step, let fiscal, let share, let attributable):
            return (
                "project '\(project.id)' attributable from KPI '\(kpi)'",
                "fiscal improvement (\(step)) × share = \(fiscal) × \(share) = \(attributable)"
            )
        case .netAttributable(let project, let parts, let net):
            return ("project '\(project.id)' net attributable", sum(parts, net))
        case .netAfterCarried(let project, let net, let carried, let base):
            return (
                "project '\(project.id)' net after the shortfall carried forward",
                "net attributable \(net) + carried from earlier years \(carried) = \(base)"
            )
        case .amountToSplit(let project, let base, let rounding, let amount, let negative):
            return (
                "project '\(project.id)' amount to split",
                negative.map { "net attributable \(base) is negative: \(englishNote($0, base: base))" }
                    ?? "\(base) \(rounding.inWords) = \(amount)"
            )
        case .allocation(let split): return englishSplit(split)
        case .clawbackOwed(let project, let owed):
            return ("project '\(project.id)' claw-back still owed", list(owed))
        case .rewardsWithinMaximum(let paidBefore, let rewards, let maximum, let remaining):
            return (
                "profit-share rewards against the reward maximum",
                "paid before \(paidBefore) + this year \(rewards) ≤ maximum \(maximum); remaining \(remaining)"
            )
        case .rewardsCut(let maximum, let paidBefore, let allowed, let rewards, let cut, let paid):
            return (
                "profit-share rewards cut to the reward maximum",
                """
                maximum \(maximum) − paid before \(paidBefore) = \(allowed) allowed; this year's rewards \
                \(rewards) cut by \(cut) to \(paid), shared by reward; the payers keep the cut
                """
            )
        case .paymentsToDate(let year, let paidBefore, let thisYear, let toDate, let maximum, let remaining):
            var formula = "paid before \(year.en) \(paidBefore) + this year \(thisYear) = \(toDate)"
            if let maximum, let remaining { formula += "; remaining under the maximum \(maximum): \(remaining)" }
            return ("payments to date", formula)
        case .payment(let payment): return englishPayment(payment)
        case .waterfall(let waterfall):
            let flows = waterfall.investors.map {
                "\($0.party.id) principal \($0.principalThisYear), return \($0.returnThisYear)"
            }.joined(separator: "; ")
            return (
                "SIB waterfall through '\(waterfall.intermediary.id)' for \(waterfall.year.en)",
                """
                received \(waterfall.received): fee \(waterfall.fee) (\(waterfall.feeRate) of each amount); \
                \(flows); to '\(waterfall.residual.id)' \(waterfall.rest)
                """
            )
        case .classWaterfall(let waterfall):
            let classes = waterfall.classes.map { year in
                "\(year.id) (rank \(year.rank), \(year.repayment.rawValue)): rate "
                    + "\(year.rate ?? "none, performance not measured") × \(year.principal) "
                    + "= earned \(year.earned); "
                    + "return paid \(year.returnPaid), principal repaid \(year.principalPaid)"
                    + (year.loss.signum > 0 ? ", principal lost \(year.loss)" : "")
            }
            return (
                "SIB class waterfall through '\(waterfall.intermediary.id)' for \(waterfall.year.en)",
                "received \(waterfall.received): fee \(waterfall.fee) (\(waterfall.feeRate) of it); performance "
                    + "\(waterfall.performance ?? "not measured"); " + classes.joined(separator: "; ")
                    + "; to '\(waterfall.residual.id)' \(waterfall.rest)"
            )
        case .written(let words): return (words.description, words.formula)
        }
    }

    /// What a negative year means under the contract's policy.
    static func englishNote(_ negative: StepFigures.NegativeYear, base: ExactDecimal) -> String {
        switch (negative.policy, negative.lastYear) {
        case (.floor, _): return "floored at zero, nothing is paid this year"
        case (.carryForward, false): return "nothing is paid this year; \(base) is carried forward against later gains"
        case (.carryForward, true):
            return "nothing is paid this year; the term ends with this year, so \(base) is not carried anywhere"
        case (.clawBack, false):
            return "nothing is paid this year; the providers' shares of it are clawed back from their later rewards"
        case (.clawBack, true):
            return """
                nothing is paid this year; the term ends with this year, so the providers' shares of it stay owed \
                with no later reward to claw them back from
                """
        }
    }

    static func englishSplit(_ split: StepFigures.Split) -> (description: String, formula: String) {
        let role = split.isPayer ? "kept by payer" : "provider reward"
        let remainder = split.receivedRemainder ? ", +1 leftover increment (largest remainder)" : ""
        let clawback =
            split.clawback.map {
                $0.signum < 0 ? "; claw-back \($0) = \(split.amount)" : "; claw-back kept +\($0) = \(split.amount)"
            } ?? ""
        return (
            "project '\(split.project.id)' \(role) '\(split.party.id)'",
            "\(share(split)) (whole multiples of \(split.increment)\(remainder))\(clawback)"
        )
    }

    static func englishPayment(_ figures: StepFigures.PaymentFigures) -> (description: String, formula: String) {
        let parties =
            figures.payers.map(\.party.id).joined(separator: ", ") + "' to '"
            + figures.payees.map(\.party.id).joined(separator: ", ")
        var formula = englishWorking(figures.working)
        if !figures.cuts.isEmpty {
            formula += "; " + figures.cuts.map(englishCut).joined(separator: "; ") + " = \(figures.amount)"
        }
        if let sides = sides(figures) { formula += "; split " + sides }
        return ("payment '\(figures.payment.id)' (\(figures.rule)) from '\(parties)'", formula)
    }

    static func englishCut(_ cut: StepFigures.LimitCut) -> String {
        switch cut {
        case .ownCap(let cap): return "capped at the payment's cap \(cap)"
        case .yearLimit(let year, let limit, let allowed): return "cut to the \(allowed) left of the \(year.en) limit \(limit)"
        case .maximum(let maximum, let allowed): return "cut to the \(allowed) left of the contract's maximum \(maximum)"
        case .payerLimit(let party, let limit, let allowed):
            return "\(party)'s part cut to the \(allowed) left of its limit \(limit)"
        }
    }

    /// The measure worked out, then the rule (the measure written as shown where it was cut
    /// below its exact value), behind the conditions when there are any.
    static func englishWorking(_ working: StepFigures.PaymentWorking) -> String {
        var formula = english(working.rule)
        if let measured = working.measure {
            formula =
                english(Settlement.OutcomeWorking.measured(measured.measure, measured.working)) + "; "
                + formula.replacingOccurrences(of: measured.value.description, with: written(measured))
        }
        guard let conditions = working.conditions else { return formula }
        let texts = conditions.results.map(\.text).joined(separator: "; ")
        return conditions.hold ? "conditions hold (\(texts)); \(formula)" : "conditions do not hold (\(texts)): 0"
    }

    /// A rule's working in English.
    public static func english(_ working: RuleWorking) -> String {
        switch working {
        case .fixed(let amount, let result): return "fixed amount \(amount) → \(result)"
        case .perUnit(let units, let price, let exact, let rounding, let result):
            return "max(0, \(better(units))) × \(price) = \(units.units) × \(price) = \(exact), \(rounding.inWords) = \(result)"
        case .belowThreshold(let units, let threshold):
            return "units max(0, \(better(units))) = \(units.units) do not reach the threshold \(threshold): 0"
        case .beyondThreshold(let units, let threshold, let paysAll, let paid, let price, let exact, let rounding, let result):
            let which = paysAll ? "all \(units.units) units paid" : "the \(paid) units beyond it paid"
            return """
                units max(0, \(better(units))) = \(units.units) reach the threshold \(threshold), \(which): \(paid) × \
                \(price) = \(exact), \(rounding.inWords) = \(result)
                """
        case .perBeneficiary(let count, let price, let cap, let total, let capped, let rounding, let result):
            return """
                Σ over \(count) beneficiaries of min(units × \(price), \(cap)) = \(total) (\(capped) at the cap), \
                \(rounding.inWords) = \(result)
                """
        case .bandFull(let outcome, let fullAt, let amount, let result):
            return "outcome \(outcome) reaches the full-payment mark \(fullAt): \(amount) → \(result)"
        case .bandNotStarted(let outcome, let startAt):
            return "outcome \(outcome) does not reach the start mark \(startAt): 0"
        case .bandNoStep(let outcome): return "outcome \(outcome) reaches no step of the table: 0"
        case .bandStep(let outcome, let at, let amount, let result):
            return "outcome \(outcome) reaches the step at \(at): \(amount) → \(result)"
        case .bandLinear(let amount, let outcome, let startAt, let fullAt, let rounding, let result):
            return "\(amount) × (\(outcome) − \(startAt)) ÷ (\(fullAt) − \(startAt)), \(rounding.inWords) = \(result)"
        case .proportionalNone(let outcome): return "outcome \(outcome) gives no achievement: 0"
        case .proportionalBest(let outcome, let amount, let result):
            return "outcome \(outcome) is the best possible: the whole \(amount) → \(result)"
        case .proportionalWhole(let numerator, let denominator, let amount, let result):
            return "\(numerator) ÷ \(denominator) ≥ 1: the whole \(amount) → \(result)"
        case .proportional(let amount, let numerator, let denominator, let rounding, let result):
            return "\(amount) × \(numerator) ÷ \(denominator), \(rounding.inWords) = \(result)"
        case .thresholdNotMet(let outcome, let comparison, let at): return "outcome \(outcome) is not \(comparison) \(at): 0"
        case .thresholdMet(let outcome, let comparison, let at, let amount, let result):
            return "outcome \(outcome) \(comparison) \(at): \(amount) → \(result)"
        case .noTier(let outcome, let reference): return "outcome \(outcome) reaches no tier (reference \(reference)): 0"
        case .tier(let outcome, let comparison, let from, let reference, let mark, let amount, let result):
            return "outcome \(outcome) \(comparison) \(from) × \(reference) = \(mark): tier amount \(amount) → \(result)"
        case .rateCardWithoutRecords(let card): return "rate card \(card): no records"
        case .rateCard(let card):
            let perOutcome = card.outcomes.map { "\($0.outcome) \($0.count) × \($0.price)" }.joined(separator: " + ")
            let caps = [card.capPerYear.map { "\($0) a year" }, card.capPerTerm.map { "\($0) over the term" }]
                .compactMap { $0 }.joined(separator: ", ")
            return """
                rate card '\(card.card.id)': \(card.achievements) achievements of \(card.participants) participants \
                (\(perOutcome.isEmpty ? "none" : perOutcome)) = \(card.gross); \(card.participantsCapped) participants \
                capped (\(caps.isEmpty ? "no cap" : caps) each), cut \(card.cut) = \(card.total), \
                \(card.rounding.inWords) = \(card.result)
                """
        case .savingsShare(let share):
            let valued = share.valued.map { "savings = \($0.outcome) × value per unit \($0.valuePerUnit) = \($0.savings); " }
            let owing =
                "\(share.mark) to repay (principal \(share.principal) × (1 + \(share.returnRate))), \(share.paidBefore) paid before"
            let (base, mode, result) = (share.base, share.rounding.inWords, share.result)
            let rest: String
            switch share.share {
            case .repaid(let thenRate, let exact):
                rest = "repaid; savings \(base) × \(thenRate) = \(exact), \(mode) = \(result)"
            case .within(let rate, let full, let left):
                rest = "savings \(base) × \(rate) = \(full) (within what is left, \(left)), \(mode) = \(result)"
            case .switches(let left, let rate, let at, let thenRate):
                rest = """
                    \(left) is left, repaid at \(rate) after \(left) ÷ \(rate) = \(at) of the savings \(base); the rate \
                    changes there: \(left) + (\(base) − \(at)) × \(thenRate), \(mode) = \(result)
                    """
            }
            return (valued ?? "") + owing + ": " + rest
        }
    }

    /// A measure's working in English: `K1 FY2024: actual 80 − baseline 70 = 10`.
    public static func english(_ working: MeasureWorking) -> String {
        let id = working.kpi.id
        switch working.kind {
        case .actual: return "\(id) actual \(working.year.en) = \(working.actual)"
        case .improvement(let reference, let lowerIsBetter, let improvement):
            return "\(id) \(working.year.en): \(englishDifference(working, reference, lowerIsBetter)) = \(improvement)"
        case .relative(let reference, let lowerIsBetter, let shown):
            return
                "\(id) \(working.year.en): (\(englishDifference(working, reference, lowerIsBetter))) ÷ \(reference.value) = \(shown)"
        }
    }

    static func englishDifference(
        _ working: MeasureWorking, _ reference: MeasureWorking.Reference, _ lowerIsBetter: Bool
    ) -> String {
        let name: String
        switch reference.against {
        case .baseline: name = "baseline"
        case .expected: name = "expected"
        case .comparison: name = "comparison group"
        }
        return lowerIsBetter
            ? "\(name) \(reference.value) − actual \(working.actual)" : "actual \(working.actual) − \(name) \(reference.value)"
    }

    /// How a payment's outcome was worked out, as its figure's source says it.
    public static func english(_ working: Settlement.OutcomeWorking) -> String {
        switch working {
        case .measured(let measure, let working): return "\(measure.description): \(english(working))"
        case .blended(let parts, let total):
            let sum = parts.map { "\($0.weight) × \($0.kpi) \($0.value)" }.joined(separator: " + ")
            return "weighted estimate: \(sum) = \(total)"
        }
    }

    /// A condition as checked, in English: `Screening rate actual 0.58 ≥ 0.6: does not hold`.
    public static func english(_ condition: CheckedCondition) -> String {
        let series = condition.series.map { $0.name.en ?? $0.name.ja ?? $0.id }
        // Figures as the contract wrote them (0.60 stays 0.60), the KPI by its name.
        let against = condition.operand.map { value in
            series.map { "\($0) \(value.asWritten())" } ?? value.asWritten()
        }
        let kpi = condition.kpi.name.en ?? condition.kpi.name.ja ?? condition.kpi.id
        let left = "\(kpi) \(condition.measure.description) \(condition.shown ?? "not measured")"
        let right = against ?? "\(series ?? "") (no value for \(condition.year.en))"
        // A figure missing is not a condition failed: it is not measured.
        let verdict = condition.holds.map { $0 ? "holds" : "does not hold" } ?? "not measured"
        return "\(left) \(condition.comparison.symbol) \(right): \(verdict)"
            + (condition.working.map { " (\(english($0)))" } ?? "")
    }
}
