import PFSModel

/// The administrative record a payment document prints (`<administration>`): its years and
/// rates must make sense for the contract they describe.
extension ContractChecks {
    static let administration = Check(.administration) { contract in
        guard let admin = contract.administration else { return [] }
        var diagnostics: [Diagnostic] = []
        func add(_ message: String, hint: String, at location: SourceLocation?, severity: Severity = .error) {
            guard let location = location ?? admin.location else { return }
            diagnostics.append(Diagnostic(severity, check: .administration, message: message, hint: hint, at: location))
        }
        if let debt = admin.debtBurden {
            if debt.first > debt.last {
                add(
                    "the debt burden's span starts in \(contract.yearName(debt.first)), after it ends in \(contract.yearName(debt.last))",
                    hint: "swap first and last", at: debt.location)
            } else {
                // Authority to pay must cover every year that pays an outcome of the term, or
                // the statements would show a 残額 for money no budget allows.
                let paidAfter = (contract.term.first...max(contract.term.first, contract.term.last)).map {
                    contract.paymentTiming.paymentYear(ofOutcome: $0)
                }.filter { $0 > debt.last }
                if let year = paidAfter.first, let latest = paidAfter.last {
                    add(
                        """
                        outcomes are paid in \(contract.yearName(year)), after the debt burden's span ends in \
                        \(contract.yearName(debt.last))
                        """,
                        hint: "extend last to \(latest), or check the payment timing", at: debt.location,
                        severity: .warning)
                }
            }
            if debt.setIn > debt.first {
                add(
                    """
                    the debt burden is set in \(contract.yearName(debt.setIn)), after its span begins in \
                    \(contract.yearName(debt.first)): it is set before the years it binds
                    """,
                    hint: "set-in is the fiscal year whose budget set it", at: debt.location)
            }
            if debt.limit.signum < 0 {
                add("the debt burden's limit \(debt.limit) is negative", hint: "the limit is an amount", at: debt.location)
            }
        }
        if let tax = admin.tax {
            switch (tax.included, tax.rate) {
            case (false, nil):
                add(
                    "amounts are declared without consumption tax, but no rate says what to add",
                    hint: "add rate=\"0.10\" (10%)", at: tax.location)
            case (_, let rate?) where rate.signum <= 0 || rate >= .one:
                add("the consumption tax rate \(rate) is not a share between 0 and 1", hint: "10% is 0.10", at: tax.location)
            default: break
            }
        }
        var seen: Set<Int> = []
        for record in admin.years {
            if !(contract.term.first...max(contract.term.first, contract.term.last)).contains(record.year) {
                add(
                    """
                    a year record for \(contract.yearName(record.year)) lies outside the term \
                    \(contract.yearName(contract.term.first))–\(contract.yearName(contract.term.last))
                    """,
                    hint: "a year record belongs to an outcome year of the term", at: record.location)
            }
            if !seen.insert(record.year).inserted {
                add(
                    "\(contract.yearName(record.year)) has a second year record",
                    hint: "keep one record per outcome year", at: record.location)
            }
        }
        return diagnostics
    }
}
