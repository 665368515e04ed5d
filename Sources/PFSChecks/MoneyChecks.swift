import PFSModel

/// Currency, amounts, rounding and shares.
extension ContractChecks {

    static let currencyKnown = Check(.currencyUnknown) { contract in
        guard ISO4217.minorUnitDigits(contract.amounts.currency) == nil else { return [] }
        return [
            Diagnostic(
                check: .currencyUnknown,
                message: "currency '\(contract.amounts.currency)' is not an ISO 4217 code pfs knows",
                hint: "use an ISO 4217 code such as JPY, USD or EUR", at: contract.amounts.location)
        ]
    }

    static let amountScale = Check(.amountScale) { contract in
        guard contract.amounts.scale.signum <= 0 else { return [] }
        return [
            Diagnostic(
                check: .amountScale, message: "amount scale \(contract.amounts.scale) is not positive",
                hint: "write scale=\"1\" for amounts in the currency itself, scale=\"1000\" for thousands (千円)",
                at: contract.amounts.location)
        ]
    }

    static let roundingIncrement = Check(.roundingIncrement) { contract in
        let rounding = contract.rounding
        let location = contract.amounts.location
        guard rounding.increment.signum > 0 else {
            return [
                Diagnostic(
                    check: .roundingIncrement, message: "rounding increment \(rounding.increment) is not positive",
                    hint: "write increment=\"1\" to round to whole written units", at: location)
            ]
        }
        guard let digits = ISO4217.minorUnitDigits(contract.amounts.currency), contract.amounts.scale.signum > 0,
            let inCurrency = try? rounding.increment.multiplied(by: contract.amounts.scale)
        else { return [] }
        let minorUnit = ExactDecimal(significand: 1, scale: digits)
        guard let (_, remainder) = try? inCurrency.truncatingQuotient(dividingBy: minorUnit), remainder.signum != 0
        else { return [] }
        return [
            Diagnostic(
                check: .roundingIncrement,
                message:
                    """
                    rounding increment \(rounding.increment) × scale \(contract.amounts.scale) = \(inCurrency) \
                    \(contract.amounts.currency) is finer than the currency's minor unit \(minorUnit)
                    """,
                hint:
                    """
                    payments cannot be made in fractions of \(minorUnit) \(contract.amounts.currency); choose a \
                    coarser increment
                    """,
                at: location)
        ]
    }

    static let sharesInRange = Check(.shareRange) { contract in
        var diagnostics: [Diagnostic] = []
        func outside(_ share: ExactDecimal) -> Bool { share.signum < 0 || share > .one }
        for project in contract.projects {
            for credit in project.credits where outside(credit.share) {
                diagnostics.append(
                    Diagnostic(
                        check: .shareRange,
                        message:
                            """
                            project '\(project.id)': attribution share \(credit.share) of KPI '\(credit.kpi)' is \
                            outside 0 to 1
                            """,
                        hint: "write shares as fractions: 0.3 for 30%", at: credit.location))
            }
            for share in project.providerShares where outside(share.share) {
                diagnostics.append(
                    Diagnostic(
                        check: .shareRange,
                        message:
                            """
                            project '\(project.id)': provider share \(share.share) of '\(share.party)' is outside \
                            0 to 1
                            """,
                        hint: "write shares as fractions: 0.2 for 20%", at: share.location))
            }
        }
        return diagnostics
    }

    static let attributionTotal = Check(.attributionTotal) { contract in
        var creditsByKPI: [String: [(project: String, credit: Credit)]] = [:]
        for project in contract.projects {
            for credit in project.credits { creditsByKPI[credit.kpi, default: []].append((project.id, credit)) }
        }
        return contract.kpis.compactMap { kpi in
            let credits = creditsByKPI[kpi.id] ?? []
            // A share outside [0, 1] is reported by share-range; a total over it would repeat that.
            let inRange = credits.allSatisfy { $0.credit.share.signum >= 0 && $0.credit.share <= .one }
            guard inRange, credits.count > 0, let total = try? ExactDecimal.sum(credits.map(\.credit.share)),
                total > .one,
                let excess = try? total.subtracting(.one), let last = credits.last
            else { return nil }
            let terms = credits.map { "\($0.project) \($0.credit.share)" }.joined(separator: " + ")
            return Diagnostic(
                check: .attributionTotal,
                message:
                    """
                    KPI '\(kpi.id)' is attributed \(total) of its improvement (\(terms)), \(excess) more than all \
                    of it
                    """,
                hint: "lower the projects' shares of KPI '\(kpi.id)' so that they sum to 1 or less",
                at: last.credit.location)
        }
    }

    static let profitShareTotal = Check(.profitShareTotal) { contract in
        contract.projects.compactMap { project in
            guard let total = try? ExactDecimal.sum(project.providerShares.map(\.share)), total > .one,
                let excess = try? total.subtracting(.one)
            else { return nil }
            let terms = project.providerShares.map { "\($0.party) \($0.share)" }.joined(separator: " + ")
            return Diagnostic(
                check: .profitShareTotal,
                message:
                    """
                    project '\(project.id)' gives providers \(total) of its improvement (\(terms)), \(excess) \
                    more than all of it
                    """,
                hint: "provider shares must leave the payer a share of 0 or more", at: project.location)
        }
    }

    static let valuePerUnit = Check(.valuePerUnit) { contract in
        contract.kpis.compactMap { kpi in
            guard case .perUnit(let unitValue) = kpi.valuation, unitValue.amount.signum <= 0 else { return nil }
            let value = unitValue.amount
            return Diagnostic(
                check: .valuePerUnit, message: "KPI '\(kpi.id)' values one unit at \(value), which is not positive",
                hint:
                    """
                    a unit of improvement must be worth a positive amount; for a cost KPI set \
                    direction=\"lower-is-better\"
                    """,
                at: kpi.location)
        }
    }
}
