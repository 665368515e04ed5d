import PFSEvaluator
import PFSModel

/// What settling one year requires beyond the contract itself: the year in the term, its
/// data, and the earlier years' data where they count; and `partial-year`, which says so early.
extension ContractChecks {
    /// Checks that `year` can be settled: it lies in the term and every KPI credited to
    /// a project has an expected and an actual value for it.
    public static func settlement(of contract: Contract, year: Int) -> [Diagnostic] {
        guard contract.term.contains(year) else {
            return [
                Diagnostic(
                    check: .settleYearInTerm,
                    message:
                        """
                        fiscal year \(year) is outside the contract's term \
                        \(contract.term.first)–\(contract.term.last)
                        """,
                    hint: "settle a year from \(contract.term.first) to \(contract.term.last)",
                    at: contract.term.location)
            ]
        }
        var diagnostics: [Diagnostic] = []
        // Outcome payments are cumulative: every measured payment up to the year needs its outcome.
        for payment in contract.payments where payment.year <= year && payment.rule.needsOutcome {
            for kpiID in payment.measuredKPIs {
                guard let kpi = contract.kpi(kpiID), kpi.actual(in: payment.year) == nil else { continue }
                diagnostics.append(
                    Diagnostic(
                        check: .settleYearData,
                        message:
                            """
                            payment '\(payment.id)' for \(contract.yearName(payment.year)) measures KPI \
                            '\(kpi.id)', which has no \
                            actual value for \(contract.yearName(payment.year))
                            """,
                        hint:
                            """
                            add <actual year=\"\(payment.year)\" value=\"…\"/> to KPI '\(kpi.id)', or settle an \
                            earlier year
                            """,
                        at: payment.location))
            }
        }
        diagnostics += measuredPaymentGaps(of: contract, through: year)
        diagnostics += earlierYearGaps(of: contract, before: year)
        diagnostics += earlierPaymentGaps(of: contract, before: year)
        for project in contract.projects {
            for credit in project.credits {
                guard let kpi = contract.kpi(credit.kpi) else { continue }
                let missing = missingData(of: kpi, in: year)
                guard !missing.isEmpty else { continue }
                let elements = missing.map { "<\($0) year=\"\(year)\" value=\"…\"/>" }.joined(separator: " and ")
                diagnostics.append(
                    Diagnostic(
                        check: .settleYearData,
                        message:
                            """
                            project '\(project.id)' is credited with KPI '\(kpi.id)', which has no \
                            \(missing.joined(separator: " and no ")) value for \(contract.yearName(year))
                            """,
                        hint: "add \(elements) to KPI '\(kpi.id)', or settle a year that has data",
                        at: kpi.location))
            }
        }
        return diagnostics
    }

    /// Which of a KPI's values for `year` a settlement needs and the contract lacks.
    static func missingData(of kpi: KPI, in year: Int) -> [String] {
        [("expected", kpi.expected(in: year)), ("actual", kpi.actual(in: year))].filter { $0.1 == nil }.map(\.0)
    }

    /// The first credited KPI that keeps `year` from being settled, with its project.
    static func firstGap(of contract: Contract, in year: Int) -> (project: Project, kpi: KPI, missing: [String])? {
        for project in contract.projects {
            for credit in project.credits {
                guard let kpi = contract.kpi(credit.kpi) else { continue }
                let missing = missingData(of: kpi, in: year)
                if !missing.isEmpty { return (project, kpi, missing) }
            }
        }
        return nil
    }

    /// Every year counts the payments made before it (towards the payments' maximum, in the
    /// totals to date, in the SIB's balances), and a payment is made only in a year that has
    /// a statement. A payment in an earlier year that cannot be settled yet (its data is on
    /// its way) would be left out silently, so the later year waits for it; a year declared
    /// not measured is skipped for good, which `payment-year-skipped` says.
    static func earlierPaymentGaps(of contract: Contract, before year: Int) -> [Diagnostic] {
        let earlierYears = Set(contract.payments.map(\.year).filter { $0 < year })
        var diagnostics: [Diagnostic] = []
        for earlier in earlierYears.sorted() {
            guard let gap = firstGap(of: contract, in: earlier), gap.kpi.notMeasured(in: earlier) == nil else {
                continue
            }
            let payments = contract.payments.filter { $0.year == earlier }
            let names = payments.map { "'\($0.id)'" }.joined(separator: ", ")
            diagnostics.append(
                Diagnostic(
                    check: .settleYearGap,
                    message:
                        """
                        payment\(payments.count == 1 ? "" : "s") \(names) fall\(payments.count == 1 ? "s" : "") \
                        in \(contract.yearName(earlier)), which cannot be settled yet \
                        (project '\(gap.project.id)' is credited \
                        with KPI '\(gap.kpi.id)', which has no \(gap.missing.joined(separator: " and no ")) value \
                        for \(contract.yearName(earlier))); \(contract.yearName(year)) counts the payments made \
                        before it, so it cannot be settled \
                        over \(contract.yearName(earlier))
                        """,
                    hint:
                        "add the values for \(contract.yearName(earlier)) to KPI '\(gap.kpi.id)' and settle "
                        + "\(contract.yearName(earlier)) first",
                    at: payments.first?.location ?? contract.location))
        }
        return diagnostics
    }

