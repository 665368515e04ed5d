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
            return Diagnostic(check: "arithmetic-overflow", message: "\(what) \(reason)",
                              hint: "check the magnitude and number of decimal places of the values involved", at: location)
        case .missingData(let what, let location):
            return Diagnostic(check: "settle-year-data", message: what, at: location)
        }
    }
}

/// Settles one fiscal year of a contract: pure and deterministic, no I/O.
///
/// Rules (Contracts/README.md, "Settlement rules"):
/// 1. improvement = expected − actual (lower is better) or actual − expected (higher is
///    better); fiscal improvement = improvement × value per unit unless the KPI is money;
/// 2. attributable from a KPI = fiscal improvement × the project's share, exact;
/// 3. a project's net attributable is the sum over its KPIs; when negative nothing is
///    paid (floor at zero); it is rounded once by the contract's rule;
/// 4. the rounded amount is split among the providers (their shares) and the payer
///    (the rest) by largest remainder in whole rounding increments, ties to the party
///    declared first.
public enum Evaluator {
    /// Settles `year`. The contract must have passed ``ContractChecks`` for that year.
    public static func settle(_ contract: Contract, year: Int, provenance: Provenance) throws(EvaluationError) -> Settlement {
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
    /// data, and its payments.
    public static func settleTerm(_ contract: Contract, years: [Int], provenance: Provenance) throws(EvaluationError) -> [Settlement] {
        let wanted = Set(years)
        guard let last = years.max(), last >= contract.term.first else { return [] }
        var state = try TermState(contract)
        var settlements: [Settlement] = []
        for year in contract.term.first...last {
            if let settlement = try settleYear(contract, year: year, provenance: wanted.contains(year) ? provenance : nil, state: &state) {
                settlements.append(settlement)
            }
        }
        return settlements
    }

    /// One year of the fold: with a provenance, the year's settlement (every project must
    /// have its data); without, only the state handed on, from the projects that have data.
    private static func settleYear(_ contract: Contract, year: Int, provenance: Provenance?,
                                   state: inout TermState) throws(EvaluationError) -> Settlement? {
        let keeps = provenance != nil
        var steps = StepLog(keepsSteps: keeps)
        var kpiOutcomes: [Settlement.KPIOutcome] = []
        var fiscalImprovements: [String: (value: ExactDecimal, step: String)] = [:]
        // A year only carried through needs the credited KPIs' improvements alone.
        let credited = keeps ? nil : Set(contract.projects.flatMap { $0.credits.map(\.kpi) })
        for kpi in contract.kpis where credited?.contains(kpi.id) ?? true {
            let outcome = try evaluate(kpi, year: year, steps: &steps)
            kpiOutcomes.append(outcome)
            if let value = outcome.fiscalImprovement, let step = outcome.step { fiscalImprovements[kpi.id] = (value, step) }
        }

        var projects: [Settlement.ProjectSettlement] = []
        for project in contract.projects where keeps || project.credits.allSatisfy({ fiscalImprovements[$0.kpi] != nil }) {
            projects.append(try settle(project, of: contract, year: year, fiscalImprovements: fiscalImprovements, state: &state, steps: &steps))
        }
        var rewardCap: Settlement.RewardCap?
        // The reward maximum counts a year's rewards only when every project has its data.
        if let maximum = contract.rewardMaximum, !projects.isEmpty, projects.count == contract.projects.count {
            (projects, rewardCap) = try capRewards(projects, maximum: maximum, paidBefore: state.rewardsPaid, contract: contract, steps: &steps)
            let rewards = try checked("rewards paid", at: contract.location) { () throws(ArithmeticError) in
                try ExactDecimal.sum(projects.map(\.providerReward))
            }
            state.rewardsPaid = try checked("rewards paid", at: contract.location) { () throws(ArithmeticError) in
                try state.rewardsPaid.adding(rewards)
            }
        }

        let (payments, paymentTotals, sib) = try settlePayments(of: contract, year: year, state: &state, steps: &steps)
        guard let provenance else { return nil }
        let totals = try sumTotals(projects, parties: contract.parties, location: contract.location)
        return Settlement(
            engine: .init(name: "pfs", version: provenance.engineVersion),
            contract: .init(id: contract.id, title: contract.title, file: provenance.file, sha256: provenance.sha256,
                            digest: provenance.digest),
            fiscalYear: .init(FiscalYear(year, startMonth: contract.fiscalYearStartMonth),
                              japanese: contract.amounts.currency == "JPY" && contract.fiscalYearStartMonth == 4,
                              lastOfTerm: year == contract.term.last),
            amounts: .init(currency: contract.amounts.currency, scale: contract.amounts.scale, label: contract.amounts.label),
            rounding: contract.rounding, kpis: kpiOutcomes, projects: projects, totals: totals,
            payments: payments, paymentTotals: paymentTotals, sib: sib, rewardCap: rewardCap, steps: steps.steps,
            rules: RuleVersions.applied(to: contract, year: year), carriedForward: state.carriedForward(contract))
    }

    private static func evaluate(_ kpi: KPI, year: Int, steps: inout StepLog) throws(EvaluationError) -> Settlement.KPIOutcome {
        let expected = kpi.expected(in: year)
        let actual = kpi.actual(in: year)
        var perUnit: ExactDecimal?
        if case .perUnit(let value) = kpi.valuation { perUnit = value.amount }
        var improvement: ExactDecimal?
        var fiscal: ExactDecimal?
        var stepID: String?
        let directionJA = kpi.direction == .lowerIsBetter ? "低いほど良い" : "高いほど良い"
        if let expected, let actual {
            var uses: [String] = []
            var reads = [Settlement.Reading(kpi: kpi.id, measure: .expected, year: expected.year),
                         Settlement.Reading(kpi: kpi.id, measure: .actual, year: actual.year)]
            if let projection = kpi.projection, !kpi.expected.contains(where: { $0.year == year }) {
                uses = [steps.record(("KPI '\(kpi.id)' expected FY\(year), derived from the baseline (\(projection.kindName))",
                                      "指標 '\(kpi.id)' のFY\(year)見込み（基準値からの推計：\(projection.kindName)）"),
                                     derivationFormula(expected.source ?? "", projection: projection, year: year, baseline: kpi.baseline), expected.value,
                                     reads: [.init(kpi: kpi.id, measure: .baseline, year: kpi.baseline.year)])]
                reads.removeFirst()
            }
            let values = try checked("KPI '\(kpi.id)' fiscal improvement", at: kpi.location) { () throws(ArithmeticError) in
                try improvementValues(kpi, expected: expected.value, actual: actual.value)
            }
            let difference = values.improvement
            let formula = kpi.direction == .lowerIsBetter
                ? ("expected − actual = \(expected.value) − \(actual.value) = \(difference)", "見込み − 実績 = \(expected.value) − \(actual.value) = \(difference)")
                : ("actual − expected = \(actual.value) − \(expected.value) = \(difference)", "実績 − 見込み = \(actual.value) − \(expected.value) = \(difference)")
            improvement = difference
            fiscal = values.fiscal
            if case .measuredOnly = kpi.valuation {
                stepID = steps.record(("KPI '\(kpi.id)' improvement (\(kpi.direction.rawValue)), \(kpi.unit); measured only, no money value",
                                       "指標 '\(kpi.id)' の改善量（\(directionJA)、\(kpi.unit)）。測定のみで金額換算なし"), formula, difference,
                                      uses: uses, reads: reads)
            } else if let perUnit, let value = values.fiscal {
                let improvementStep = steps.record(("KPI '\(kpi.id)' improvement (\(kpi.direction.rawValue)), \(kpi.unit)",
                                                    "指標 '\(kpi.id)' の改善量（\(directionJA)、\(kpi.unit)）"), formula, difference,
                                                   uses: uses, reads: reads)
                stepID = steps.record(("KPI '\(kpi.id)' fiscal improvement", "指標 '\(kpi.id)' の財政効果"), ("improvement (\(improvementStep)) × value per unit = \(difference) × \(perUnit) = \(value)",
                                       "改善量（\(improvementStep)）× 1単位あたりの価値 = \(difference) × \(perUnit) = \(value)"), value,
                                      uses: [improvementStep], reads: [.init(kpi: kpi.id, measure: .valuePerUnit, year: year)])
            } else {
                stepID = steps.record(("KPI '\(kpi.id)' fiscal improvement (\(kpi.direction.rawValue), money)",
                                       "指標 '\(kpi.id)' の財政効果（\(directionJA)、金額）"), formula, difference,
                                      uses: uses, reads: reads)
            }
        }
        return Settlement.KPIOutcome(
            id: kpi.id, name: kpi.name, unit: kpi.unit, direction: kpi.direction, valuePerUnit: perUnit,
            baseline: .init(kpi.baseline), expected: expected.map(Settlement.Figure.init), actual: actual.map(Settlement.Figure.init),
            status: improvement != nil ? .measured : (actual != nil ? .actualOnly : .notMeasured), improvement: improvement, fiscalImprovement: fiscal, step: stepID,
            valuePerUnitInput: unitValueFigure(kpi, year: year), notMeasured: yearsNotMeasured(kpi, through: year))
    }

    /// The value per unit as the figure a step reads: declared once, applied in `year`.
    static func unitValueFigure(_ kpi: KPI, year: Int) -> Settlement.Figure? {
        guard case .perUnit(let value) = kpi.valuation else { return nil }
        return Settlement.Figure(Observation(year: year, value: value.amount, source: value.source, location: value.location))
    }

    /// The years up to `year` declared not measured; nil when none.
    static func yearsNotMeasured(_ kpi: KPI, through year: Int) -> [Settlement.YearNotMeasured]? {
        let declared = kpi.notMeasured.filter { $0.year <= year }.sorted { $0.year < $1.year }
        return declared.isEmpty ? nil : declared.map(Settlement.YearNotMeasured.init)
    }

    /// Rules 1 and 2: the improvement (positive is better) and, unless the KPI is measured
    /// only, its money value.
    static func improvementValues(_ kpi: KPI, expected: ExactDecimal, actual: ExactDecimal) throws(ArithmeticError)
        -> (improvement: ExactDecimal, fiscal: ExactDecimal?) {
        let difference = kpi.direction == .lowerIsBetter ? try expected.subtracting(actual) : try actual.subtracting(expected)
        switch kpi.valuation {
        case .money: return (difference, difference)
        case .perUnit(let value): return (difference, try difference.multiplied(by: value.amount))
        case .measuredOnly: return (difference, nil)
        }
    }

    private static func settle(_ project: Project, of contract: Contract, year: Int,
                               fiscalImprovements: [String: (value: ExactDecimal, step: String)],
                               state: inout TermState, steps: inout StepLog) throws(EvaluationError) -> Settlement.ProjectSettlement {
        var attributions: [Settlement.Attribution] = []
        for credit in project.credits {
            guard let fiscal = fiscalImprovements[credit.kpi] else {
                throw .missingData("KPI '\(credit.kpi)' has no improvement for this year", at: credit.location)
            }
            let attributable = try checked("project '\(project.id)' share of KPI '\(credit.kpi)'", at: credit.location) { () throws(ArithmeticError) in
                try fiscal.value.multiplied(by: credit.share)
            }
            let step = steps.record(("project '\(project.id)' attributable from KPI '\(credit.kpi)'",
                                     "事業 '\(project.id)' の指標 '\(credit.kpi)' からの帰属額"),
                                    ("fiscal improvement (\(fiscal.step)) × share = \(fiscal.value) × \(credit.share) = \(attributable)",
                                     "財政効果（\(fiscal.step)）× 帰属割合 = \(fiscal.value) × \(credit.share) = \(attributable)"), attributable,
                                    uses: [fiscal.step])
            attributions.append(.init(kpi: credit.kpi, fiscalImprovement: fiscal.value, share: credit.share, attributable: attributable, step: step))
        }
        let net = try checked("project '\(project.id)' net attributable", at: project.location) { () throws(ArithmeticError) in
            try ExactDecimal.sum(attributions.map(\.attributable))
        }
        // The step whose result is the project's net: the sum, or the one attribution.
        var netStep = attributions.map(\.step)
        if attributions.count > 1 {
            let terms = attributions.map { "\($0.attributable)" }.joined(separator: " + ")
            netStep = [steps.record(("project '\(project.id)' net attributable", "事業 '\(project.id)' の帰属額の純額"), same("\(attributions.map(\.step).joined(separator: " + ")) = \(terms) = \(net)"), net,
                                   uses: attributions.map(\.step))]
        }
        let policy = contract.negativeImprovement
        let what = "project '\(project.id)'"
        // Carry-forward: earlier shortfalls are offset against this year's gain first.
        var base = net
        var carriedIn: ExactDecimal?
        if policy == .carryForward {
            let carried = state.carried[project.id] ?? .zero
            carriedIn = carried
            base = try checked(what, at: project.location) { () throws(ArithmeticError) in try net.adding(carried) }
            netStep = [steps.record(("project '\(project.id)' net after the shortfall carried forward",
                                     "事業 '\(project.id)' の繰越不足額を差し引いた純額"),
                                    ("net attributable \(net) + carried from earlier years \(carried) = \(base)",
                                     "帰属額の純額 \(net) + 前年度までの繰越 \(carried) = \(base)"), base, uses: netStep)]
        }
        let floored = base.signum < 0
        let rule = contract.rounding
        let attributable = try checked("project '\(project.id)' attributable", at: project.location) { () throws(ArithmeticError) in
            try rule.rounded(floored ? .zero : base)
        }
        let lastYear = year >= contract.term.last
        let negativeNote: (en: String, ja: String)
        switch policy {
        case .floor: negativeNote = ("floored at zero, nothing is paid this year", "ゼロとし、本年度の支払はありません")
        case .carryForward:
            negativeNote = !lastYear
                ? ("nothing is paid this year; \(base) is carried forward against later gains",
                   "本年度の支払はなく、\(base) を後年度の改善と相殺するため繰り越します")
                : ("nothing is paid this year; the term ends with this year, so \(base) is not carried anywhere",
                   "本年度の支払はなく、契約期間が本年度で終わるため \(base) は繰り越しません")
        case .clawBack:
            negativeNote = !lastYear
                ? ("nothing is paid this year; the providers' shares of it are clawed back from their later rewards",
                   "本年度の支払はなく、事業者の負担分は後年度の成果報酬から控除します")
                : ("nothing is paid this year; the term ends with this year, so the providers' shares of it stay owed with no later reward to claw them back from",
                   "本年度の支払はなく、契約期間が本年度で終わるため、事業者の負担分は控除する成果報酬がないまま残ります")
        }
        let roundingStep = floored
            ? steps.record(("project '\(project.id)' amount to split", "事業 '\(project.id)' の配分対象額"),
                           ("net attributable \(base) is negative: \(negativeNote.en)", "帰属額の純額 \(base) は負：\(negativeNote.ja)"), attributable,
                           uses: netStep)
            : steps.record(("project '\(project.id)' amount to split", "事業 '\(project.id)' の配分対象額"),
                           ("\(base) rounded \(rule.mode.rawValue) to a multiple of \(rule.increment) = \(attributable)",
                            "\(base) を \(rule.increment) 単位で\(rule.mode.nameJA) = \(attributable)"), attributable,
                           uses: netStep)

        let payer = contract.party(project.payer)
        guard let payer else { throw .missingData("payer '\(project.payer)' is not declared", at: project.payerLocation) }
        var recipients: [(party: Party, share: ExactDecimal)] = []
        for providerShare in project.providerShares {
            guard let party = contract.party(providerShare.party) else {
                throw .missingData("party '\(providerShare.party)' is not declared", at: providerShare.location)
            }
            recipients.append((party, providerShare.share))
        }
        let providersTotal = try checked("project '\(project.id)' provider shares", at: project.location) { () throws(ArithmeticError) in
            try ExactDecimal.sum(recipients.map(\.share))
        }
        let payerShare = try checked("project '\(project.id)' payer share", at: project.location) { () throws(ArithmeticError) in
            try ExactDecimal.one.subtracting(providersTotal)
        }
        recipients.append((payer, payerShare))
        // Largest-remainder ties go to the party declared first in <parties>.
        recipients.sort { (contract.partyOrder($0.party.id) ?? 0) < (contract.partyOrder($1.party.id) ?? 0) }

        let parts = try checked("project '\(project.id)' split", at: project.location) { () throws(ArithmeticError) in
            try LargestRemainder.allocate(attributable, shares: recipients.map(\.share), increment: rule.increment)
        }
        // Claw-back: what each provider owes from earlier shortfalls is deducted from its
        // reward and kept by the payer; a shortfall this year adds to what it owes.
        var clawbacks: [String: ExactDecimal] = [:]
        var owedAfter: [Settlement.PartyTotal]?
        if policy == .clawBack {
            var owed = state.owed[project.id] ?? [:]
            try checked(what, at: project.location) { () throws(ArithmeticError) in
                try applyClawback(net: base, amounts: parts.map(\.amount), recipients: recipients, payer: payer.id,
                                  rounding: rule, owed: &owed, deductions: &clawbacks)
            }
            state.owed[project.id] = owed
            owedAfter = recipients.filter { $0.party.id != payer.id }.map { .init(party: .init($0.party), amount: owed[$0.party.id] ?? .zero) }
        }
        var allocations: [Settlement.Allocation] = []
        for (recipient, part) in zip(recipients, parts) {
            let role = recipient.party.id == payer.id ? "kept by payer" : "provider reward"
            let roleJA = recipient.party.id == payer.id ? "支払者留保分" : "成果報酬"
            let remainderNote = part.receivedRemainder ? ", +1 leftover increment (largest remainder)" : ""
            let remainderNoteJA = part.receivedRemainder ? "、最大剰余法により端数の1単位を加算" : ""
            let clawback = clawbacks[recipient.party.id]
            let amount = try checked(what, at: project.location) { () throws(ArithmeticError) in try part.amount.adding(clawback ?? .zero) }
            let clawbackNote = clawback.map { $0.signum < 0 ? "; claw-back \($0) = \(amount)" : "; claw-back kept +\($0) = \(amount)" } ?? ""
            let clawbackNoteJA = clawback.map { $0.signum < 0 ? "；返還控除 \($0) = \(amount)" : "；返還分の留保 +\($0) = \(amount)" } ?? ""
            let step = steps.record(
                ("project '\(project.id)' \(role) '\(recipient.party.id)'", "事業 '\(project.id)' の\(roleJA) '\(recipient.party.id)'"),
                ("\(roundingStep) × \(recipient.share) = \(attributable) × \(recipient.share) = \(part.exact) → \(part.amount) (whole multiples of \(rule.increment)\(remainderNote))\(clawbackNote)",
                 "\(roundingStep) × \(recipient.share) = \(attributable) × \(recipient.share) = \(part.exact) → \(part.amount)（\(rule.increment) の整数倍\(remainderNoteJA)）\(clawbackNoteJA)"),
                amount, uses: [roundingStep])
            allocations.append(.init(party: .init(recipient.party), share: recipient.share, exact: part.exact, amount: amount,
                                     receivedRemainder: part.receivedRemainder, clawback: clawback, step: step))
        }
        if let owedAfter, owedAfter.contains(where: { $0.amount.signum != 0 }) {
            steps.record(("project '\(project.id)' claw-back still owed", "事業 '\(project.id)' の返還未済額"),
                         same(owedAfter.map { "\($0.party.id) \($0.amount)" }.joined(separator: ", ")), try checked(what, at: project.location) {
                             () throws(ArithmeticError) in try ExactDecimal.sum(owedAfter.map(\.amount)) }, uses: [roundingStep])
        }
        let carriedOut = policy == .carryForward ? (floored ? base : .zero) : nil
        if let carriedOut { state.carried[project.id] = carriedOut }
        return .init(id: project.id, name: project.name, payer: .init(payer), attributions: attributions, netAttributable: net,
                     flooredAtZero: floored, attributable: attributable, step: roundingStep, allocations: allocations,
                     negativeImprovement: policy, carriedIn: carriedIn, carriedOut: carriedOut,
                     clawbackOwed: owedAfter)
    }

    /// Cuts this year's provider rewards to what is left under the reward maximum, in
    /// proportion to the rewards (exact weighted largest remainder); each project's payer
    /// keeps what is cut from its providers.
    static func capRewards(_ projects: [Settlement.ProjectSettlement], maximum: ExactDecimal, paidBefore: ExactDecimal,
                           contract: Contract, steps: inout StepLog) throws(EvaluationError) -> ([Settlement.ProjectSettlement], Settlement.RewardCap) {
        try checked("the reward maximum", at: contract.location) { () throws(ArithmeticError) in
            let rewards = try ExactDecimal.sum(projects.map(\.providerReward))
            let rewardSteps = projects.flatMap { $0.allocations.filter { $0.party.role == .provider }.map(\.step) }
            let left = try maximum.subtracting(paidBefore)
            let allowed = left.signum > 0 ? left : .zero
            guard rewards > allowed else {
                let remaining = try allowed.subtracting(rewards)
                let step = steps.record(("profit-share rewards against the reward maximum", "成果報酬と上限額の照合"),
                                        ("paid before \(paidBefore) + this year \(rewards) ≤ maximum \(maximum); remaining \(remaining)",
                                         "前年度までの支払 \(paidBefore) + 本年度 \(rewards) ≤ 上限 \(maximum)；残り \(remaining)"), rewards,
                                        uses: rewardSteps)
                return (projects, .init(maximum: maximum, paidBefore: paidBefore, beforeCap: rewards, cut: .zero, remaining: remaining, step: step))
            }
            // Every provider allocation, across projects, shares what is allowed by its reward.
            var index: [(project: Int, allocation: Int)] = []
            var weights: [ExactDecimal] = []
            for (p, project) in projects.enumerated() {
                for (a, allocation) in project.allocations.enumerated() where allocation.party.role == .provider {
                    index.append((p, a))
                    weights.append(allocation.amount)
                }
            }
            let parts = try LargestRemainder.allocate(allowed, weights: weights, increment: contract.rounding.increment)
            var allocations = projects.map(\.allocations)
            var kept = Array(repeating: ExactDecimal.zero, count: projects.count)
            for (position, part) in zip(index, parts) {
                let old = allocations[position.project][position.allocation]
                let cut = try old.amount.subtracting(part)
                kept[position.project] = try kept[position.project].adding(cut)
                allocations[position.project][position.allocation] = .init(
                    party: old.party, share: old.share, exact: old.exact, amount: part, receivedRemainder: old.receivedRemainder,
                    clawback: old.clawback, rewardCapCut: cut.signum == 0 ? nil : cut.negated(), step: old.step)
            }
            var capped: [Settlement.ProjectSettlement] = []
            for (p, project) in projects.enumerated() {
                var list = allocations[p]
                if kept[p].signum > 0, let payer = list.firstIndex(where: { $0.party.id == project.payer.id }) {
                    let old = list[payer]
                    list[payer] = .init(party: old.party, share: old.share, exact: old.exact, amount: try old.amount.adding(kept[p]),
                                        receivedRemainder: old.receivedRemainder, clawback: old.clawback, rewardCapCut: kept[p], step: old.step)
                }
                capped.append(.init(id: project.id, name: project.name, payer: project.payer, attributions: project.attributions,
                                    netAttributable: project.netAttributable, flooredAtZero: project.flooredAtZero,
                                    attributable: project.attributable, step: project.step, allocations: list,
                                    negativeImprovement: project.negativeImprovement, carriedIn: project.carriedIn,
                                    carriedOut: project.carriedOut, clawbackOwed: project.clawbackOwed))
            }
            let paid = try ExactDecimal.sum(parts)
            let cut = try rewards.subtracting(paid)
            let remaining = try allowed.subtracting(paid)
            let step = steps.record(("profit-share rewards cut to the reward maximum", "成果報酬の上限額までの減額"),
                                    ("maximum \(maximum) − paid before \(paidBefore) = \(allowed) allowed; this year's rewards \(rewards) cut by \(cut) to \(paid), shared by reward; the payers keep the cut",
                                     "上限 \(maximum) − 前年度までの支払 \(paidBefore) = 許容額 \(allowed)；本年度の成果報酬 \(rewards) を \(cut) 減額して \(paid) とし、報酬額に応じて配分；減額分は支払者が留保"),
                                    paid, uses: rewardSteps)
            return (capped, .init(maximum: maximum, paidBefore: paidBefore, beforeCap: rewards, cut: cut, remaining: remaining, step: step))
        }
    }

    /// One year of claw-back: a negative net adds each provider's rounded share of it to what
    /// it owes; otherwise each provider's reward is reduced by what it owes (never below
    /// zero) and the payer keeps the deductions.
    static func applyClawback(net: ExactDecimal, amounts: [ExactDecimal], recipients: [(party: Party, share: ExactDecimal)], payer: String,
                              rounding: RoundingRule, owed: inout [String: ExactDecimal],
                              deductions: inout [String: ExactDecimal]) throws(ArithmeticError) {
        if net.signum < 0 {
            for recipient in recipients where recipient.party.id != payer {
                let share = try rounding.rounded(try net.negated().multiplied(by: recipient.share))
                owed[recipient.party.id] = try (owed[recipient.party.id] ?? .zero).adding(share)
            }
            return
        }
        var kept = ExactDecimal.zero
        for (recipient, amount) in zip(recipients, amounts) where recipient.party.id != payer {
            let due = owed[recipient.party.id] ?? .zero
            let deduction = due < amount ? due : amount
            guard deduction.signum > 0 else { continue }
            owed[recipient.party.id] = try due.subtracting(deduction)
            deductions[recipient.party.id] = deduction.negated()
            kept = try kept.adding(deduction)
        }
        if kept.signum > 0 { deductions[payer] = kept }
    }

    /// Applies every payment rule of the years up to `year`, in year order then declared
    /// order, so that the contract's maximum cuts the later payments and the statement can
    /// show what was paid before and what remains.
    private static func settlePayments(of contract: Contract, year: Int, state: inout TermState,
                                       steps: inout StepLog) throws(EvaluationError)
        -> ([Settlement.PaymentOutcome]?, Settlement.PaymentTotals?, Settlement.SIBFlows?) {
        guard !contract.payments.isEmpty else { return (nil, nil, nil) }
        // The state before this year's payments; each payment updates it in declared order.
        let waterfallBefore = state.waterfall
        let ordered = contract.payments.filter { $0.year == year }
        let maximum = contract.paymentLimits?.maximum
        let paidBefore = state.paid
        var paidThisYear = ExactDecimal.zero
        var outcomes: [Settlement.PaymentOutcome] = []
        for payment in ordered {
            var observation: Observation?
            var reads: [Settlement.Reading] = []
            var direction = Direction.higherIsBetter
            var kpiBaseline = ExactDecimal.zero
            if payment.rule.needsOutcome {
                let measured = try outcome(of: payment, in: contract)
                observation = measured.observation
                reads = measured.reads
                direction = measured.direction
                kpiBaseline = measured.baseline
            }
            let what = "payment '\(payment.id)'"
            let result = try checked(what, at: payment.location) { () throws(ArithmeticError) in
                try payment.rule.evaluate(outcome: observation?.value ?? .zero, direction: direction, kpiBaseline: kpiBaseline,
                                          rounding: contract.rounding, beneficiaries: observation?.beneficiaries.map(\.value) ?? [])
            }
            var amount = result.amount
            var notes: [(en: String, ja: String)] = []
            if let cap = payment.cap, amount > cap {
                amount = cap
                notes.append(("capped at the payment's cap \(cap)", "支払の上限 \(cap) で頭打ち"))
            }
            let paidSoFar = try checked(what, at: payment.location) { () throws(ArithmeticError) in try paidBefore.adding(paidThisYear) }
            if let limit = contract.paymentLimits?.yearLimits.first(where: { $0.year == payment.year }) {
                let used = state.paidInYear[payment.year] ?? .zero
                let remaining = try checked(what, at: payment.location) { () throws(ArithmeticError) in try limit.maximum.subtracting(used) }
                let allowed = remaining.signum > 0 ? remaining : .zero
                if amount > allowed {
                    amount = allowed
                    notes.append(("cut to the \(allowed) left of the FY\(payment.year) limit \(limit.maximum)",
                                  "FY\(payment.year)の上限 \(limit.maximum) の残り \(allowed) まで減額"))
                }
            }
            if let maximum {
                let remaining = try checked(what, at: payment.location) { () throws(ArithmeticError) in try maximum.subtracting(paidSoFar) }
                let allowed = remaining.signum > 0 ? remaining : .zero
                if amount > allowed {
                    amount = allowed
                    notes.append(("cut to the \(allowed) left of the contract's maximum \(maximum)", "契約上限 \(maximum) の残り \(allowed) まで減額"))
                }
            }
            // Each payer's part is cut to what is left of its own limit over the term.
            var payers = try split(amount, among: payment.payers, of: contract, payment: payment)
            for (index, part) in payers.enumerated() {
                let paidByPayer = state.paidBy[part.party.id] ?? .zero
                if let limit = contract.paymentLimits?.payerLimits.first(where: { $0.party == part.party.id }) {
                    let remaining = try checked(what, at: payment.location) { () throws(ArithmeticError) in try limit.maximum.subtracting(paidByPayer) }
                    let allowed = remaining.signum > 0 ? remaining : .zero
                    if part.amount > allowed {
                        payers[index] = .init(party: part.party, share: part.share, amount: allowed)
                        notes.append(("\(part.party.id)'s part cut to the \(allowed) left of its limit \(limit.maximum)",
                                      "\(part.party.id) の負担分をその上限 \(limit.maximum) の残り \(allowed) まで減額"))
                    }
                }
                state.paidBy[part.party.id] = try checked(what, at: payment.location) { () throws(ArithmeticError) in
                    try paidByPayer.adding(payers[index].amount)
                }
            }
            amount = try checked(what, at: payment.location) { () throws(ArithmeticError) in try ExactDecimal.sum(payers.map(\.amount)) }
            let cut = try checked(what, at: payment.location) { () throws(ArithmeticError) in try result.amount.subtracting(amount) }
            state.paidInYear[payment.year] = try checked(what, at: payment.location) { () throws(ArithmeticError) in
                try (state.paidInYear[payment.year] ?? .zero).adding(amount)
            }
            let payees = try split(amount, among: payment.payees, of: contract, payment: payment)
            if let intermediary = contract.sib?.intermediary {
                for part in payees where part.party.id == intermediary {
                    try checked("the SIB waterfall", at: payment.location) { () throws(ArithmeticError) in try state.waterfall?.receive(part.amount) }
                }
            }
            do {
                let sides = [payers, payees].map { side in side.map { "\($0.party.id) \($0.amount)" }.joined(separator: " + ") }.joined(separator: " → ")
                let split = payers.count > 1 || payees.count > 1
                paidThisYear = try checked(what, at: payment.location) { () throws(ArithmeticError) in try paidThisYear.adding(amount) }
                let capNote = notes.isEmpty ? "" : "; " + notes.map(\.en).joined(separator: "; ") + " = \(amount)"
                let capNoteJA = notes.isEmpty ? "" : "；" + notes.map(\.ja).joined(separator: "；") + " = \(amount)"
                let parties = payers.map(\.party.id).joined(separator: ", ") + "' to '" + payees.map(\.party.id).joined(separator: ", ")
                let partiesJA = payers.map(\.party.id).joined(separator: ", ") + "' から '" + payees.map(\.party.id).joined(separator: ", ") + "' へ"
                let step = steps.record(("payment '\(payment.id)' (\(payment.rule.kind)) from '\(parties)'",
                                         "支払 '\(payment.id)'（\(payment.rule.kindJA)）'\(partiesJA)"),
                                        (result.formula + capNote + (split ? "; split " + sides : ""),
                                         result.formulaJA + capNoteJA + (split ? "；配分 " + sides : "")), amount, reads: reads)
                outcomes.append(.init(id: payment.id, name: payment.name, rule: payment.rule.kind, payers: payers, payees: payees,
                                      kpi: payment.measureDescription, outcome: observation.map(Settlement.Figure.init), byRule: result.amount,
                                      cap: payment.cap, cutByCaps: cut, amount: amount, step: step))
            }
        }
        let location = contract.paymentLimits?.location ?? contract.location
        let paidToDate = try checked("payments to date", at: location) { () throws(ArithmeticError) in try paidBefore.adding(paidThisYear) }
        let remaining = try maximum.map { (maximum) throws(EvaluationError) in
            try checked("payments remaining", at: location) { () throws(ArithmeticError) in try maximum.subtracting(paidToDate) }
        }
        let paymentSteps = outcomes.map(\.step)
        steps.record(("payments to date", "支払の累計"),
                     ("paid before FY\(year) \(paidBefore) + this year \(paidThisYear) = \(paidToDate)"
                        + (remaining.map { "; remaining under the maximum \(maximum ?? .zero): \($0)" } ?? ""),
                      "FY\(year)より前の支払 \(paidBefore) + 本年度 \(paidThisYear) = \(paidToDate)"
                        + (remaining.map { "；上限 \(maximum ?? .zero) までの残り \($0)" } ?? "")), paidToDate, uses: paymentSteps)
        state.paid = paidToDate
        let flows = try state.waterfall.map { (after) throws(EvaluationError) in
            try sibFlows(after: after, before: waterfallBefore ?? after, contract: contract, year: year, payments: paymentSteps, steps: &steps)
        }
        return (outcomes, .init(paidBefore: paidBefore, paidThisYear: paidThisYear, paidToDate: paidToDate, maximum: maximum,
                                minimum: contract.paymentLimits?.minimum, remaining: remaining), flows)
    }

    /// The waterfall's flows for the year: the state after the year's payments less the
    /// state before them.
    private static func sibFlows(after: Waterfall, before: Waterfall, contract: Contract, year: Int, payments: [String],
                                 steps: inout StepLog) throws(EvaluationError) -> Settlement.SIBFlows {
        let sib = after.sib
        guard let intermediary = contract.party(sib.intermediary), let residual = contract.party(sib.residual) else {
            throw .missingData("the SIB names a party that is not declared", at: sib.location)
        }
        return try checked("the SIB waterfall", at: sib.location) { () throws(ArithmeticError) in
            var investors: [Settlement.InvestorFlow] = []
            for (index, investor) in sib.investors.enumerated() {
                guard let party = contract.party(investor.party) else { continue }
                investors.append(.init(party: .init(party), principal: investor.principal, maximumReturn: after.maximumReturns[index],
                                       principalThisYear: try after.principalPaid[index].subtracting(before.principalPaid[index]),
                                       principalToDate: after.principalPaid[index],
                                       returnThisYear: try after.returnPaid[index].subtracting(before.returnPaid[index]),
                                       returnToDate: after.returnPaid[index]))
            }
            let received = try after.received.subtracting(before.received)
            let fee = try after.feePaid.subtracting(before.feePaid)
            let rest = try after.residualPaid.subtracting(before.residualPaid)
            let flows = investors.map { "\($0.party.id) principal \($0.principalThisYear), return \($0.returnThisYear)" }.joined(separator: "; ")
            let flowsJA = investors.map { "\($0.party.id) 元本 \($0.principalThisYear)、配当 \($0.returnThisYear)" }.joined(separator: "；")
            let step = steps.record(("SIB waterfall through '\(intermediary.id)' for FY\(year)", "'\(intermediary.id)' を通じたSIBの配分（FY\(year)）"),
                                    ("received \(received): fee \(fee) (\(sib.feeRate) of each amount); \(flows); to '\(residual.id)' \(rest)",
                                     "受領額 \(received)：手数料 \(fee)（各受領額の \(sib.feeRate)）；\(flowsJA)；'\(residual.id)' へ \(rest)"), received,
                                    uses: payments)
            return .init(intermediary: .init(intermediary), receivedThisYear: received, receivedToDate: after.received,
                         feeThisYear: fee, feeToDate: after.feePaid, investors: investors, residual: .init(residual),
                         residualThisYear: rest, residualToDate: after.residualPaid, step: step)
        }
    }

    /// Splits a payment among its payers or payees by their shares (largest remainder in
    /// whole rounding increments, ties to the party declared first in `<parties>`).
    private static func split(_ amount: ExactDecimal, among shares: [PartyShare], of contract: Contract,
                              payment: Payment) throws(EvaluationError) -> [Settlement.PartyAmount] {
        var parties: [(Party, ExactDecimal)] = []
        for share in shares {
            guard let party = contract.party(share.party) else {
                throw .missingData("payment '\(payment.id)' names party '\(share.party)', which is not declared", at: share.location)
            }
            parties.append((party, share.share))
        }
        parties.sort { (contract.partyOrder($0.0.id) ?? 0) < (contract.partyOrder($1.0.id) ?? 0) }
        guard !parties.isEmpty else { throw .missingData("payment '\(payment.id)' names no payer or payee", at: payment.location) }
        // A payment cut by a cap may not be a whole number of increments: split the whole
        // increments, then give the rest to the first party (it is below one increment).
        let increment = contract.rounding.increment
        let parts = try checked("payment '\(payment.id)' split", at: payment.location) { () throws(ArithmeticError) in
            let (count, rest) = try amount.truncatingQuotient(dividingBy: increment)
            var parts = try LargestRemainder.allocate(try ExactDecimal.multiple(count, of: increment), shares: parties.map(\.1),
                                                      increment: increment).map(\.amount)
            parts[0] = try parts[0].adding(rest)
            return parts
        }
        return zip(parties, parts).map { .init(party: .init($0.0.0), share: $0.0.1, amount: $0.1) }
    }

    /// The outcome a payment measures: one KPI's actual value for the payment's year, or the
    /// weighted blend of several (its source then shows the blend with the values put in).
    private static func outcome(of payment: Payment, in contract: Contract) throws(EvaluationError)
        -> (observation: Observation, reads: [Settlement.Reading], direction: Direction, baseline: ExactDecimal) {
        var parts: [(weight: ExactDecimal, kpi: KPI, actual: Observation)] = []
        let weighted = payment.kpi.map { [($0, ExactDecimal.one)] } ?? payment.estimates.map { ($0.kpi, $0.weight) }
        for (kpiID, weight) in weighted {
            guard let kpi = contract.kpi(kpiID), let actual = kpi.actual(in: payment.year) else {
                throw .missingData("payment '\(payment.id)' has no measured outcome for FY\(payment.year)", at: payment.location)
            }
            parts.append((weight, kpi, actual))
        }
        guard let first = parts.first else {
            throw .missingData("payment '\(payment.id)' names no KPI to measure", at: payment.location)
        }
        let reads = parts.map { Settlement.Reading(kpi: $0.kpi.id, measure: .actual, year: $0.actual.year) }
        if payment.kpi != nil { return (first.actual, reads, first.kpi.direction, first.kpi.baseline.value) }
        let what = "payment '\(payment.id)' blended outcome"
        let value = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try ExactDecimal.sum(try parts.map { (part) throws(ArithmeticError) in try part.actual.value.multiplied(by: part.weight) })
        }
        let baseline = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try ExactDecimal.sum(try parts.map { (part) throws(ArithmeticError) in try part.kpi.baseline.value.multiplied(by: part.weight) })
        }
        let formula = parts.map { "\($0.weight) × \($0.kpi.id) \($0.actual.value)" }.joined(separator: " + ")
        return (Observation(year: payment.year, value: value, source: "weighted estimate: \(formula) = \(value)", location: payment.location),
                reads, first.kpi.direction, baseline)
    }

    private static func sumTotals(_ projects: [Settlement.ProjectSettlement], parties: [Party],
                                  location: SourceLocation) throws(EvaluationError) -> Settlement.Totals {
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

    static func checked<T>(_ what: String, at location: SourceLocation,
                                   _ body: () throws(ArithmeticError) -> T) throws(EvaluationError) -> T {
        do {
            return try body()
        } catch {
            throw .arithmetic(error, what: what, at: location)
        }
    }
}

