import PFSModel

/// The term and the years of the declared values.
extension ContractChecks {

    /// A closing period (出納整理期間) belongs to the outcome year's own accounts: outcomes
    /// paid from the next year's budget are not paid in it.
    static let paymentTiming = Check(.paymentTiming) { contract in
        let timing = contract.paymentTiming
        guard timing.year == .next, timing.closingPeriod, let location = timing.location else { return [] }
        return [
            Diagnostic(
                check: .paymentTiming,
                message: """
                    closing-period="true" says the outcomes are paid in their own year's closing period (出納整理期間), \
                    but year="next" pays them from the next fiscal year's budget
                    """,
                hint: "keep one: year=\"same\" closing-period=\"true\", or year=\"next\" alone",
                at: location)
        ]
    }

    static let termOrder = Check(.termOrder) { contract in
        guard contract.term.first > contract.term.last else { return [] }
        return [
            Diagnostic(
                check: .termOrder,
                message: "the term starts in \(contract.term.first), after it ends in \(contract.term.last)",
                hint: "swap first and last", at: contract.term.location)
        ]
    }

    static let yearsInTerm = Check(.yearInTerm) { contract in
        var diagnostics: [Diagnostic] = []
        let term = contract.term
        // An inverted term is reported by term-order; every year would be "outside" it.
        guard term.first <= term.last else { return [] }
        for kpi in contract.kpis {
            if kpi.baseline.year > term.first {
                diagnostics.append(
                    Diagnostic(
                        check: .yearInTerm,
                        message:
                            """
                            KPI '\(kpi.id)': baseline year \(kpi.baseline.year) is after the term's first year \
                            \(term.first)
                            """,
                        hint: "the baseline is the value before the project starts", at: kpi.baseline.location))
            }
            for (kind, observations) in [("expected", kpi.expected), ("actual", kpi.actual)] {
                for observation in observations where !term.contains(observation.year) {
                    diagnostics.append(
                        Diagnostic(
                            check: .yearInTerm,
                            message:
                                """
                                KPI '\(kpi.id)': \(kind) value for \(observation.year) is outside the term \
                                \(term.first)–\(term.last)
                                """,
                            hint: "correct the year, or the contract's <term>", at: observation.location))
                }
            }
            for skipped in kpi.notMeasured where !term.contains(skipped.year) {
                diagnostics.append(
                    Diagnostic(
                        check: .yearInTerm,
                        message:
                            """
                            KPI '\(kpi.id)': the year declared not measured, \(skipped.year), is outside the term \
                            \(term.first)–\(term.last)
                            """,
                        hint: "correct the year, or the contract's <term>", at: skipped.location))
            }
        }
        for limit in contract.paymentLimits?.yearLimits ?? [] where !term.contains(limit.year) {
            diagnostics.append(
                Diagnostic(
                    check: .yearInTerm,
                    message: "the year limit for \(limit.year) is outside the term \(term.first)–\(term.last)",
                    hint: "correct the year, or the contract's <term>", at: limit.location))
        }
        for payment in contract.payments where !term.contains(payment.year) {
            diagnostics.append(
                Diagnostic(
                    check: .yearInTerm,
                    message:
                        "payment '\(payment.id)' is for \(payment.year), outside the term \(term.first)–\(term.last)",
                    hint: "correct the year, or the contract's <term>", at: payment.location))
        }
        return diagnostics
    }

    static let duplicateYears = Check(.duplicateYear) { contract in
        var diagnostics: [Diagnostic] = []
        for kpi in contract.kpis {
            for (kind, observations) in [("expected", kpi.expected), ("actual", kpi.actual)] {
                var seen: [Int: Int] = [:]
                for observation in observations {
                    if let line = seen[observation.year] {
                        diagnostics.append(
                            Diagnostic(
                                check: .duplicateYear,
                                message:
                                    """
                                    KPI '\(kpi.id)' has a second \(kind) value for \(observation.year) (the first \
                                    is at line \(line))
                                    """,
                                hint: "keep one \(kind) value per year", at: observation.location))
                    } else {
                        seen[observation.year] = observation.location.line
                    }
                }
            }
            var declared: Set<Int> = []
            for skipped in kpi.notMeasured {
                if let actual = kpi.actual(in: skipped.year) {
                    diagnostics.append(
                        Diagnostic(
                            check: .duplicateYear,
                            message:
                                """
                                KPI '\(kpi.id)' declares \(skipped.year) not measured, yet has an actual value \
                                for it (line \(actual.location.line))
                                """,
                            hint: "keep the actual value or the <not-measured> declaration, not both",
                            at: skipped.location))
                } else if !declared.insert(skipped.year).inserted {
                    diagnostics.append(
                        Diagnostic(
                            check: .duplicateYear,
                            message: "KPI '\(kpi.id)' declares \(skipped.year) not measured twice",
                            hint: "keep one <not-measured> per year", at: skipped.location))
                }
            }
        }
        return diagnostics
    }

    static let actualWithoutExpected = Check(.actualWithoutExpected) { contract in
        // Only the profit share compares actual with expected; a KPI measured for a payment rule
        // needs no counterfactual.
        let credited = Set(contract.projects.flatMap { $0.credits.map(\.kpi) })
        return contract.kpis.filter { credited.contains($0.id) }.flatMap { kpi in
            kpi.actual.filter { kpi.expected(in: $0.year) == nil }.map { actual in
                guard kpi.projection != nil else {
                    return Diagnostic(
                        check: .actualWithoutExpected,
                        message:
                            """
                            KPI '\(kpi.id)' has an actual value for \(actual.year) but no expected value to \
                            compare it with
                            """,
                        hint: "add <expected year=\"\(actual.year)\" value=\"…\"/> (the counterfactual, 見込み)",
                        at: actual.location)
                }
                return Diagnostic(
                    check: .actualWithoutExpected,
                    message:
                        """
                        KPI '\(kpi.id)' has an actual value for \(actual.year), but its projection gives no \
                        expected value for that year
                        """,
                    hint:
                        """
                        check the <projection> (a per-capita projection needs <population year=\"\(actual.year)\" \
                        …/>), or add <expected year=\"\(actual.year)\" value=\"…\"/>
                        """,
                    at: actual.location)
            }
        }
    }
}
