import PFSEvaluator
import PFSModel

/// Checks of what format 2 adds: year-labelling conventions, measured payments,
/// conditions and targets.
extension ContractChecks {
    static let yearLabels = Check(.yearLabels) { contract in
        let months: [YearLabels: (month: Int, name: String)] = [
            .japanese: (4, "April"), .uk: (4, "April"), .usFederal: (10, "October"), .australia: (7, "July"),
        ]
        guard let expected = months[contract.yearLabels], expected.month != contract.fiscalYearStartMonth else {
            return []
        }
        return [
            Diagnostic(
                check: .yearLabels,
                message:
                    """
                    fiscal years labelled '\(contract.yearLabels.rawValue)' start in \(expected.name), but the \
                    contract's start in month \(contract.fiscalYearStartMonth)
                    """,
                hint:
                    """
                    write <fiscal-year start-month=\"\(expected.month)\" labels=\"\(contract.yearLabels.rawValue)\"/>, \
                    or labels=\"fy\" for another start month
                    """,
                at: contract.location)
        ]
    }

    static let paymentMeasures = Check(.paymentMeasure) { contract in
        var diagnostics: [Diagnostic] = []
        func problem(_ payment: Payment, _ message: String, _ hint: String) {
            diagnostics.append(
                Diagnostic(
                    check: .paymentMeasure, message: "payment '\(payment.id)': \(message)", hint: hint,
                    at: payment.location))
        }
        for payment in contract.payments {
            guard case .savingsShare(let share) = payment.rule else { continue }
            for (name, rate) in [("rate", share.rate), ("then-rate", share.thenRate)]
            where rate.signum < 0 || rate > .one {
                diagnostics.append(
                    Diagnostic(
                        check: .paymentMeasure,
                        message: "payment '\(payment.id)': savings-share \(name) \(rate) is not in [0, 1]",
                        hint: "a share of savings is a fraction such as 0.5", at: share.location))
            }
            let kpi = payment.kpi.flatMap { contract.kpi($0) }
            if payment.measure.kind != .improvement {
                problem(
                    payment, "a share of savings is paid on a measured improvement",
                    "write measure=\"improvement\" and against=\"expected\" (or baseline, comparison)")
            } else if let kpi, case .measuredOnly = kpi.valuation {
                problem(
                    payment, "KPI '\(kpi.id)' has no money value, so its improvement is no savings",
                    "add <money/> or <value-per-unit amount=\"…\"/> to KPI '\(kpi.id)'")
            }
        }
        for payment in contract.payments where payment.measure != .actual {
            guard payment.rule.needsOutcome else {
                problem(
                    payment, "a \(payment.rule.kind) payment measures no KPI", "remove measure=\"…\" and against=\"…\"")
                continue
            }
            guard let kpiID = payment.kpi else {
                problem(
                    payment, "an improvement is measured on one KPI, not on a blend of estimates",
                    "name the KPI with kpi=\"…\", or measure the blend's actual value")
                continue
            }
            if payment.measure.kind == .relativeImprovement, !payment.rule.kindRule.comparesOnly {
                problem(
                    payment,
                    "a relative improvement is a ratio; the \(payment.rule.kind) rule computes with it",
                    """
                    pay a relative improvement by <threshold>, <tiers> or a <band> with steps, or measure \
                    measure=\"improvement\" to pay per unit
                    """)
            }
            guard let kpi = contract.kpi(kpiID) else { continue }
            diagnostics += referenceProblems(
                payment.measure, kpi: kpi, subject: "payment '\(payment.id)'", at: payment.location)
        }
        return diagnostics
    }

