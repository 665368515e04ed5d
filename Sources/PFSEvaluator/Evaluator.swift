import PFSModel

/// Where a settlement's inputs came from; recorded in the statement unchanged.
public struct Provenance: Sendable, Hashable {
    /// The contract file's name.
    public let file: String
    /// SHA-256 of its bytes, lowercase hex.
    public let sha256: String
    /// SHA-256 of its canonical form, lowercase hex (see ``Settlement/ContractReference/digest``).
    public let digest: String
    /// The engine version.
    public let engineVersion: String
    /// The fingerprint of the authority of the register the settlement is recorded in, when
    /// it is (see ``Settlement/register``).
    public var registerAuthority: String?

    /// Creates a provenance record.
    public init(file: String, sha256: String, digest: String, engineVersion: String) {
        self.file = file
        self.sha256 = sha256
        self.digest = digest
        self.engineVersion = engineVersion
    }
}

/// A contract that cannot be settled for a reason found only while computing.
public enum EvaluationError: Error, Sendable, Equatable {
    /// An amount exceeded what can be represented exactly; nothing was rounded silently.
    case arithmetic(ArithmeticError, what: String, at: SourceLocation)
    /// Data the checks should have required is missing (settle-year checks not run).
    case missingData(String, at: SourceLocation)

    /// The error as a diagnostic.
    public var diagnostic: Diagnostic {
        switch self {
        case .arithmetic(let error, let what, let location):
            let reason: String
            switch error {
            case .overflow: reason = "is too large to represent exactly"
            case .precisionLoss: reason = "needs more decimal places than can be kept exactly"
            case .invalidDivisor: reason = "divides by zero or rounds to a step that is not positive"
            }
            return Diagnostic(
                check: .arithmeticOverflow, message: "\(what) \(reason)",
                hint: "check the magnitude and number of decimal places of the values involved", at: location)
        case .missingData(let what, let location):
            return Diagnostic(check: .settleYearData, message: what, at: location)
        }
    }
}

/// Settles a contract's term, year by year: pure and deterministic, no I/O.
///
/// Where each rule lives (Contracts/README.md, "Settlement rules", numbers them the same):
/// - the term as one pass, and what a year hands to the next: this file, `TermState.swift`;
/// - rules 1–2, improvement and its money value per KPI: `KPIOutcomes.swift`;
/// - rules 2–6, a project's attribution, net, negative-improvement policy (carry-forward,
///   claw-back), the one rounding and the split: `ProfitShare.swift`;
/// - rule 7, the reward maximum: `RewardMaximum.swift`;
/// - outcome payments: each of the ten rule kinds (fixed, per unit, per unit beyond a
///   threshold, savings share, rate card, per beneficiary, band, proportional, tiers,
///   threshold) in its own file of `Rules/` — its amount, step expression, curve marks,
///   envelope bounds, version, inputs and declared amounts, behind ``PaymentRuleKind``
///   (`Rules/PaymentRuleKind.swift` holds the one switch from a rule to its kind, and the
///   one cap function, ``AmountLimit``); the measures they read in `Measures.swift`; caps,
///   limits, payer and payee splits in `OutcomePayments.swift`; the curves a rule draws in
///   `PaymentCurves.swift`; the rule versions a statement names in `RuleVersions.swift`;
/// - the social impact bond's waterfall in `Waterfall.swift`, with classes of capital in
///   `ClassWaterfall.swift`;
/// - the numbered steps every amount names: `StepLog.swift`.
public enum Evaluator {
    /// Settles `year`. The contract must have passed ``ContractChecks`` for that year.
    public static func settle(
        _ contract: Contract, year: Int, provenance: Provenance
    ) throws(EvaluationError) -> Settlement {
        guard let settlement = try settleTerm(contract, years: [year], provenance: provenance).last else {
            throw .missingData("fiscal year \(year) is outside the term", at: contract.term.location)
        }
        return settlement
    }

    /// Settles the term in one pass over its years, from its first year to the last of
    /// `years`, carrying a ``TermState`` from each year to the next (the shortfall carried
    /// forward, the claw-back owed, the rewards and payments made, the SIB's balances); the
    /// settlements of `years` (each of which must pass the settle-year checks) are returned
    /// in order. A year not asked for still hands on what it changes: its projects that have
    /// data and, when every project has its data (the year could be settled), its rewards
    /// towards the maximum and its payments. A payment in a year that cannot be settled is
    /// never counted as made (the settle-year checks refuse later years while it is pending).
    /// Without `steps`, the settlements hold their figures and no steps: what a ledger needs
    /// (their ``Settlement/steps`` are empty; every figure is the same).
    public static func settleTerm(
        _ contract: Contract, years: [Int], provenance: Provenance, steps: Bool = true
    ) throws(EvaluationError) -> [Settlement] {
        let wanted = Set(years)
        guard let last = years.max(), last >= contract.term.first else { return [] }
        var state = try TermState(contract)
        var settlements: [Settlement] = []
        for year in contract.term.first...last {
            if let settlement = try settleYear(
                contract, year: year, provenance: wanted.contains(year) ? provenance : nil, steps: steps,
                state: &state)
            {
                settlements.append(settlement)
            }
        }
        return settlements
    }