    /// A payment in a year declared not measured for a credited KPI is never made: the year
    /// has no statement, and later years do not count it.
    static let paymentsInSkippedYears = Check(.paymentYearSkipped) { contract in
        let years = Set(contract.payments.map(\.year))
        var diagnostics: [Diagnostic] = []
        for year in years.sorted() {
            guard let gap = firstGap(of: contract, in: year), let declared = gap.kpi.notMeasured(in: year) else {
                continue
            }
            for payment in contract.payments where payment.year == year {
                diagnostics.append(
                    Diagnostic(
                        .warning, check: .paymentYearSkipped,
                        message:
                            """
                            payment '\(payment.id)' falls in \(contract.yearName(year)), which KPI \
                            '\(gap.kpi.id)' (credited to \
                            project '\(gap.project.id)') declares not measured: the year is skipped, so the \
                            payment is never made
                            """,
                        hint:
                            """
                            move the payment to a year that is settled, or measure KPI '\(gap.kpi.id)' in \
                            \(contract.yearName(year)) instead of declaring it not measured \
                            (line \(declared.location.line))
                            """,
                        at: payment.location))
            }
        }
        return diagnostics
    }

    /// Where a year's profit share depends on the years before it (a shortfall carried
    /// forward or clawed back, a reward maximum over the term), every earlier year of the
    /// term must have its data for each credited KPI, or be declared not measured: otherwise
    /// the year would be settled as if the missing year had been zero, silently.
    static func earlierYearGaps(of contract: Contract, before year: Int) -> [Diagnostic] {
        guard contract.negativeImprovement != .floor || contract.rewardMaximum != nil, contract.term.first < year else {
            return []
        }
        let why =
            contract.rewardMaximum != nil && contract.negativeImprovement == .floor
            ? "the reward maximum counts every earlier year's rewards"
            : "the \(contract.negativeImprovement.rawValue) policy carries every earlier year's shortfall"
        var diagnostics: [Diagnostic] = []
        var seen: Set<String> = []
        for project in contract.projects {
            for credit in project.credits where seen.insert(credit.kpi).inserted {
                guard let kpi = contract.kpi(credit.kpi) else { continue }
                // The years with data, read once (a long term has hundreds).
                let measured = Set(kpi.actual.map(\.year)), declared = Set(kpi.expected.map(\.year))
                let skipped = Set(kpi.notMeasured.map(\.year))
                let gaps = (contract.term.first..<year).filter { earlier in
                    !skipped.contains(earlier)
                        && (!measured.contains(earlier)
                            || (!declared.contains(earlier) && kpi.expected(in: earlier) == nil))
                }
                guard let first = gaps.first else { continue }
                let years = gaps.map { "\(contract.yearName($0))" }.joined(separator: ", ")
                diagnostics.append(
                    Diagnostic(
                        check: .settleYearGap,
                        message:
                            """
                            KPI '\(kpi.id)' has no data for \(years), before \(contract.yearName(year)); \
                            \(why), so \(contract.yearName(year)) \
                            cannot be settled over \(gaps.count == 1 ? "it" : "them")
                            """,
                        hint:
                            """
                            add the expected and actual values for \(contract.yearName(first)), or declare \
                            <not-measured \
                            year=\"\(first)\" reason=\"…\"/> in KPI '\(kpi.id)'
                            """,
                        at: kpi.location))
            }
        }
        return diagnostics
    }

    /// A year for which some KPIs credited to projects have actual values and others have
    /// none cannot be settled; said by `pfs check` already (as a warning: the data may
    /// still be on its way), not first by `pfs settle`.
    static let partialYears = Check(.partialYear) { contract in
        let creditedIDs = Set(contract.projects.flatMap { $0.credits.map(\.kpi) })
        let credited = contract.kpis.indices.filter { creditedIDs.contains(contract.kpis[$0].id) }
        guard credited.count > 1, contract.term.first <= contract.term.last else { return [] }
        // Which years each credited KPI has an actual value for, read once.
        let measuredYears = credited.map { Set(contract.kpis[$0].actual.map(\.year)) }
        var diagnostics: [Diagnostic] = []
        for year in contract.term.first...contract.term.last {
            guard let first = measuredYears.firstIndex(where: { $0.contains(year) }) else { continue }
            let measured = contract.kpis[credited[first]]
            for (position, index) in credited.enumerated() where !measuredYears[position].contains(year) {
                let kpi = contract.kpis[index]
                guard kpi.notMeasured(in: year) == nil else { continue }
                diagnostics.append(
                    Diagnostic(
                        .warning, check: .partialYear,
                        message:
                            """
                            \(contract.yearName(year)) has an actual value for KPI '\(measured.id)' but none \
                            for KPI '\(kpi.id)', \
                            also credited to a project: \(contract.yearName(year)) cannot be settled until it has
                            """,
                        hint:
                            """
                            add <actual year=\"\(year)\" value=\"…\"/> to KPI '\(kpi.id)'; if it will never be \
                            measured, declare <not-measured year=\"\(year)\" reason=\"…\"/> (the year is then \
                            skipped, not settled)
                            """,
                        at: kpi.location))
            }
        }
        return diagnostics
    }
}