    static let conditions = Check(.condition) { contract in
        var diagnostics: [Diagnostic] = []
        let trees =
            contract.payments.compactMap { payment in payment.conditions.map { ("payment '\(payment.id)'", $0) } }
            + contract.targets.map { ("target '\($0.id)'", $0.condition) }
        for (owner, tree) in trees {
            for condition in tree.conditions {
                guard let kpi = contract.kpi(condition.kpi) else {
                    diagnostics.append(
                        Diagnostic(
                            check: .condition,
                            message: "a condition of \(owner) names KPI '\(condition.kpi)', which is not declared",
                            hint: "declare the KPI in <kpis>, or correct the id", at: condition.location))
                    continue
                }
                if case .series(let id) = condition.operand, !kpi.series.contains(where: { $0.id == id }) {
                    let declared = kpi.series.map(\.id)
                    diagnostics.append(
                        Diagnostic(
                            check: .condition,
                            message:
                                """
                                a condition of \(owner) compares with series '\(id)', which KPI '\(kpi.id)' does \
                                not declare
                                """,
                            hint: declared.isEmpty
                                ? "declare <series id=\"\(id)\"> in KPI '\(kpi.id)' after its values"
                                : "KPI '\(kpi.id)' declares \(declared.map { "'\($0)'" }.joined(separator: ", "))",
                            at: condition.location))
                }
                diagnostics += referenceProblems(
                    condition.measure, kpi: kpi, subject: "a condition of \(owner)", at: condition.location,
                    check: .condition)
            }
        }
        return diagnostics
    }

    /// A per-unit payment on the actual value that declares its own baseline (`baseline="0"`:
    /// a price per outcome achieved, as INDIGO prices them) reads no KPI baseline.
    static func ownsItsBaseline(_ payment: Payment) -> Bool {
        guard payment.measure == .actual, payment.estimates.isEmpty, payment.conditions == nil else { return false }
        switch payment.rule {
        case .perUnit(_, let baseline?), .perUnitBeyond(_, let baseline?, _, _): return baseline.signum >= 0
        default: return false
        }
    }

    /// A KPI may leave its baseline out (a plan's KPI that has none); then nothing that
    /// needs one may use it: a projection, a project's credit, a payment, the SIB's
    /// performance, or a measure against the baseline.
    static let kpiBaselines = Check(.kpiBaseline) { contract in
        var diagnostics: [Diagnostic] = []
        for kpi in contract.kpis where !kpi.baselineDeclared {
            func refuse(_ what: String, at location: SourceLocation) {
                diagnostics.append(
                    Diagnostic(
                        check: .kpiBaseline,
                        message: "KPI '\(kpi.id)' declares no baseline, but \(what) needs one",
                        hint: "give the KPI a <baseline year=\"…\" value=\"…\"/>, or use it for targets only",
                        at: location))
            }
            if kpi.projection != nil { refuse("its projection", at: kpi.location) }
            for project in contract.projects where project.credits.contains(where: { $0.kpi == kpi.id }) {
                refuse("project '\(project.id)'", at: project.location)
            }
            for payment in contract.payments
            where payment.kpi == kpi.id || payment.estimates.contains(where: { $0.kpi == kpi.id }) {
                if ownsItsBaseline(payment) { continue }
                refuse("payment '\(payment.id)'", at: payment.location)
            }
            if let performance = contract.sib?.performance, performance.kpi == kpi.id {
                refuse("the SIB's performance", at: performance.location)
            }
            let conditions =
                contract.payments.flatMap { $0.conditions?.conditions ?? [] }
                + contract.targets.flatMap(\.condition.conditions)
            for condition in conditions
            where condition.kpi == kpi.id && condition.measure.kind != .actual && condition.measure.against == .baseline {
                refuse("a condition measured against the baseline", at: condition.location)
            }
        }
        return diagnostics
    }