/// Numbers the calculation's steps in order.
struct StepLog {
    private(set) var steps: [Settlement.Step] = []
    private var count = 0
    /// A log for a year the fold only carries through counts its steps: their texts,
    /// which are most of the evaluator's work, are never made.
    private let keepsSteps: Bool

    init(keepsSteps: Bool = true) { self.keepsSteps = keepsSteps }

    @discardableResult
    mutating func record(_ description: @autoclosure () -> (en: String, ja: String), _ formula: @autoclosure () -> (en: String, ja: String),
                         _ result: ExactDecimal, uses: @autoclosure () -> [String] = [],
                         reads: @autoclosure () -> [Settlement.Reading] = []) -> String {
        count += 1
        let id = "S\(count)"
        guard keepsSteps else { return id }
        let text = description()
        let formulas = formula()
        steps.append(.init(id: id, description: text.en, descriptionJA: text.ja, formula: formulas.en, formulaJA: formulas.ja, result: result,
                           uses: uses(), reads: reads()))
        return id
    }
}

/// A formula that reads the same in both languages (only ids, numbers and operators).
func same(_ formula: String) -> (en: String, ja: String) { (formula, formula) }

/// A projection's derivation in both languages: `derived (source): formula` as the
/// expected value's source says it, and the same in Japanese.
func derivationFormula(_ text: String, projection: Projection, year: Int, baseline: Observation) -> (en: String, ja: String) {
    guard let formulas = try? projection.valueWithFormulas(in: year, from: baseline) else { return (text, text) }
    let source = projection.source.map { "（\($0)）" } ?? ""
    return (text, "基準値からの推計\(source)：\(formulas.formulaJA)")
}