    /// One year of the fold: with a provenance, the year's settlement (every project must
    /// have its data); without, only the state handed on, from the projects that have data.
    private static func settleYear(
        _ contract: Contract, year: Int, provenance: Provenance?, steps keepsSteps: Bool,
        state: inout TermState
    ) throws(EvaluationError) -> Settlement? {
        let keeps = provenance != nil
        var steps = StepLog(keepsSteps: keeps && keepsSteps)
        var kpiOutcomes: [Settlement.KPIOutcome] = []
        var fiscalImprovements: [String: (value: ExactDecimal, step: String)] = [:]
        // A year only carried through needs the credited KPIs' improvements alone.
        let credited = keeps ? nil : Set(contract.projects.flatMap { $0.credits.map(\.kpi) })
        let yearName = contract.names(of: year)
        for kpi in contract.kpis where credited?.contains(kpi.id) ?? true {
            let outcome = try evaluate(kpi, year: year, yearName: yearName, steps: &steps)
            kpiOutcomes.append(outcome)
            if let value = outcome.fiscalImprovement, let step = outcome.step {
                fiscalImprovements[kpi.id] = (value, step)
            }
        }

        var projects: [Settlement.ProjectSettlement] = []
        for project in contract.projects
        where keeps || project.credits.allSatisfy({ fiscalImprovements[$0.kpi] != nil }) {
            projects.append(
                try settle(
                    project, of: contract, year: year, fiscalImprovements: fiscalImprovements, state: &state,
                    steps: &steps))
        }
        var rewardCap: Settlement.RewardCap?
        // A year counts towards the term's maximums only when it has a statement, that is
        // when every project has its data: its rewards, and its payments.
        let settleable = projects.count == contract.projects.count
        if let maximum = contract.rewardMaximum, !projects.isEmpty, settleable {
            (projects, rewardCap) = try capRewards(
                projects, maximum: maximum, paidBefore: state.rewardsPaid, contract: contract, steps: &steps)
            let rewards = try checked("rewards paid", at: contract.location) { () throws(ArithmeticError) in
                try ExactDecimal.sum(projects.map(\.providerReward))
            }
            state.rewardsPaid = try checked("rewards paid", at: contract.location) { () throws(ArithmeticError) in
                try state.rewardsPaid.adding(rewards)
            }
        }

        guard settleable else { return nil }
        let (payments, paymentTotals, sib) = try settlePayments(of: contract, year: year, state: &state, steps: &steps)
        guard let provenance else { return nil }
        let targets = try checkTargets(of: contract, year: year, steps: &steps)
        let totals = try sumTotals(projects, parties: contract.parties, location: contract.location)
        return Settlement(
            engine: .init(name: "pfs", version: provenance.engineVersion),
            contract: .init(
                id: contract.id, title: contract.title, file: provenance.file, sha256: provenance.sha256,
                digest: provenance.digest),
            fiscalYear: .init(
                contract.fiscalYear(year),
                japanese: contract.amounts.currency == "JPY" && contract.fiscalYearStartMonth == 4,
                lastOfTerm: year == contract.term.last),
            amounts: .init(
                currency: contract.amounts.currency, scale: contract.amounts.scale, label: contract.amounts.label),
            rounding: contract.rounding, kpis: kpiOutcomes, projects: projects, totals: totals,
            payments: payments, paymentTotals: paymentTotals, sib: sib, rewardCap: rewardCap, steps: steps.steps,
            rules: RuleVersions.applied(to: contract, year: year), carriedForward: state.carriedForward(contract),
            targets: targets, register: provenance.registerAuthority.map { .init(authority: $0) },
            paymentYear: .init(
                fiscalYear: .init(
                    contract.fiscalYear(contract.paymentTiming.paymentYear(ofOutcome: year)),
                    japanese: contract.amounts.currency == "JPY" && contract.fiscalYearStartMonth == 4),
                timing: contract.paymentTiming),
            administration: contract.administration?.forYear(year))
    }

    private static func sumTotals(
        _ projects: [Settlement.ProjectSettlement], parties: [Party],
        location: SourceLocation
    ) throws(EvaluationError) -> Settlement.Totals {
        try checked("totals", at: location) { () throws(ArithmeticError) in
            var byParty: [Settlement.PartyTotal] = []
            for party in parties {
                let amounts = projects.flatMap(\.allocations).filter { $0.party.id == party.id }.map(\.amount)
                guard !amounts.isEmpty else { continue }
                byParty.append(.init(party: .init(party), amount: try ExactDecimal.sum(amounts)))
            }
            return Settlement.Totals(
                attributable: try ExactDecimal.sum(projects.map(\.attributable)),
                providerRewards: try ExactDecimal.sum(projects.map(\.providerReward)),
                publicShare: try ExactDecimal.sum(projects.map(\.publicShare)),
                byParty: byParty)
        }
    }

    /// `body`'s result, or its arithmetic error said of `what` at `location` (`what` is
    /// only written when there is an error: settling calls this thousands of times).
    static func checked<T>(
        _ what: @autoclosure () -> String, at location: SourceLocation,
        _ body: () throws(ArithmeticError) -> T
    ) throws(EvaluationError) -> T {
        do {
            return try body()
        } catch {
            throw .arithmetic(error, what: what(), at: location)
        }
    }
}