    static let targets = Check(.target) { contract in
        var diagnostics: [Diagnostic] = []
        for target in contract.targets {
            if contract.kpi(target.kpi) == nil {
                diagnostics.append(
                    Diagnostic(
                        check: .target,
                        message: "target '\(target.id)' is for KPI '\(target.kpi)', which is not declared",
                        hint: "declare the KPI in <kpis>, or correct the id", at: target.location))
            }
            if let year = target.year, !contract.term.contains(year) {
                diagnostics.append(
                    Diagnostic(
                        check: .target,
                        message:
                            """
                            target '\(target.id)' is for \(year), outside the term \(contract.term.first)–\
                            \(contract.term.last)
                            """,
                        hint: "give a year of the term, or leave year=\"…\" out for every year", at: target.location))
            }
            if target.year != nil, target.targetYear != nil {
                diagnostics.append(
                    Diagnostic(
                        check: .target,
                        message: "target '\(target.id)' has both year=\"…\" (one year) and by=\"…\" (a target year)",
                        hint: "keep by=\"…\" for a plan's target year, judged each year on the latest result",
                        at: target.location))
            }
            // A row of the table names one KPI: a condition on another would be shown under
            // the wrong KPI's baseline and result.
            for condition in target.condition.conditions
            where condition.kpi != target.kpi && contract.kpi(target.kpi) != nil {
                diagnostics.append(
                    Diagnostic(
                        check: .target,
                        message: """
                            target '\(target.id)' is for KPI '\(target.kpi)', but its condition reads KPI \
                            '\(condition.kpi)'
                            """,
                        hint: "a target's conditions read its own KPI; make a target for '\(condition.kpi)'",
                        at: condition.location))
            }
        }
        return diagnostics
    }

    /// What a measure against a reference needs of its KPI: a comparison group, or expected values.
    static func referenceProblems(
        _ measure: OutcomeMeasure, kpi: KPI, subject: String, at location: SourceLocation,
        check: CheckID = .paymentMeasure
    ) -> [Diagnostic] {
        guard measure.kind != .actual else { return [] }
        switch measure.against {
        case .comparison where kpi.comparisonGroup == nil:
            return [
                Diagnostic(
                    check: check,
                    message:
                        """
                        \(subject) measures KPI '\(kpi.id)' against its comparison group, which it does not declare
                        """,
                    hint: "add <comparison-group> with a <value> per year to KPI '\(kpi.id)'", at: location)
            ]
        case .expected where kpi.expected.isEmpty && kpi.projection == nil:
            return [
                Diagnostic(
                    check: check,
                    message:
                        "\(subject) measures KPI '\(kpi.id)' against its expected values, which it does not declare",
                    hint: "add <expected> values or a <projection> to KPI '\(kpi.id)'", at: location)
            ]
        default:
            return []
        }
    }
}

extension ContractChecks {
    /// The elements a measure of `kpi` needs for `year` and the contract lacks.
    static func missingFigures(_ measure: OutcomeMeasure, of kpi: KPI, in year: Int) -> [String] {
        var missing: [String] = []
        if kpi.actual(in: year) == nil { missing.append("<actual>") }
        guard measure.kind != .actual else { return missing }
        switch measure.against {
        case .comparison where kpi.comparisonGroup?.value(in: year) == nil: missing.append("<comparison-group> <value>")
        case .expected where kpi.expected(in: year) == nil: missing.append("<expected>")
        default: break
        }
        return missing
    }

