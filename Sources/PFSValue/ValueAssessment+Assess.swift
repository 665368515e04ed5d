import PFSModel

extension ValueAssessment {
    /// The assessment of the settled years `history` (in order, the last the year it is as of).
    /// `paid` gives what a register records paid for each outcome year (nil: no register);
    /// `future` the envelope's bounds for the years after.
    public static func assess(
        history: [Settlement], termFirst: Int, termLast: Int, schedule: DiscountSchedule,
        source: ScheduleSource, rateDigits: Int, amountDigits: Int, paid: [Int: ExactDecimal]? = nil,
        future: [FutureBound] = []
    ) throws(ArithmeticError) -> ValueAssessment {
        func period(_ year: Int) -> Int { year - termFirst + 1 }
        let benefitSource = Self.benefitSource(history)
        var years: [Year] = []
        for settlement in history {
            let year = settlement.fiscalYear.year
            let paymentYear = settlement.paymentYear.fiscalYear.year
            let benefit = try Self.benefit(settlement, benefitSource)
            let payments = try ExactDecimal.sum(DueLine.lines(of: settlement).map(\.amount))
            let factor = schedule.factor(year: period(year))
            let paymentFactor = schedule.factor(year: period(paymentYear))
            let presentBenefit = Rational(benefit) * factor
            let presentPayments = Rational(payments) * paymentFactor
            let paidSoFar = paid.map { $0[year] ?? .zero }
            let state: PaymentState
            switch paidSoFar {
            case nil: state = .settled
            case _ where payments.signum == 0: state = .nothingDue
            case let amount? where amount.signum > 0 && amount >= payments: state = .paid
            case let amount? where amount.signum > 0: state = .partlyPaid
            default: state = .due
            }
            years.append(
                Year(
                    year: year, paymentYear: paymentYear, period: period(year), paymentPeriod: period(paymentYear),
                    benefit: benefit, payments: payments, state: state, paid: paidSoFar,
                    net: try benefit.subtracting(payments), factor: factor, paymentFactor: paymentFactor,
                    presentBenefit: Shown(presentBenefit, digits: amountDigits),
                    presentPayments: Shown(presentPayments, digits: amountDigits),
                    presentNet: Shown(presentBenefit - presentPayments, digits: amountDigits)))
        }
        let presentBenefit = years.reduce(Rational.zero) { $0 + $1.presentBenefit.exact }
        let totalPaid = paid == nil ? nil : try ExactDecimal.sum(years.compactMap(\.paid))
        let presentPayments = years.reduce(Rational.zero) { $0 + $1.presentPayments.exact }
        let future = future.map { bound in
            let factor = schedule.factor(year: period(bound.paymentYear))
            return FutureYear(
                year: bound.year, paymentYear: bound.paymentYear, paymentPeriod: period(bound.paymentYear),
                least: bound.least, most: bound.most, factor: factor,
                presentLeast: Shown(Rational(bound.least) * factor, digits: amountDigits),
                presentMost: bound.most.map { Shown(Rational($0) * factor, digits: amountDigits) })
        }
        return ValueAssessment(
            schedule: schedule, scheduleSource: source, rateDigits: rateDigits, amountDigits: amountDigits,
            baseYear: termFirst, termLast: termLast, asOf: history.last?.fiscalYear.year ?? termFirst,
            benefitSource: benefitSource, years: years,
            totalBenefit: try ExactDecimal.sum(years.map(\.benefit)),
            totalPayments: try ExactDecimal.sum(years.map(\.payments)),
            totalNet: try ExactDecimal.sum(years.map(\.net)),
            totalPaid: totalPaid, totalDue: try totalPaid.map { paid throws(ArithmeticError) in
                try ExactDecimal.sum(years.map(\.payments)).subtracting(paid)
            },
            presentBenefit: Shown(presentBenefit, digits: amountDigits),
            presentPayments: Shown(presentPayments, digits: amountDigits),
            netPresentValue: Shown(presentBenefit - presentPayments, digits: amountDigits),
            benefitCostRatio: benefitSource == .none
                ? nil : (presentBenefit / presentPayments).map { Shown($0, digits: ValueAssessment.ratioDigits) },
            outcomeCosts: try outcomeCosts(history, rateDigits: rateDigits, amountDigits: amountDigits),
            investments: try investments(history, period: period, rateDigits: rateDigits),
            future: future)
    }

    /// Profit-share contracts save what their projects are attributed; others what their
    /// KPIs valued in money improve; a contract with neither states no saving.
    static func benefitSource(_ history: [Settlement]) -> BenefitSource {
        if history.contains(where: { !$0.projects.isEmpty }) { return .attributable }
        if history.contains(where: { $0.kpis.contains { $0.fiscalImprovement != nil } }) { return .fiscalImprovement }
        return .none
    }

    static func benefit(_ settlement: Settlement, _ source: BenefitSource) throws(ArithmeticError) -> ExactDecimal {
        switch source {
        case .attributable: return settlement.totals.attributable
        case .fiscalImprovement: return try ExactDecimal.sum(settlement.kpis.compactMap(\.fiscalImprovement))
        case .none: return .zero
        }
    }

