import PFSModel

/// A named semantic check: a stable id, what it guards, and the function that runs it.
public struct Check: Sendable {
    /// The stable id printed in diagnostics, e.g. `attribution-total`.
    public let id: CheckID
    let run: @Sendable (Contract) -> [Diagnostic]

    init(_ id: CheckID, run: @escaping @Sendable (Contract) -> [Diagnostic]) {
        self.id = id
        self.run = run
    }

    /// One sentence saying what the check requires.
    public var summary: String { id.summary }

    /// Runs the check.
    public func callAsFunction(_ contract: Contract) -> [Diagnostic] { run(contract) }
}

/// The semantic checks a schema-valid contract must pass before it is settled.
public enum ContractChecks {
    /// Every check, in the order they run.
    public static let all: [Check] = [
        uniqueIDs, namesPresent, currencyKnown, amountScale, roundingIncrement, termOrder,
        referencesResolve, partyRoles, sharesInRange, duplicateEntries, attributionTotal,
        profitShareTotal, valuePerUnit, yearsInTerm, duplicateYears, actualWithoutExpected,
        projectionRules, creditedValuation, paymentParties, paymentKPI, estimateBlend, amountsNonNegative, bandMarks, stepTable, tiersOrder, proportionalTarget,
        capBelowFixed, paymentLimits, sibWaterfall, perBeneficiary, partialYears, sizeLimits,
    ]

    /// Runs every check; diagnostics come in check order, then declaration order.
    public static func run(_ contract: Contract) -> [Diagnostic] {
        all.flatMap { $0(contract) }
    }

    /// Checks that `year` can be settled: it lies in the term and every KPI credited to
    /// a project has an expected and an actual value for it.
    public static func settlement(of contract: Contract, year: Int) -> [Diagnostic] {
        guard contract.term.contains(year) else {
            return [Diagnostic(check: .settleYearInTerm,
                               message: "fiscal year \(year) is outside the contract's term \(contract.term.first)–\(contract.term.last)",
                               hint: "settle a year from \(contract.term.first) to \(contract.term.last)",
                               at: contract.term.location)]
        }
        var diagnostics: [Diagnostic] = []
        // Outcome payments are cumulative: every measured payment up to the year needs its outcome.
        for payment in contract.payments where payment.year <= year && payment.rule.needsOutcome {
            for kpiID in payment.measuredKPIs {
            guard let kpi = contract.kpi(kpiID), kpi.actual(in: payment.year) == nil else { continue }
            diagnostics.append(Diagnostic(
                check: .settleYearData,
                message: "payment '\(payment.id)' for FY\(payment.year) measures KPI '\(kpi.id)', which has no actual value for FY\(payment.year)",
                hint: "add <actual year=\"\(payment.year)\" value=\"…\"/> to KPI '\(kpi.id)', or settle an earlier year",
                at: payment.location))
            }
        }
        diagnostics += earlierYearGaps(of: contract, before: year)
        for project in contract.projects {
            for credit in project.credits {
                guard let kpi = contract.kpi(credit.kpi) else { continue }
                let missing = [("expected", kpi.expected(in: year)), ("actual", kpi.actual(in: year))]
                    .filter { $0.1 == nil }.map(\.0)
                guard !missing.isEmpty else { continue }
                let elements = missing.map { "<\($0) year=\"\(year)\" value=\"…\"/>" }.joined(separator: " and ")
                diagnostics.append(Diagnostic(
                    check: .settleYearData,
                    message: "project '\(project.id)' is credited with KPI '\(kpi.id)', which has no \(missing.joined(separator: " and no ")) value for FY\(year)",
                    hint: "add \(elements) to KPI '\(kpi.id)', or settle a year that has data",
                    at: kpi.location))
            }
        }
        return diagnostics
    }