    /// What the measures and conditions of the payments up to `year` read and the contract
    /// lacks: a payment is never decided on a figure that has not arrived (format 2).
    static func measuredPaymentGaps(of contract: Contract, through year: Int) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments where payment.year <= year {
            var needs: [(kpi: String, measure: OutcomeMeasure)] = []
            if payment.measure != .actual, let kpi = payment.kpi { needs.append((kpi, payment.measure)) }
            needs += (payment.conditions?.conditions ?? []).map { ($0.kpi, $0.measure) }
            for need in needs {
                guard let kpi = contract.kpi(need.kpi) else { continue }
                let missing = missingFigures(need.measure, of: kpi, in: payment.year)
                guard !missing.isEmpty else { continue }
                let name = contract.yearName(payment.year)
                let message =
                    "payment '\(payment.id)' for \(name) reads KPI '\(kpi.id)', which has no "
                    + missing.joined(separator: " and no ") + " for \(name)"
                if diagnostics.contains(where: { $0.message == message }) { continue }
                diagnostics.append(
                    Diagnostic(
                        check: .settleYearData, message: message,
                        hint:
                            """
                            add \(missing.joined(separator: " and ")) for year=\"\(payment.year)\" to KPI \
                            '\(kpi.id)', or settle an earlier year
                            """,
                        at: payment.location))
            }
        }
        // A class at risk is written down on the last year's performance: that year cannot
        // be settled without it.
        if year == contract.term.last, let sib = contract.sib, let performance = sib.performance,
            sib.classes.contains(where: { !$0.protected && $0.lossFloor != nil }),
            let kpi = contract.kpi(performance.kpi)
        {
            let missing = missingFigures(performance.measure, of: kpi, in: year)
            if !missing.isEmpty {
                let name = contract.yearName(year)
                diagnostics.append(
                    Diagnostic(
                        check: .settleYearData,
                        message:
                            """
                            the SIB's classes at risk are settled at maturity on the performance of \(name), and \
                            KPI '\(kpi.id)' has no \(missing.joined(separator: " and no ")) for \(name)
                            """,
                        hint: "add \(missing.joined(separator: " and ")) for year=\"\(year)\" to KPI '\(kpi.id)'",
                        at: performance.location))
            }
        }
        return diagnostics
    }
}

extension ContractChecks {
    static let rateCards = Check(.rateCard) { contract in
        var diagnostics: [Diagnostic] = []
        func problem(_ message: String, _ hint: String, _ at: SourceLocation) {
            diagnostics.append(Diagnostic(check: .rateCard, message: message, hint: hint, at: at))
        }
        var seenCards: Set<String> = []
        for card in contract.rateCards {
            if !seenCards.insert(card.id).inserted {
                problem("rate card '\(card.id)' is declared twice", "give each rate card its own id", card.location)
            }
            var seen: Set<String> = []
            for outcome in card.outcomes {
                if !seen.insert(outcome.id).inserted {
                    problem(
                        "rate card '\(card.id)' declares outcome '\(outcome.id)' twice", "give each outcome its own id",
                        outcome.location)
                }
                if outcome.price.signum < 0 {
                    problem(
                        "rate card '\(card.id)': outcome '\(outcome.id)' has price \(outcome.price), which is negative",
                        "prices are amounts of 0 or more", outcome.location)
                }
            }
            for (name, cap) in [("cap-per-year", card.capPerYear), ("cap-per-term", card.capPerTerm)] {
                if let cap, cap.signum < 0 {
                    problem(
                        "rate card '\(card.id)': \(name) \(cap) is negative", "caps are amounts of 0 or more",
                        card.location)
                }
            }
            // One diagnostic per kind of mistake and card, naming the first record: a file
            // of thousands of records gives a readable report.
            let unknown = card.records.filter { card.outcome($0.outcome) == nil }
            if let first = unknown.first {
                problem(
                    """
                    rate card '\(card.id)': \(unknown.count) record(s) name an outcome it does not price, the first \
                    '\(first.outcome)' (participant \(first.participant), \(first.location.file) line \
                    \(first.location.line))
                    """,
                    "the card prices \(card.outcomes.map { "'\($0.id)'" }.joined(separator: ", "))", first.location)
            }
            let outside = card.records.filter { !contract.term.contains($0.year) }
            if let first = outside.first {
                problem(
                    """
                    rate card '\(card.id)': \(outside.count) record(s) fall outside the term \
                    \(contract.term.first)–\(contract.term.last), the first in \(first.year) (participant \
                    \(first.participant), \(first.location.file) line \(first.location.line))
                    """,
                    "correct the year, or leave the record out", first.location)
            }
        }
        var paidBy: [String: String] = [:]
        for payment in contract.payments {
            guard case .rateCard(let id) = payment.rule else { continue }
            guard seenCards.contains(id) else {
                problem(
                    "payment '\(payment.id)' pays by rate card '\(id)', which is not declared",
                    "declare <rate-card id=\"\(id)\"> in <payments> before the first <payment>", payment.location)
                continue
            }
            let key = "\(id)/\(payment.year)"
            if let earlier = paidBy[key] {
                problem(
                    """
                    payments '\(earlier)' and '\(payment.id)' both pay rate card '\(id)' for \(payment.year): its \
                    records would be paid twice
                    """,
                    "pay each card's year by one payment (several payees share it with <payee> elements)",
                    payment.location)
            }
            paidBy[key] = payment.id
        }
        return diagnostics
    }
}