    /// Each KPI's improvement over the years against the payments tied to it alone.
    static func outcomeCosts(
        _ history: [Settlement], rateDigits: Int, amountDigits: Int
    ) throws(ArithmeticError) -> [OutcomeCost] {
        guard let last = history.last else { return [] }
        var improved: [String: ExactDecimal] = [:]
        var actual: [String: ExactDecimal] = [:]
        var paid: [String: ExactDecimal] = [:]
        for settlement in history {
            for kpi in settlement.kpis {
                if let improvement = kpi.improvement {
                    improved[kpi.id] = try (improved[kpi.id] ?? .zero).adding(improvement)
                } else if let value = kpi.actual?.value {
                    actual[kpi.id] = try (actual[kpi.id] ?? .zero).adding(value)
                }
            }
            for payment in settlement.payments ?? [] {
                guard let kpi = payment.kpi else { continue }
                paid[kpi] = try (paid[kpi] ?? .zero).adding(payment.amount)
            }
            for project in settlement.projects {
                let kpis = Set(project.attributions.map(\.kpi))
                guard kpis.count == 1, let kpi = kpis.first else { continue }
                paid[kpi] = try (paid[kpi] ?? .zero).adding(project.providerReward)
            }
        }
        return last.kpis.map { kpi in
            let basis: OutcomeBasis =
                improved[kpi.id] != nil || actual[kpi.id] == nil
                ? .improvement : (rateUnits.contains(kpi.unit) ? .rate : .actual)
            let total: ExactDecimal
            switch basis {
            case .improvement: total = improved[kpi.id] ?? .zero
            case .actual: total = actual[kpi.id] ?? .zero
            case .rate: total = .zero
            }
            let payments = paid[kpi.id] ?? .zero
            let cost: Shown? =
                total.signum > 0 && payments.signum > 0
                ? (Rational(payments) / Rational(total)).map { Shown($0, digits: amountDigits + 2) } : nil
            return OutcomeCost(
                kpi: kpi.id, name: kpi.name, unit: kpi.unit, basis: basis, achieved: total, payments: payments,
                costPerOutcome: cost)
        }
    }

    /// Units of a rate: a year's value is not added to another's.
    static let rateUnits: Set<String> = ["%", "percent", "percentage points", "rate", "ratio"]

    /// A social impact bond's investors, classes and holders: principal out at year 0,
    /// what each year's payment brought back at its payment's period.
    static func investments(
        _ history: [Settlement], period: (Int) -> Int, rateDigits: Int
    ) throws(ArithmeticError) -> [Investment] {
        guard let last = history.last?.sib else { return [] }
        struct Tally {
            var flows: [Int: ExactDecimal] = [:]
            var principal = ExactDecimal.zero
            var interest = ExactDecimal.zero
        }
        var classes: [String: Tally] = [:]
        var holders: [String: Tally] = [:]
        for settlement in history {
            guard let sib = settlement.sib else { continue }
            let at = period(settlement.paymentYear.fiscalYear.year)
            for flow in sib.classes ?? [] {
                var tally = classes[flow.id] ?? Tally()
                let received = try flow.principalThisYear.adding(flow.returnThisYear)
                tally.flows[at] = try (tally.flows[at] ?? .zero).adding(received)
                tally.principal = try tally.principal.adding(flow.principalThisYear)
                tally.interest = try tally.interest.adding(flow.returnThisYear)
                classes[flow.id] = tally
            }
            for flow in sib.investors {
                var tally = holders[flow.party.id] ?? Tally()
                let received = try flow.principalThisYear.adding(flow.returnThisYear)
                tally.flows[at] = try (tally.flows[at] ?? .zero).adding(received)
                tally.principal = try tally.principal.adding(flow.principalThisYear)
                tally.interest = try tally.interest.adding(flow.returnThisYear)
                holders[flow.party.id] = tally
            }
        }
        func investment(
            _ kind: Investment.Kind, id: String, name: LocalizedText, principal: ExactDecimal, lost: ExactDecimal,
            _ tally: Tally
        ) throws(ArithmeticError) -> Investment {
            var flows = tally.flows
            flows[0] = try (flows[0] ?? .zero).subtracting(principal)
            let cash = CashFlows(flows)
            let received = try tally.principal.adding(tally.interest)
            let rate = cash.internalRateOfReturn(digits: rateDigits)
            let shownRate: Shown?
            switch rate {
            case .exact(let value), .approximately(let value): shownRate = Shown(value, digits: rateDigits)
            case .noRoot, .severalRoots, .touchesZero: shownRate = nil
            }
            return Investment(
                kind: kind, id: id, name: name, principal: principal, flows: cash, received: received,
                principalRepaid: tally.principal, returnPaid: tally.interest, principalLost: lost,
                multiple: (Rational(received) / Rational(principal)).map { Shown($0, digits: ValueAssessment.ratioDigits) },
                rateOfReturn: rate, shownRate: shownRate)
        }
        var investments: [Investment] = []
        for flow in last.classes ?? [] {
            investments.append(
                try investment(
                    .capitalClass, id: flow.id, name: flow.name, principal: flow.principal, lost: flow.loss,
                    classes[flow.id] ?? Tally()))
        }
        let holderKind: Investment.Kind = last.classes == nil ? .investor : .holder
        for flow in last.investors {
            investments.append(
                try investment(
                    holderKind, id: flow.party.id, name: flow.party.name, principal: flow.principal,
                    lost: flow.principalLost ?? .zero, holders[flow.party.id] ?? Tally()))
        }
        return investments
    }
}