    /// Where a year's profit share depends on the years before it (a shortfall carried
    /// forward or clawed back, a reward maximum over the term), every earlier year of the
    /// term must have its data for each credited KPI, or be declared not measured: otherwise
    /// the year would be settled as if the missing year had been zero, silently.
    static func earlierYearGaps(of contract: Contract, before year: Int) -> [Diagnostic] {
        guard contract.negativeImprovement != .floor || contract.rewardMaximum != nil, contract.term.first < year else { return [] }
        let why = contract.rewardMaximum != nil && contract.negativeImprovement == .floor
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
                    !skipped.contains(earlier) && (!measured.contains(earlier)
                        || (!declared.contains(earlier) && kpi.expected(in: earlier) == nil))
                }
                guard let first = gaps.first else { continue }
                let years = gaps.map { "FY\($0)" }.joined(separator: ", ")
                diagnostics.append(Diagnostic(
                    check: .settleYearGap,
                    message: "KPI '\(kpi.id)' has no data for \(years), before FY\(year); \(why), so FY\(year) cannot be settled over \(gaps.count == 1 ? "it" : "them")",
                    hint: "add the expected and actual values for FY\(first), or declare <not-measured year=\"\(first)\" reason=\"…\"/> in KPI '\(kpi.id)'",
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
                diagnostics.append(Diagnostic(
                    .warning, check: .partialYear,
                    message: "FY\(year) has an actual value for KPI '\(measured.id)' but none for KPI '\(kpi.id)', also credited to a project: FY\(year) cannot be settled until it has",
                    hint: "add <actual year=\"\(year)\" value=\"…\"/> to KPI '\(kpi.id)'; if it will never be measured, declare <not-measured year=\"\(year)\" reason=\"…\"/> (the year is then skipped, not settled)",
                    at: kpi.location))
            }
        }
        return diagnostics
    }

    /// The most of each thing the settlement's cost grows with. Far above any real
    /// contract (the largest benchmark has 1,000 KPIs and 3,000 credits), low enough that
    /// every accepted contract settles a year in seconds: 1,000 KPIs each credited to
    /// 1,000 projects took 47 s and 11 GB.
    public static let limits = SizeLimits()

    /// The limits themselves, named for the diagnostic.
    public struct SizeLimits: Sendable {
        /// Each the most a contract may have.
        public let kpis = 10_000
        public let projects = 2_000
        public let credits = 20_000
        public let providerShares = 20_000
        public let payments = 10_000
        public let observations = 500_000
    }

    static let sizeLimits = Check(.contractSize) { contract in
        let limits = ContractChecks.limits
        let counts: [(what: String, count: Int, limit: Int)] = [
            ("KPIs", contract.kpis.count, limits.kpis),
            ("projects", contract.projects.count, limits.projects),
            ("credits (a project credited with a KPI)", contract.projects.reduce(0) { $0 + $1.credits.count }, limits.credits),
            ("provider shares", contract.projects.reduce(0) { $0 + $1.providerShares.count }, limits.providerShares),
            ("payments", contract.payments.count, limits.payments),
            ("declared values (baseline, expected, actual)", contract.kpis.reduce(0) { $0 + 1 + $1.expected.count + $1.actual.count }, limits.observations),
        ]
        return counts.filter { $0.count > $0.limit }.map { entry in
            Diagnostic(check: .contractSize, message: "the contract has \(entry.count) \(entry.what); pfs settles at most \(entry.limit)",
                       hint: "split it into several contracts, or check that the file was generated as intended", at: contract.location)
        }
    }

    // MARK: Identity and references

    static let uniqueIDs = Check(.uniqueID) { contract in
        var seen: [String: (kind: String, location: SourceLocation)] = [:]
        var diagnostics: [Diagnostic] = []
        let declared = contract.parties.map { ("party", $0.id, $0.location) }
            + contract.kpis.map { ("KPI", $0.id, $0.location) }
            + contract.projects.map { ("project", $0.id, $0.location) }
        for (kind, id, location) in declared {
            if let first = seen[id] {
                diagnostics.append(Diagnostic(
                    check: .uniqueID,
                    message: "id '\(id)' of this \(kind) is already used by the \(first.kind) at line \(first.location.line)",
                    hint: "give every party, KPI and project its own id", at: location))
            } else {
                seen[id] = (kind, location)
            }
        }
        return diagnostics
    }

    static let namesPresent = Check(.nameMissing) { contract in
        let named = contract.parties.map { ("party", $0.id, $0.name, $0.location) }
            + contract.kpis.map { ("KPI", $0.id, $0.name, $0.location) }
            + contract.projects.map { ("project", $0.id, $0.name, $0.location) }
        return named.compactMap { kind, id, name, location in
            let present = [name.ja, name.en].compactMap { $0?.trimmingWhitespace() }.contains { !$0.isEmpty }
            return present ? nil : Diagnostic(
                check: .nameMissing, message: "\(kind) '\(id)' has no name",
                hint: "write <name ja=\"…\" en=\"…\"/> with at least one of the two", at: location)
        }
    }

    static let referencesResolve = Check(.referenceUnknown) { contract in
        var diagnostics: [Diagnostic] = []
        let kpiIDs = contract.kpis.map(\.id)
        let partyIDs = contract.parties.map(\.id)
        func list(_ ids: [String]) -> String { ids.isEmpty ? "none" : ids.joined(separator: ", ") }
        for project in contract.projects {
            if contract.party(project.payer) == nil {
                diagnostics.append(Diagnostic(
                    check: .referenceUnknown, message: "project '\(project.id)' names payer '\(project.payer)', which is not a declared party",
                    hint: "declared parties: \(list(partyIDs))", at: project.payerLocation))
            }
            for credit in project.credits where contract.kpi(credit.kpi) == nil {
                diagnostics.append(Diagnostic(
                    check: .referenceUnknown, message: "project '\(project.id)' is credited with KPI '\(credit.kpi)', which is not declared",
                    hint: "declared KPIs: \(list(kpiIDs))", at: credit.location))
            }
            for share in project.providerShares where contract.party(share.party) == nil {
                diagnostics.append(Diagnostic(
                    check: .referenceUnknown, message: "project '\(project.id)' gives a share to party '\(share.party)', which is not declared",
                    hint: "declared parties: \(list(partyIDs))", at: share.location))
            }
        }
        for limit in contract.paymentLimits?.payerLimits ?? [] where contract.party(limit.party) == nil {
            diagnostics.append(Diagnostic(
                check: .referenceUnknown, message: "a payer limit names '\(limit.party)', which is not a declared party",
                hint: "declared parties: \(list(partyIDs))", at: limit.location))
        }
        for payment in contract.payments {
            let named = payment.payers.map { ("payer", $0.party) } + payment.payees.map { ("payee", $0.party) }
            for (role, party) in named where contract.party(party) == nil {
                diagnostics.append(Diagnostic(
                    check: .referenceUnknown, message: "payment '\(payment.id)' names \(role) '\(party)', which is not a declared party",
                    hint: "declared parties: \(list(partyIDs))", at: payment.location))
            }
            for kpi in payment.measuredKPIs where contract.kpi(kpi) == nil {
                diagnostics.append(Diagnostic(
                    check: .referenceUnknown, message: "payment '\(payment.id)' measures KPI '\(kpi)', which is not declared",
                    hint: "declared KPIs: \(list(kpiIDs))", at: payment.location))
            }
        }
        return diagnostics
    }

    static let partyRoles = Check(.partyRole) { contract in
        var diagnostics: [Diagnostic] = []
        for project in contract.projects {
            if let payer = contract.party(project.payer), payer.role != .publicSector {
                diagnostics.append(Diagnostic(
                    check: .partyRole, message: "project '\(project.id)' names '\(payer.id)' as payer, but its role is \(payer.role.rawValue)",
                    hint: "the payer must be a party with role=\"public-sector\"", at: project.payerLocation))
            }
            for share in project.providerShares {
                if let party = contract.party(share.party), party.role != .provider {
                    diagnostics.append(Diagnostic(
                        check: .partyRole, message: "project '\(project.id)' gives a provider share to '\(party.id)', whose role is \(party.role.rawValue)",
                        hint: "provider shares go to parties with role=\"provider\"; the payer keeps what they leave", at: share.location))
                }
            }
        }
        for payment in contract.payments {
            for share in payment.payers {
                guard let payer = contract.party(share.party), payer.role != .publicSector else { continue }
                diagnostics.append(Diagnostic(
                    check: .partyRole, message: "payment '\(payment.id)' is paid by '\(payer.id)', whose role is \(payer.role.rawValue)",
                    hint: "the payer must be a party with role=\"public-sector\"", at: payment.location))
            }
            for share in payment.payees {
                guard let payee = contract.party(share.party), payee.role != .provider, payee.role != .investor,
                      payee.role != .intermediary else { continue }
                diagnostics.append(Diagnostic(
                    check: .partyRole, message: "payment '\(payment.id)' is paid to '\(payee.id)', whose role is \(payee.role.rawValue)",
                    hint: "outcome payments go to a provider, an investor or a SIB intermediary", at: payment.location))
            }
        }
        return diagnostics
    }

    static let duplicateEntries = Check(.duplicateEntry) { contract in
        var diagnostics: [Diagnostic] = []
        for project in contract.projects {
            var kpis = Set<String>(), parties = Set<String>()
            for credit in project.credits where !kpis.insert(credit.kpi).inserted {
                diagnostics.append(Diagnostic(
                    check: .duplicateEntry, message: "project '\(project.id)' credits KPI '\(credit.kpi)' more than once",
                    hint: "merge the credits into one with the combined share", at: credit.location))
            }
            for share in project.providerShares where !parties.insert(share.party).inserted {
                diagnostics.append(Diagnostic(
                    check: .duplicateEntry, message: "project '\(project.id)' gives provider '\(share.party)' more than one share",
                    hint: "merge the provider shares into one", at: share.location))
            }
        }
        return diagnostics
    }

    // MARK: Money and shares

    static let currencyKnown = Check(.currencyUnknown) { contract in
        guard ISO4217.minorUnitDigits(contract.amounts.currency) == nil else { return [] }
        return [Diagnostic(check: .currencyUnknown, message: "currency '\(contract.amounts.currency)' is not an ISO 4217 code pfs knows",
                           hint: "use an ISO 4217 code such as JPY, USD or EUR", at: contract.amounts.location)]
    }

    static let amountScale = Check(.amountScale) { contract in
        guard contract.amounts.scale.signum <= 0 else { return [] }
        return [Diagnostic(check: .amountScale, message: "amount scale \(contract.amounts.scale) is not positive",
                           hint: "write scale=\"1\" for amounts in the currency itself, scale=\"1000\" for thousands (千円)",
                           at: contract.amounts.location)]
    }

    static let roundingIncrement = Check(.roundingIncrement) { contract in
        let rounding = contract.rounding
        let location = contract.amounts.location
        guard rounding.increment.signum > 0 else {
            return [Diagnostic(check: .roundingIncrement, message: "rounding increment \(rounding.increment) is not positive",
                               hint: "write increment=\"1\" to round to whole written units", at: location)]
        }
        guard let digits = ISO4217.minorUnitDigits(contract.amounts.currency), contract.amounts.scale.signum > 0,
              let inCurrency = try? rounding.increment.multiplied(by: contract.amounts.scale) else { return [] }
        let minorUnit = ExactDecimal(significand: 1, scale: digits)
        guard let (_, remainder) = try? inCurrency.truncatingQuotient(dividingBy: minorUnit), remainder.signum != 0 else { return [] }
        return [Diagnostic(check: .roundingIncrement,
                           message: "rounding increment \(rounding.increment) × scale \(contract.amounts.scale) = \(inCurrency) \(contract.amounts.currency) is finer than the currency's minor unit \(minorUnit)",
                           hint: "payments cannot be made in fractions of \(minorUnit) \(contract.amounts.currency); choose a coarser increment",
                           at: location)]
    }

    static let sharesInRange = Check(.shareRange) { contract in
        var diagnostics: [Diagnostic] = []
        func outside(_ share: ExactDecimal) -> Bool { share.signum < 0 || share > .one }
        for project in contract.projects {
            for credit in project.credits where outside(credit.share) {
                diagnostics.append(Diagnostic(
                    check: .shareRange, message: "project '\(project.id)': attribution share \(credit.share) of KPI '\(credit.kpi)' is outside 0 to 1",
                    hint: "write shares as fractions: 0.3 for 30%", at: credit.location))
            }
            for share in project.providerShares where outside(share.share) {
                diagnostics.append(Diagnostic(
                    check: .shareRange, message: "project '\(project.id)': provider share \(share.share) of '\(share.party)' is outside 0 to 1",
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
            guard inRange, credits.count > 0, let total = try? ExactDecimal.sum(credits.map(\.credit.share)), total > .one,
                  let excess = try? total.subtracting(.one), let last = credits.last else { return nil }
            let terms = credits.map { "\($0.project) \($0.credit.share)" }.joined(separator: " + ")
            return Diagnostic(
                check: .attributionTotal,
                message: "KPI '\(kpi.id)' is attributed \(total) of its improvement (\(terms)), \(excess) more than all of it",
                hint: "lower the projects' shares of KPI '\(kpi.id)' so that they sum to 1 or less", at: last.credit.location)
        }
    }

    static let profitShareTotal = Check(.profitShareTotal) { contract in
        contract.projects.compactMap { project in
            guard let total = try? ExactDecimal.sum(project.providerShares.map(\.share)), total > .one,
                  let excess = try? total.subtracting(.one) else { return nil }
            let terms = project.providerShares.map { "\($0.party) \($0.share)" }.joined(separator: " + ")
            return Diagnostic(
                check: .profitShareTotal,
                message: "project '\(project.id)' gives providers \(total) of its improvement (\(terms)), \(excess) more than all of it",
                hint: "provider shares must leave the payer a share of 0 or more", at: project.location)
        }
    }

    static let valuePerUnit = Check(.valuePerUnit) { contract in
        contract.kpis.compactMap { kpi in
            guard case .perUnit(let unitValue) = kpi.valuation, unitValue.amount.signum <= 0 else { return nil }
            let value = unitValue.amount
            return Diagnostic(check: .valuePerUnit, message: "KPI '\(kpi.id)' values one unit at \(value), which is not positive",
                              hint: "a unit of improvement must be worth a positive amount; for a cost KPI set direction=\"lower-is-better\"",
                              at: kpi.location)
        }
    }

    // MARK: Years

    static let termOrder = Check(.termOrder) { contract in
        guard contract.term.first > contract.term.last else { return [] }
        return [Diagnostic(check: .termOrder, message: "the term starts in \(contract.term.first), after it ends in \(contract.term.last)",
                           hint: "swap first and last", at: contract.term.location)]
    }

    static let yearsInTerm = Check(.yearInTerm) { contract in
        var diagnostics: [Diagnostic] = []
        let term = contract.term
        // An inverted term is reported by term-order; every year would be "outside" it.
        guard term.first <= term.last else { return [] }
        for kpi in contract.kpis {
            if kpi.baseline.year > term.first {
                diagnostics.append(Diagnostic(
                    check: .yearInTerm, message: "KPI '\(kpi.id)': baseline year \(kpi.baseline.year) is after the term's first year \(term.first)",
                    hint: "the baseline is the value before the project starts", at: kpi.baseline.location))
            }
            for (kind, observations) in [("expected", kpi.expected), ("actual", kpi.actual)] {
                for observation in observations where !term.contains(observation.year) {
                    diagnostics.append(Diagnostic(
                        check: .yearInTerm, message: "KPI '\(kpi.id)': \(kind) value for \(observation.year) is outside the term \(term.first)–\(term.last)",
                        hint: "correct the year, or the contract's <term>", at: observation.location))
                }
            }
            for skipped in kpi.notMeasured where !term.contains(skipped.year) {
                diagnostics.append(Diagnostic(
                    check: .yearInTerm, message: "KPI '\(kpi.id)': the year declared not measured, \(skipped.year), is outside the term \(term.first)–\(term.last)",
                    hint: "correct the year, or the contract's <term>", at: skipped.location))
            }
        }
        for limit in contract.paymentLimits?.yearLimits ?? [] where !term.contains(limit.year) {
            diagnostics.append(Diagnostic(
                check: .yearInTerm, message: "the year limit for \(limit.year) is outside the term \(term.first)–\(term.last)",
                hint: "correct the year, or the contract's <term>", at: limit.location))
        }
        for payment in contract.payments where !term.contains(payment.year) {
            diagnostics.append(Diagnostic(
                check: .yearInTerm, message: "payment '\(payment.id)' is for \(payment.year), outside the term \(term.first)–\(term.last)",
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
                        diagnostics.append(Diagnostic(
                            check: .duplicateYear, message: "KPI '\(kpi.id)' has a second \(kind) value for \(observation.year) (the first is at line \(line))",
                            hint: "keep one \(kind) value per year", at: observation.location))
                    } else {
                        seen[observation.year] = observation.location.line
                    }
                }
            }
            var declared: Set<Int> = []
            for skipped in kpi.notMeasured {
                if let actual = kpi.actual(in: skipped.year) {
                    diagnostics.append(Diagnostic(
                        check: .duplicateYear,
                        message: "KPI '\(kpi.id)' declares \(skipped.year) not measured, yet has an actual value for it (line \(actual.location.line))",
                        hint: "keep the actual value or the <not-measured> declaration, not both", at: skipped.location))
                } else if !declared.insert(skipped.year).inserted {
                    diagnostics.append(Diagnostic(check: .duplicateYear, message: "KPI '\(kpi.id)' declares \(skipped.year) not measured twice",
                                                  hint: "keep one <not-measured> per year", at: skipped.location))
                }
            }
        }
        return diagnostics
    }

    static let actualWithoutExpected = Check(.actualWithoutExpected) { contract in
        // Only the profit share compares actual with expected; a KPI measured for a payment rule needs no counterfactual.
        let credited = Set(contract.projects.flatMap { $0.credits.map(\.kpi) })
        return contract.kpis.filter { credited.contains($0.id) }.flatMap { kpi in
            kpi.actual.filter { kpi.expected(in: $0.year) == nil }.map { actual in
                guard kpi.projection != nil else {
                    return Diagnostic(check: .actualWithoutExpected,
                                      message: "KPI '\(kpi.id)' has an actual value for \(actual.year) but no expected value to compare it with",
                                      hint: "add <expected year=\"\(actual.year)\" value=\"…\"/> (the counterfactual, 見込み)", at: actual.location)
                }
                return Diagnostic(check: .actualWithoutExpected,
                                  message: "KPI '\(kpi.id)' has an actual value for \(actual.year), but its projection gives no expected value for that year",
                                  hint: "check the <projection> (a per-capita projection needs <population year=\"\(actual.year)\" …/>), or add <expected year=\"\(actual.year)\" value=\"…\"/>",
                                  at: actual.location)
            }
        }
    }

    // MARK: Payments

    static let projectionRules = Check(.projection) { contract in
        var diagnostics: [Diagnostic] = []
        for kpi in contract.kpis {
            guard let projection = kpi.projection else { continue }
            if case .growth(_, let rounding) = projection.method, rounding.increment.signum <= 0 {
                diagnostics.append(Diagnostic(check: .projection, message: "KPI '\(kpi.id)': projection precision \(rounding.increment) is not positive",
                                              hint: "precision is the multiple each projected year is rounded to, e.g. 1 or 0.1", at: projection.location))
                continue
            }
            guard contract.term.first <= contract.term.last else { continue }
            for year in contract.term.first...contract.term.last {
                do {
                    _ = try projection.value(in: year, from: kpi.baseline)
                } catch {
                    // Overflow or precision loss; a zero precision is reported above.
                    diagnostics.append(Diagnostic(check: .projection, message: "KPI '\(kpi.id)': the projection for \(year) cannot be represented exactly",
                                                  hint: "use a coarser precision, a rate with fewer decimal places, or declare <expected> values", at: projection.location))
                    break
                }
            }
        }
        return diagnostics
    }

    static let creditedValuation = Check(.kpiValuation) { contract in
        contract.projects.flatMap { project in
            project.credits.compactMap { credit in
                guard let kpi = contract.kpi(credit.kpi), case .measuredOnly = kpi.valuation else { return nil }
                return Diagnostic(check: .kpiValuation,
                                  message: "project '\(project.id)' is credited with KPI '\(kpi.id)', which has no money value",
                                  hint: "add <money/> or <value-per-unit amount=\"…\"/> to KPI '\(kpi.id)' after its <name>", at: credit.location)
            }
        }
    }

    static let paymentParties = Check(.paymentParties) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments {
            for (side, shares) in [("payer", payment.payers), ("payee", payment.payees)] {
                guard !shares.isEmpty else {
                    diagnostics.append(Diagnostic(check: .paymentParties, message: "payment '\(payment.id)' names no \(side)",
                                                  hint: "write \(side)=\"…\", or <\(side) party=\"…\" share=\"…\"/> elements for several", at: payment.location))
                    continue
                }
                var seen = Set<String>()
                for share in shares where !seen.insert(share.party).inserted {
                    diagnostics.append(Diagnostic(check: .paymentParties, message: "payment '\(payment.id)' names \(side) '\(share.party)' more than once",
                                                  hint: "merge the shares into one", at: share.location))
                }
                for share in shares where share.share.signum < 0 || share.share > .one {
                    diagnostics.append(Diagnostic(check: .paymentParties, message: "payment '\(payment.id)': \(side) share \(share.share) of '\(share.party)' is outside 0 to 1",
                                                  hint: "shares are fractions of each amount, e.g. 0.5", at: share.location))
                }
                if let total = try? ExactDecimal.sum(shares.map(\.share)), total != .one {
                    let terms = shares.map { "\($0.party) \($0.share)" }.joined(separator: " + ")
                    diagnostics.append(Diagnostic(check: .paymentParties, message: "payment '\(payment.id)': the \(side) shares sum to \(total) (\(terms)), not 1",
                                                  hint: "every amount is split in full among the \(side)s", at: payment.location))
                }
            }
        }
        return diagnostics
    }

    static let paymentKPI = Check(.paymentKPI) { contract in
        contract.payments.compactMap { payment in
            if payment.kpi != nil && !payment.estimates.isEmpty {
                return Diagnostic(check: .paymentKPI, message: "payment '\(payment.id)' names both kpi=\"\(payment.kpi ?? "")\" and an <outcome> blend",
                                  hint: "measure the outcome one way: remove kpi=\"…\" or the <outcome> element", at: payment.location)
            }
            guard payment.rule.needsOutcome, payment.measuredKPIs.isEmpty else { return nil }
            return Diagnostic(check: .paymentKPI, message: "payment '\(payment.id)' pays by a \(payment.rule.kind) rule but names no KPI to measure",
                              hint: "add kpi=\"…\" to the <payment>, naming the KPI whose actual value it pays for", at: payment.location)
        }
    }

    static let estimateBlend = Check(.estimateBlend) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments where !payment.estimates.isEmpty {
            let weights = payment.estimates.map(\.weight)
            if let total = try? ExactDecimal.sum(weights), total != .one {
                let terms = payment.estimates.map { "\($0.kpi) \($0.weight)" }.joined(separator: " + ")
                diagnostics.append(Diagnostic(check: .estimateBlend, message: "payment '\(payment.id)': the estimate weights sum to \(total) (\(terms)), not 1",
                                              hint: "weights are fractions of the blended outcome, e.g. 0.8 and 0.2", at: payment.location))
            }
            for estimate in payment.estimates where estimate.weight.signum < 0 || estimate.weight > .one {
                diagnostics.append(Diagnostic(check: .estimateBlend, message: "payment '\(payment.id)': weight \(estimate.weight) of '\(estimate.kpi)' is outside 0 to 1",
                                              hint: "weights are fractions of the blended outcome, e.g. 0.8 and 0.2", at: estimate.location))
            }
            let directions = Set(payment.estimates.compactMap { contract.kpi($0.kpi)?.direction })
            if directions.count > 1 {
                diagnostics.append(Diagnostic(check: .estimateBlend, message: "payment '\(payment.id)' blends KPIs where lower is better with KPIs where higher is better",
                                              hint: "blend estimates of the same quantity, measured the same way", at: payment.location))
            }
        }
        return diagnostics
    }

    static let amountsNonNegative = Check(.amountNegative) { contract in
        var diagnostics: [Diagnostic] = []
        func check(_ value: ExactDecimal?, _ what: String, _ location: SourceLocation) {
            guard let value, value.signum < 0 else { return }
            diagnostics.append(Diagnostic(check: .amountNegative, message: "\(what) is \(value), which is negative",
                                          hint: "payments, prices, caps and limits are amounts of 0 or more", at: location))
        }
        for payment in contract.payments {
            let name = "payment '\(payment.id)'"
            check(payment.cap, "the cap of \(name)", payment.location)
            switch payment.rule {
            case .fixed(let amount): check(amount, "the amount of \(name)", payment.location)
            case .perUnit(let price, _): check(price, "the price per unit of \(name)", payment.location)
            case .perBeneficiary(let price, let cap):
                check(price, "the price per unit of \(name)", payment.location)
                check(cap, "the cap per beneficiary of \(name)", payment.location)
            case .band(_, _, let amount, let steps):
                check(amount, "the full amount of \(name)", payment.location)
                for step in steps { check(step.amount, "a step amount of \(name)", step.location) }
            case .proportional(_, let amount): check(amount, "the amount of \(name)", payment.location)
            case .tiers(_, let tiers): for tier in tiers { check(tier.amount, "a tier amount of \(name)", tier.location) }
            case .threshold(_, _, let amount): check(amount, "the amount of \(name)", payment.location)
            }
        }
        check(contract.rewardMaximum, "the projects' reward maximum", contract.location)
        if let limits = contract.paymentLimits {
            check(limits.maximum, "the payments' maximum", limits.location)
            check(limits.minimum, "the payments' minimum", limits.location)
            for limit in limits.yearLimits { check(limit.maximum, "the limit for \(limit.year)", limit.location) }
            for limit in limits.payerLimits { check(limit.maximum, "the limit for payer '\(limit.party)'", limit.location) }
        }
        return diagnostics
    }

    /// Whether `a` is strictly better than `b` for the payment's KPI (higher-is-better when unknown).
    static func better(_ a: ExactDecimal, than b: ExactDecimal, _ contract: Contract, _ payment: Payment) -> Bool {
        let direction = payment.measuredKPIs.first.flatMap { contract.kpi($0) }?.direction ?? .higherIsBetter
        return direction == .higherIsBetter ? a > b : a < b
    }

    static let bandMarks = Check(.bandMarks) { contract in
        contract.payments.compactMap { payment in
            guard case .band(let startAt, let fullAt, _, _) = payment.rule, !better(fullAt, than: startAt, contract, payment) else { return nil }
            return Diagnostic(check: .bandMarks, message: "payment '\(payment.id)': the full-payment mark \(fullAt) is not better than the start mark \(startAt)",
                              hint: "for a higher-is-better KPI full-at is above start-at; for a lower-is-better KPI, below", at: payment.location)
        }
    }

    static let stepTable = Check(.stepTable) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments {
            guard case .band(let startAt, let fullAt, let amount, let steps) = payment.rule else { continue }
            var previous: PaymentRule.Step?
            for step in steps {
                if better(startAt, than: step.at, contract, payment) || !better(fullAt, than: step.at, contract, payment) {
                    diagnostics.append(Diagnostic(check: .stepTable, message: "payment '\(payment.id)': the step at \(step.at) lies outside the band from \(startAt) to \(fullAt)",
                                                  hint: "steps sit from the start mark up to, not including, the full-payment mark", at: step.location))
                }
                if step.amount > amount {
                    diagnostics.append(Diagnostic(check: .stepTable, message: "payment '\(payment.id)': the step at \(step.at) pays \(step.amount), more than the full amount \(amount)",
                                                  hint: "no step pays more than reaching the full-payment mark", at: step.location))
                }
                if let previous {
                    if !better(step.at, than: previous.at, contract, payment) {
                        diagnostics.append(Diagnostic(check: .stepTable, message: "payment '\(payment.id)': the step at \(step.at) does not follow the step at \(previous.at) toward better outcomes",
                                                      hint: "list the steps from the worst outcome to the best", at: step.location))
                    } else if step.amount < previous.amount {
                        diagnostics.append(Diagnostic(check: .stepTable, message: "payment '\(payment.id)': the step at \(step.at) pays \(step.amount), less than the worse step at \(previous.at) (\(previous.amount))",
                                                      hint: "a better outcome never pays less: amounts must not fall from one step to the next", at: step.location))
                    }
                }
                previous = step
            }
        }
        return diagnostics
    }

    static let tiersOrder = Check(.tiersOrder) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments {
            guard case .tiers(_, let tiers) = payment.rule else { continue }
            for (previous, tier) in zip(tiers, tiers.dropFirst()) {
                if !better(tier.from, than: previous.from, contract, payment) {
                    diagnostics.append(Diagnostic(check: .tiersOrder, message: "payment '\(payment.id)': the tier from \(tier.from) does not follow the tier from \(previous.from) toward better achievement",
                                                  hint: "list the tiers from the lowest achievement to the highest", at: tier.location))
                } else if tier.amount < previous.amount {
                    diagnostics.append(Diagnostic(check: .tiersOrder, message: "payment '\(payment.id)': the tier from \(tier.from) pays \(tier.amount), less than the tier from \(previous.from) (\(previous.amount))",
                                                  hint: "a better outcome never pays less", at: tier.location))
                }
            }
        }
        return diagnostics
    }

    static let proportionalTarget = Check(.proportionalTarget) { contract in
        contract.payments.compactMap { payment in
            guard case .proportional(let target, _) = payment.rule, target.signum <= 0 else { return nil }
            return Diagnostic(check: .proportionalTarget, message: "payment '\(payment.id)': target \(target) is not positive",
                              hint: "the payment is amount × actual ÷ target, so the target must be above 0", at: payment.location)
        }
    }

    static let capBelowFixed = Check(.capBelowFixed) { contract in
        var diagnostics: [Diagnostic] = []
        var fixedTotal = ExactDecimal.zero
        for payment in contract.payments {
            guard case .fixed(let amount) = payment.rule else { continue }
            fixedTotal = (try? fixedTotal.adding(amount)) ?? fixedTotal
            if let cap = payment.cap, cap < amount {
                diagnostics.append(Diagnostic(check: .capBelowFixed, message: "payment '\(payment.id)' is a fixed \(amount) but capped at \(cap)",
                                              hint: "raise the cap, or lower the fixed amount", at: payment.location))
            }
        }
        if let limits = contract.paymentLimits, let maximum = limits.maximum, maximum < fixedTotal {
            diagnostics.append(Diagnostic(check: .capBelowFixed, message: "the payments' maximum \(maximum) is below the fixed payments' total \(fixedTotal)",
                                          hint: "the maximum must leave room for every fixed payment", at: limits.location))
        }
        return diagnostics
    }

    static let paymentLimits = Check(.paymentLimits) { contract in
        guard let limits = contract.paymentLimits, let minimum = limits.minimum, let maximum = limits.maximum, minimum > maximum else { return [] }
        return [Diagnostic(check: .paymentLimits, message: "the payments' minimum \(minimum) is above their maximum \(maximum)",
                           hint: "swap the two, or correct one of them", at: limits.location)]
    }

    static let sibWaterfall = Check(.sib) { contract in
        guard let sib = contract.sib else { return [] }
        var diagnostics: [Diagnostic] = []
        func require(_ id: String, _ roles: [PartyRole], _ what: String, _ location: SourceLocation) {
            guard let party = contract.party(id) else {
                diagnostics.append(Diagnostic(check: .sib, message: "the SIB's \(what) '\(id)' is not a declared party",
                                              hint: "declared parties: \(contract.parties.map(\.id).joined(separator: ", "))", at: location))
                return
            }
            if !roles.contains(party.role) {
                diagnostics.append(Diagnostic(check: .sib, message: "the SIB's \(what) '\(id)' has role \(party.role.rawValue)",
                                              hint: "give it role=\"\(roles[0].rawValue)\"", at: location))
            }
        }
        require(sib.intermediary, [.intermediary], "intermediary", sib.location)
        require(sib.residual, [.provider, .investor], "residual party", sib.location)
        if sib.feeRate.signum < 0 || sib.feeRate > .one {
            diagnostics.append(Diagnostic(check: .sib, message: "the SIB's fee rate \(sib.feeRate) is outside 0 to 1",
                                          hint: "write the fee as a fraction of each amount, e.g. 0.05 for 5%", at: sib.location))
        }
        for investor in sib.investors {
            require(investor.party, [.investor], "investor", investor.location)
            if investor.principal.signum < 0 || investor.maximumReturn.signum < 0 {
                diagnostics.append(Diagnostic(check: .sib, message: "investor '\(investor.party)' has a negative principal or return rate",
                                              hint: "principal and max-return are 0 or more (max-return 0.08 for 8%)", at: investor.location))
            }
        }
        if !contract.payments.contains(where: { $0.payees.contains { $0.party == sib.intermediary } }) {
            diagnostics.append(Diagnostic(check: .sib, message: "no payment is made to the SIB's intermediary '\(sib.intermediary)'",
                                          hint: "make the outcome payments payee=\"\(sib.intermediary)\" so that they flow through the waterfall", at: sib.location))
        }
        return diagnostics
    }

    static let perBeneficiary = Check(.perBeneficiary) { contract in
        var diagnostics: [Diagnostic] = []
        for kpi in contract.kpis {
            for actual in kpi.actual where !actual.beneficiaries.isEmpty {
                if let total = try? ExactDecimal.sum(actual.beneficiaries.map(\.value)), total != actual.value {
                    diagnostics.append(Diagnostic(check: .perBeneficiary,
                                                  message: "KPI '\(kpi.id)': the beneficiaries' values for \(actual.year) sum to \(total), not the actual value \(actual.value)",
                                                  hint: "the breakdown must add up to the actual value", at: actual.location))
                }
                var seen = Set<String>()
                for beneficiary in actual.beneficiaries where !seen.insert(beneficiary.id).inserted {
                    diagnostics.append(Diagnostic(check: .perBeneficiary, message: "KPI '\(kpi.id)': beneficiary '\(beneficiary.id)' appears twice in \(actual.year)",
                                                  hint: "list each beneficiary once", at: beneficiary.location))
                }
            }
        }
        for payment in contract.payments {
            guard case .perBeneficiary = payment.rule else { continue }
            guard let id = payment.kpi, let kpi = contract.kpi(id) else {
                diagnostics.append(Diagnostic(check: .perBeneficiary, message: "payment '\(payment.id)' is capped per beneficiary but does not measure one KPI",
                                              hint: "name the KPI with kpi=\"…\" (a blend of estimates has no beneficiaries)", at: payment.location))
                continue
            }
            if kpi.direction != .higherIsBetter {
                diagnostics.append(Diagnostic(check: .perBeneficiary, message: "payment '\(payment.id)' is capped per beneficiary but KPI '\(kpi.id)' is lower-is-better",
                                              hint: "measure the gain per beneficiary (e.g. days avoided), higher is better", at: payment.location))
            }
            if let actual = kpi.actual(in: payment.year), actual.beneficiaries.isEmpty {
                diagnostics.append(Diagnostic(check: .perBeneficiary, message: "payment '\(payment.id)' is capped per beneficiary but KPI '\(kpi.id)' has no breakdown for \(payment.year)",
                                              hint: "add <beneficiary id=\"…\" value=\"…\"/> elements to its <actual year=\"\(payment.year)\">", at: actual.location))
            }
        }
        return diagnostics
    }
}