extension ContractChecks {
    static let investorClasses = Check(.investorClass) { contract in
        guard let sib = contract.sib, !sib.classes.isEmpty else { return [] }
        var diagnostics: [Diagnostic] = []
        func problem(_ message: String, _ hint: String, _ at: SourceLocation) {
            diagnostics.append(Diagnostic(check: .investorClass, message: message, hint: hint, at: at))
        }
        if let performance = sib.performance {
            if let kpi = contract.kpi(performance.kpi) {
                diagnostics += referenceProblems(
                    performance.measure, kpi: kpi, subject: "the SIB's performance", at: performance.location,
                    check: .investorClass)
            } else {
                problem(
                    "the SIB's performance is measured on KPI '\(performance.kpi)', which is not declared",
                    "declare the KPI in <kpis>, or correct the id", performance.location)
            }
        } else {
            problem(
                "the SIB's classes have return grids but the SIB declares no <performance> to key them to",
                "add <performance kpi=\"…\" measure=\"…\"/> as the first child of <sib>", sib.location)
        }
        var ids: Set<String> = []
        var ranks: [Int: String] = [:]
        for investorClass in sib.classes {
            let name = "class '\(investorClass.id)'"
            if !ids.insert(investorClass.id).inserted {
                problem("\(name) is declared twice", "give each class its own id", investorClass.location)
            }
            if let other = ranks[investorClass.rank] {
                problem(
                    "\(name) and class '\(other)' share rank \(investorClass.rank)",
                    "rank the classes 1, 2, 3…: the waterfall pays them in that order", investorClass.location)
            }
            ranks[investorClass.rank] = investorClass.id
            if investorClass.principal.signum < 0 {
                problem("\(name) has a negative principal", "principal is 0 or more", investorClass.location)
            }
            for holder in investorClass.holders where contract.party(holder.party)?.role != .investor {
                problem(
                    "\(name) is held by '\(holder.party)', which is not a declared investor",
                    "declare <party id=\"\(holder.party)\" role=\"investor\">", holder.location)
            }
            if let total = try? ExactDecimal.sum(investorClass.holders.map(\.share)), total != .one {
                problem(
                    "the holders of \(name) hold \(total) of it, not 1",
                    "make the holders' shares sum to exactly 1", investorClass.location)
            }
            let ats = investorClass.grid.map(\.at)
            if zip(ats, ats.dropFirst()).contains(where: { $0 >= $1 }) {
                problem(
                    "the return grid of \(name) is not in ascending performance",
                    "list the <return> points from the lowest performance to the highest", investorClass.location)
            }
            for point in investorClass.grid where point.rate.signum < 0 {
                problem(
                    "the return grid of \(name) has rate \(point.rate) at \(point.at), which is negative",
                    "a class that can lose money says so with loss-floor; its rates are 0 or more", point.location)
            }
            if investorClass.protected, investorClass.lossFloor != nil {
                problem(
                    "\(name) is protected but has a loss floor",
                    "remove loss-floor=\"…\", or protected=\"true\"", investorClass.location)
            }
            if let floor = investorClass.lossFloor, let zero = investorClass.totalLossAt, zero >= floor {
                problem(
                    "\(name) loses everything at \(zero), which is not below its loss floor \(floor)",
                    "total-loss-at lies below loss-floor (the loss grows in a straight line between them)",
                    investorClass.location)
            }
        }
        return diagnostics
    }
}
