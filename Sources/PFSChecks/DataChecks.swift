import PFSModel

/// What a contract still lacks to be settled, said as warnings: a contract imported from
/// INDIGO (`pfs import indigo`) holds KPIs and payments but no yearly values yet.
extension ContractChecks {
    static let dataMissing = Check(.dataMissing) { contract in
        var diagnostics: [Diagnostic] = []
        let term = contract.term.first...max(contract.term.first, contract.term.last)
        for kpi in contract.kpis {
            let paying = contract.payments.filter { $0.measuredKPIs.contains(kpi.id) }.map(\.id)
            if !paying.isEmpty, !kpi.actual.contains(where: { term.contains($0.year) }) {
                let named = paying.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
                let more = paying.count > 3 ? " and \(paying.count - 3) more" : ""
                diagnostics.append(
                    Diagnostic(
                        .warning, check: .dataMissing,
                        message:
                            """
                            KPI '\(kpi.id)' has no actual value in any year of the term: payment\
                            \(paying.count == 1 ? "" : "s") \(named)\(more) cannot be settled until its yearly values \
                            are added
                            """,
                        hint: "add <actual year=\"…\" value=\"…\" source=\"…\"/>, or take a table in with `pfs actuals`",
                        at: kpi.location))
            }
            let credited = contract.projects.filter { $0.credits.contains { $0.kpi == kpi.id } }.map(\.id)
            if !credited.isEmpty, kpi.expected.isEmpty, kpi.projection == nil {
                diagnostics.append(
                    Diagnostic(
                        .warning, check: .dataMissing,
                        message:
                            """
                            KPI '\(kpi.id)' is credited to project '\(credited[0])' but has no expected value (the \
                            counterfactual): its improvement cannot be computed
                            """,
                        hint: "add <expected year=\"…\" value=\"…\"/> for each year, or a <projection> from the baseline",
                        at: kpi.location))
            }
        }
        return diagnostics
    }
}
