/// The result of settling one fiscal year of a contract: every figure a statement shows,
/// each amount naming the audit step that produced it. Renderers format this value; the
/// JSON statement is this value encoded (format ``Settlement/formatName``).
public struct Settlement: Sendable, Hashable, Codable {
    /// The JSON statement format and its version.
    public static let formatName = "pfs-settlement/1"

    /// Always ``formatName``.
    public let format: String
    /// The engine that computed it.
    public let engine: Engine
    /// The contract it was computed from.
    public let contract: ContractReference
    /// The fiscal year settled.
    public let fiscalYear: FiscalYearInfo
    /// Currency and written unit of every amount.
    public let amounts: AmountUnitInfo
    /// The rounding applied.
    public let rounding: RoundingRule
    /// Every KPI of the contract, measured in this year or not.
    public let kpis: [KPIOutcome]
    /// Every project's attributable improvement and its split.
    public let projects: [ProjectSettlement]
    /// Sums over projects and parties (profit share).
    public let totals: Totals
    /// Outcome payments by rule for the year; absent when the contract declares none.
    public let payments: [PaymentOutcome]?
    /// Outcome payments so far over the term; absent when the contract declares none.
    public let paymentTotals: PaymentTotals?
    /// The social-impact-bond waterfall; absent when the contract declares none.
    public let sib: SIBFlows?
    /// The cap on the providers' profit-share rewards over the term; absent when none.
    public let rewardCap: RewardCap?
    /// The calculation in order, so it can be redone by hand.
    public let steps: [Step]
    /// The calculation rules applied and their versions, so that a later engine can tell
    /// whether a difference comes from a changed rule.
    public let rules: [RuleVersion]
    /// What this year hands to the next (the term's state after it); nil when the contract
    /// carries nothing from year to year.
    public let carriedForward: CarriedForward?

    /// Creates a settlement.
    public init(
        engine: Engine, contract: ContractReference, fiscalYear: FiscalYearInfo, amounts: AmountUnitInfo,
        rounding: RoundingRule, kpis: [KPIOutcome], projects: [ProjectSettlement], totals: Totals,
        payments: [PaymentOutcome]? = nil, paymentTotals: PaymentTotals? = nil, sib: SIBFlows? = nil,
        rewardCap: RewardCap? = nil, steps: [Step], rules: [RuleVersion] = [], carriedForward: CarriedForward? = nil
    ) {
        self.format = Self.formatName
        self.engine = engine
        self.contract = contract
        self.fiscalYear = fiscalYear
        self.amounts = amounts
        self.rounding = rounding
        self.kpis = kpis
        self.projects = projects
        self.totals = totals
        self.payments = payments
        self.paymentTotals = paymentTotals
        self.sib = sib
        self.rewardCap = rewardCap
        self.steps = steps
        self.rules = rules
        self.carriedForward = carriedForward
    }

    /// What a settled year hands to the next: the shortfalls carried forward, the
    /// claw-backs still owed, the rewards and payments made so far. Each member is present
    /// only where a rule of the contract carries it.
    public struct CarriedForward: Sendable, Hashable, Codable {
        /// Per project, the shortfall carried into the next year (0 or negative): carry-forward.
        public let shortfalls: [ProjectAmount]?
        /// Per project and provider, what is still owed: claw-back.
        public let clawbacksOwed: [ProjectAmount]?
        /// The providers' profit-share rewards paid to date: the reward maximum counts them.
        public let rewardsPaid: ExactDecimal?
        /// Outcome payments made to date.
        public let paymentsPaid: ExactDecimal?
        /// Outcome payments made to date by each payer: payer limits count them.
        public let paidByPayer: [PartyTotal]?

        /// Creates the record.
        public init(
            shortfalls: [ProjectAmount]?, clawbacksOwed: [ProjectAmount]?, rewardsPaid: ExactDecimal?,
            paymentsPaid: ExactDecimal?, paidByPayer: [PartyTotal]?
        ) {
            self.shortfalls = shortfalls
            self.clawbacksOwed = clawbacksOwed
            self.rewardsPaid = rewardsPaid
            self.paymentsPaid = paymentsPaid
            self.paidByPayer = paidByPayer
        }
    }

    /// An amount of one project (for one party, where it is a party's).
    public struct ProjectAmount: Sendable, Hashable, Codable {
        /// The project.
        public let project: String
        /// The party, when the amount is one party's.
        public let party: String?
        /// The amount.
        public let amount: ExactDecimal
        /// Creates one.
        public init(project: String, party: String? = nil, amount: ExactDecimal) {
            self.project = project
            self.party = party
            self.amount = amount
        }
    }

    /// The engine's name and version.
    public struct Engine: Sendable, Hashable, Codable {
        /// "pfs".
        public let name: String
        /// Semantic version of the engine.
        public let version: String
        /// Creates an engine record.
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    /// Which contract, exactly.
    public struct ContractReference: Sendable, Hashable, Codable {
        /// The contract id.
        public let id: String
        /// Its title.
        public let title: LocalizedText
        /// The file name it was read from.
        public let file: String
        /// SHA-256 of the file's bytes, lowercase hex.
        public let sha256: String
        /// SHA-256 of the contract's canonical form (Canonical XML 1.0 without comments or
        /// whitespace-only text), lowercase hex: unchanged by re-indenting or reordering
        /// attributes, changed by any change to the contract's content.
        public let digest: String
        /// Creates a reference.
        public init(id: String, title: LocalizedText, file: String, sha256: String, digest: String) {
            self.id = id
            self.title = title
            self.file = file
            self.sha256 = sha256
            self.digest = digest
        }
    }

    /// The fiscal year, named both ways, with its dates.
    public struct FiscalYearInfo: Sendable, Hashable, Codable {
        /// Calendar year it starts in.
        public let year: Int
        /// `FY2024`.
        public let label: String
        /// `令和6年度`, for a Japanese fiscal year (yen, April to March) in an era pfs knows.
        public let labelJA: String?
        /// First day, ISO 8601.
        public let firstDay: String
        /// Last day, ISO 8601.
        public let lastDay: String
        /// True when this is the term's last year (nothing is carried into a later one);
        /// nil otherwise.
        public let lastOfTerm: Bool?
        /// Creates the record from a fiscal year; `japanese` when it is a Japanese fiscal
        /// year (年度), which alone is named by era: a dollar contract's FY2020 is not 令和2年度.
        public init(_ fiscalYear: FiscalYear, japanese: Bool, lastOfTerm: Bool = false) {
            self.lastOfTerm = lastOfTerm ? true : nil
            year = fiscalYear.year
            label = fiscalYear.label
            labelJA = japanese ? fiscalYear.japaneseLabel : nil
            firstDay = fiscalYear.firstDay
            lastDay = fiscalYear.lastDay
        }
    }

    /// The unit every amount in the settlement is written in.
    public struct AmountUnitInfo: Sendable, Hashable, Codable {
        /// ISO 4217 code.
        public let currency: String
        /// Currency units per written unit (1000 for 千円).
        public let scale: ExactDecimal
        /// The unit's name.
        public let label: LocalizedText
        /// Creates the record.
        public init(currency: String, scale: ExactDecimal, label: LocalizedText) {
            self.currency = currency
            self.scale = scale
            self.label = label
        }
    }

    /// A value as declared, with its year and source.
    public struct Figure: Sendable, Hashable, Codable {
        /// Fiscal year.
        public let year: Int
        /// The value in the KPI's unit.
        public let value: ExactDecimal
        /// Where it came from, as the contract says.
        public let source: String?
        /// Line in the contract file.
        public let line: Int
        /// The element it was read from, e.g. `/contract/kpis/kpi[@id='item-c']/actual[@year='2024']`.
        public let element: String?
        /// Creates a figure from an observation.
        public init(_ observation: Observation) {
            year = observation.year
            value = observation.value
            source = observation.source
            line = observation.location.line
            element = observation.location.element
        }
    }

    /// Whether a KPI could be evaluated for the year.
    public enum KPIStatus: String, Sendable, Hashable, Codable {
        /// Both expected and actual values exist: the improvement is computed.
        case measured
        /// An actual value without a counterfactual (a KPI measured for a payment rule).
        case actualOnly = "actual-only"
        /// No actual value for the year.
        case notMeasured = "not-measured"
    }

    /// One KPI's figures for the year.
    public struct KPIOutcome: Sendable, Hashable, Codable {
        /// KPI id.
        public let id: String
        /// Its name.
        public let name: LocalizedText
        /// Unit of its values.
        public let unit: String
        /// Which way is better.
        public let direction: Direction
        /// Amount one unit of improvement is worth; nil when the KPI is money already.
        public let valuePerUnit: ExactDecimal?
        /// Reference value.
        public let baseline: Figure
        /// Counterfactual (見込み) for the year.
        public let expected: Figure?
        /// Measured (実績) for the year.
        public let actual: Figure?
        /// Whether it was measured.
        public let status: KPIStatus
        /// Improvement in the KPI's unit (sign: positive is better).
        public let improvement: ExactDecimal?
        /// Improvement as an amount in the written unit.
        public let fiscalImprovement: ExactDecimal?
        /// The step that computed ``fiscalImprovement``.
        public let step: String?
        /// Where ``valuePerUnit`` was declared, with its source (the year is the one settled).
        public let valuePerUnitInput: Figure?
        /// The years of the term up to this one that the contract declares not measured, with
        /// the reason; nil when none.
        public let notMeasured: [YearNotMeasured]?
        /// Creates an outcome.
        public init(
            id: String, name: LocalizedText, unit: String, direction: Direction, valuePerUnit: ExactDecimal?,
            baseline: Figure, expected: Figure?, actual: Figure?, status: KPIStatus,
            improvement: ExactDecimal?, fiscalImprovement: ExactDecimal?, step: String?,
            valuePerUnitInput: Figure? = nil, notMeasured: [YearNotMeasured]? = nil
        ) {
            self.id = id
            self.name = name
            self.unit = unit
            self.direction = direction
            self.valuePerUnit = valuePerUnit
            self.baseline = baseline
            self.expected = expected
            self.actual = actual
            self.status = status
            self.improvement = improvement
            self.fiscalImprovement = fiscalImprovement
            self.step = step
            self.valuePerUnitInput = valuePerUnitInput
            self.notMeasured = notMeasured
        }
    }

    /// A year a KPI was declared not measured (`<not-measured>`).
    public struct YearNotMeasured: Sendable, Hashable, Codable {
        /// The fiscal year.
        public let year: Int
        /// Why, as the contract says.
        public let reason: String
        /// Line in the contract file.
        public let line: Int
        /// Creates the record from the declaration.
        public init(_ declaration: NotMeasured) {
            year = declaration.year
            reason = declaration.reason
            line = declaration.location.line
        }
    }

    /// A party as named in the settlement.
    public struct PartyReference: Sendable, Hashable, Codable {
        /// Party id.
        public let id: String
        /// Role.
        public let role: PartyRole
        /// Name.
        public let name: LocalizedText
        /// Creates a reference from a party.
        public init(_ party: Party) {
            id = party.id
            role = party.role
            name = party.name
        }
    }

    /// The part of one KPI's improvement credited to a project.
    public struct Attribution: Sendable, Hashable, Codable {
        /// KPI id.
        public let kpi: String
        /// The KPI's fiscal improvement.
        public let fiscalImprovement: ExactDecimal
        /// The project's share of it.
        public let share: ExactDecimal
        /// fiscalImprovement × share, exact.
        public let attributable: ExactDecimal
        /// The step that computed it.
        public let step: String
        /// Creates an attribution.
        public init(
            kpi: String, fiscalImprovement: ExactDecimal, share: ExactDecimal, attributable: ExactDecimal, step: String
        ) {
            self.kpi = kpi
            self.fiscalImprovement = fiscalImprovement
            self.share = share
            self.attributable = attributable
            self.step = step
        }
    }

    /// One party's part of a project's attributable improvement.
    public struct Allocation: Sendable, Hashable, Codable {
        /// Who receives (a provider) or keeps (the payer) it.
        public let party: PartyReference
        /// Its share of the attributable amount.
        public let share: ExactDecimal
        /// attributable × share before rounding.
        public let exact: ExactDecimal
        /// The amount, a multiple of the rounding increment.
        public package(set) var amount: ExactDecimal
        /// Whether the largest-remainder step gave it one of the leftover increments.
        public let receivedRemainder: Bool
        /// Claw-back: deducted from a provider's reward (negative), or kept by the payer
        /// because of it (positive); already included in ``amount``.
        public let clawback: ExactDecimal?
        /// Reward cap: cut from a provider's reward (negative), or kept by the payer
        /// because of it (positive); already included in ``amount``.
        public package(set) var rewardCapCut: ExactDecimal?
        /// The step that computed it.
        public package(set) var step: String
        /// Creates an allocation.
        public init(
            party: PartyReference, share: ExactDecimal, exact: ExactDecimal, amount: ExactDecimal,
            receivedRemainder: Bool,
            clawback: ExactDecimal? = nil, rewardCapCut: ExactDecimal? = nil, step: String
        ) {
            self.party = party
            self.share = share
            self.exact = exact
            self.amount = amount
            self.receivedRemainder = receivedRemainder
            self.clawback = clawback
            self.rewardCapCut = rewardCapCut
            self.step = step
        }
    }

    /// A project's settlement for the year.
    public struct ProjectSettlement: Sendable, Hashable, Codable {
        /// Project id.
        public let id: String
        /// Its name.
        public let name: LocalizedText
        /// The public-sector party that pays and keeps the rest.
        public let payer: PartyReference
        /// Its share of each credited KPI.
        public let attributions: [Attribution]
        /// Sum of the attributions, exact.
        public let netAttributable: ExactDecimal
        /// True when the net was negative and nothing is paid (floor at zero).
        public let flooredAtZero: Bool
        /// The amount split: the net (floored at zero) rounded once by the contract's rule.
        public let attributable: ExactDecimal
        /// The step that computed ``attributable``.
        public let step: String
        /// Providers' rewards and the payer's share, in declared party order.
        public package(set) var allocations: [Allocation]
        /// The contract's negative-improvement policy.
        public let negativeImprovement: NegativeImprovementPolicy
        /// Carry-forward: the shortfall brought from earlier years (0 or negative).
        public let carriedIn: ExactDecimal?
        /// Carry-forward: the shortfall taken to the next year (0 or negative).
        public let carriedOut: ExactDecimal?
        /// Claw-back: what each provider still owes after this year.
        public let clawbackOwed: [PartyTotal]?
        /// Creates a project settlement.
        public init(
            id: String, name: LocalizedText, payer: PartyReference, attributions: [Attribution],
            netAttributable: ExactDecimal,
            flooredAtZero: Bool, attributable: ExactDecimal, step: String, allocations: [Allocation],
            negativeImprovement: NegativeImprovementPolicy = .floor, carriedIn: ExactDecimal? = nil,
            carriedOut: ExactDecimal? = nil, clawbackOwed: [PartyTotal]? = nil
        ) {
            self.id = id
            self.name = name
            self.payer = payer
            self.attributions = attributions
            self.netAttributable = netAttributable
            self.flooredAtZero = flooredAtZero
            self.attributable = attributable
            self.step = step
            self.allocations = allocations
            self.negativeImprovement = negativeImprovement
            self.carriedIn = carriedIn
            self.carriedOut = carriedOut
            self.clawbackOwed = clawbackOwed
        }

        /// What the providers receive.
        public var providerReward: ExactDecimal {
            (try? ExactDecimal.sum(allocations.filter { $0.party.role == .provider }.map(\.amount))) ?? .zero
        }

        /// What the public sector keeps.
        public var publicShare: ExactDecimal {
            (try? ExactDecimal.sum(allocations.filter { $0.party.role == .publicSector }.map(\.amount))) ?? .zero
        }
    }

    /// Totals over every project.
    public struct Totals: Sendable, Hashable, Codable {
        /// Sum of projects' attributable amounts.
        public let attributable: ExactDecimal
        /// Sum of every provider's reward: what the payers pay.
        public let providerRewards: ExactDecimal
        /// Sum of what the public sector keeps.
        public let publicShare: ExactDecimal
        /// Per party, in declared order: what it receives (providers) or keeps (payers).
        public let byParty: [PartyTotal]
        /// Creates totals.
        public init(
            attributable: ExactDecimal, providerRewards: ExactDecimal, publicShare: ExactDecimal, byParty: [PartyTotal]
        ) {
            self.attributable = attributable
            self.providerRewards = providerRewards
            self.publicShare = publicShare
            self.byParty = byParty
        }
    }

    /// One party's total for the year.
    public struct PartyTotal: Sendable, Hashable, Codable {
        /// The party.
        public let party: PartyReference
        /// Its total.
        public let amount: ExactDecimal
        /// Creates a party total.
        public init(party: PartyReference, amount: ExactDecimal) {
            self.party = party
            self.amount = amount
        }
    }

    /// One step of the calculation.
    public struct Step: Sendable, Hashable, Codable {
        /// `S1`, `S2`…, in calculation order.
        public let id: String
        /// What is computed, in words.
        public let description: String
        /// The same in Japanese.
        public let descriptionJA: String
        /// The formula with the values put in, e.g. `2500 − 2200 = 300`.
        public let formula: String
        /// The same formula in Japanese (nil in statements made before it was recorded).
        public let formulaJA: String?
        /// The result.
        public let result: ExactDecimal
        /// The earlier steps whose results this step uses, in the order the formula names them.
        public let uses: [String]
        /// The declared values this step reads from the contract.
        public let reads: [Reading]
        /// Creates a step.
        public init(
            id: String, description: String, descriptionJA: String, formula: String, formulaJA: String? = nil,
            result: ExactDecimal,
            uses: [String] = [], reads: [Reading] = []
        ) {
            self.id = id
            self.description = description
            self.descriptionJA = descriptionJA
            self.formula = formula
            self.formulaJA = formulaJA
            self.result = result
            self.uses = uses
            self.reads = reads
        }

        /// The formula for a reader of `japanese` or English.
        public func formula(japanese: Bool) -> String { japanese ? formulaJA ?? formula : formula }
    }

    /// A declared value a step reads: which KPI, which measure, which year. The figure
    /// itself (value, source, line, element) is the KPI's in ``Settlement/kpis``, once:
    /// see ``Settlement/figure(_:)``.
    public struct Reading: Sendable, Hashable, Codable {
        /// The KPI's id.
        public let kpi: String
        /// What the value is.
        public let measure: Measure
        /// The fiscal year of the value.
        public let year: Int
        /// Creates a reading.
        public init(kpi: String, measure: Measure, year: Int) {
            self.kpi = kpi
            self.measure = measure
            self.year = year
        }
    }

    /// The figure a step read, from the KPI outcomes of this settlement.
    public func figure(_ reading: Reading) -> Figure? {
        guard let kpi = kpis.first(where: { $0.id == reading.kpi }) else { return nil }
        let figure: Figure?
        switch reading.measure {
        case .baseline: figure = kpi.baseline
        case .expected: figure = kpi.expected
        case .actual: figure = kpi.actual
        case .valuePerUnit: figure = kpi.valuePerUnitInput
        }
        return figure?.year == reading.year ? figure : nil
    }

    /// The kinds of declared KPI values.
    public enum Measure: String, Sendable, Hashable, Codable, CaseIterable {
        /// The baseline year's value.
        case baseline
        /// The counterfactual had nothing been done (見込み).
        case expected
        /// The measured value (実績).
        case actual
        /// What one unit of improvement is worth (`<value-per-unit>`).
        case valuePerUnit = "value-per-unit"
    }

    /// A calculation rule and the version of it the engine applied. A rule's version changes
    /// whenever the same contract could settle to different figures under it.
    public struct RuleVersion: Sendable, Hashable, Codable {
        /// The rule's name, e.g. `profit-share` or `per-unit`.
        public let rule: String
        /// Its version, from 1.
        public let version: Int
        /// Creates a record.
        public init(rule: String, version: Int) {
            self.rule = rule
            self.version = version
        }
    }
}

extension Settlement {
    /// One outcome payment of the settled year: the rule applied to the outcome, the caps,
    /// and what is paid.
    public struct PaymentOutcome: Sendable, Hashable, Codable {
        /// Payment id.
        public let id: String
        /// Its name.
        public let name: LocalizedText
        /// The rule's kind (`fixed`, `per-unit`, `band (linear)`, …).
        public let rule: String
        /// Who pays, and how much each.
        public let payers: [PartyAmount]
        /// Who is paid, and how much each.
        public let payees: [PartyAmount]
        /// The KPI measured, if any.
        public let kpi: String?
        /// The outcome used (the KPI's actual value for the year), if any.
        public let outcome: Figure?
        /// What the rule gives, rounded once by the contract's rule.
        public let byRule: ExactDecimal
        /// The payment's own cap, if any.
        public let cap: ExactDecimal?
        /// What the payment's cap and the contract's maximum cut off.
        public let cutByCaps: ExactDecimal
        /// What is paid.
        public let amount: ExactDecimal
        /// The step that computed ``amount``.
        public let step: String
        /// Creates a payment outcome.
        public init(
            id: String, name: LocalizedText, rule: String, payers: [PartyAmount], payees: [PartyAmount], kpi: String?,
            outcome: Figure?, byRule: ExactDecimal, cap: ExactDecimal?, cutByCaps: ExactDecimal, amount: ExactDecimal,
            step: String
        ) {
            self.id = id
            self.name = name
            self.rule = rule
            self.payers = payers
            self.payees = payees
            self.kpi = kpi
            self.outcome = outcome
            self.byRule = byRule
            self.cap = cap
            self.cutByCaps = cutByCaps
            self.amount = amount
            self.step = step
        }
    }

    /// A party's share of a payment and the amount it makes.
    public struct PartyAmount: Sendable, Hashable, Codable {
        /// The party.
        public let party: PartyReference
        /// Its share.
        public let share: ExactDecimal
        /// Its part of the amount paid (largest remainder, ties to the party declared first).
        public let amount: ExactDecimal
        /// Creates a party amount.
        public init(party: PartyReference, share: ExactDecimal, amount: ExactDecimal) {
            self.party = party
            self.share = share
            self.amount = amount
        }
    }

    /// The outcome payments so far over the term.
    public struct PaymentTotals: Sendable, Hashable, Codable {
        /// Paid in earlier fiscal years of the term.
        public let paidBefore: ExactDecimal
        /// Paid for this fiscal year.
        public let paidThisYear: ExactDecimal
        /// paidBefore + paidThisYear.
        public let paidToDate: ExactDecimal
        /// The contract's maximum over the term, if declared.
        public let maximum: ExactDecimal?
        /// The contract's minimum over the term, if declared.
        public let minimum: ExactDecimal?
        /// maximum − paidToDate, if a maximum is declared.
        public let remaining: ExactDecimal?
        /// Creates totals.
        public init(
            paidBefore: ExactDecimal, paidThisYear: ExactDecimal, paidToDate: ExactDecimal,
            maximum: ExactDecimal?, minimum: ExactDecimal?, remaining: ExactDecimal?
        ) {
            self.paidBefore = paidBefore
            self.paidThisYear = paidThisYear
            self.paidToDate = paidToDate
            self.maximum = maximum
            self.minimum = minimum
            self.remaining = remaining
        }
    }
}

extension Settlement {
    /// Where the payments to a social impact bond's intermediary went: this year and to date.
    public struct SIBFlows: Sendable, Hashable, Codable {
        /// The intermediary.
        public let intermediary: PartyReference
        /// Received by the intermediary this year.
        public let receivedThisYear: ExactDecimal
        /// Received over the term so far.
        public let receivedToDate: ExactDecimal
        /// Its fee this year.
        public let feeThisYear: ExactDecimal
        /// Its fee so far.
        public let feeToDate: ExactDecimal
        /// Each investor's repayment and return.
        public let investors: [InvestorFlow]
        /// Who receives what is left.
        public let residual: PartyReference
        /// Left for the residual party this year.
        public let residualThisYear: ExactDecimal
        /// Left for it so far.
        public let residualToDate: ExactDecimal
        /// The step that computed the flows.
        public let step: String
        /// Creates flows.
        public init(
            intermediary: PartyReference, receivedThisYear: ExactDecimal, receivedToDate: ExactDecimal,
            feeThisYear: ExactDecimal,
            feeToDate: ExactDecimal, investors: [InvestorFlow], residual: PartyReference,
            residualThisYear: ExactDecimal,
            residualToDate: ExactDecimal, step: String
        ) {
            self.intermediary = intermediary
            self.receivedThisYear = receivedThisYear
            self.receivedToDate = receivedToDate
            self.feeThisYear = feeThisYear
            self.feeToDate = feeToDate
            self.investors = investors
            self.residual = residual
            self.residualThisYear = residualThisYear
            self.residualToDate = residualToDate
            self.step = step
        }
    }

    /// One investor's repayment and return.
    public struct InvestorFlow: Sendable, Hashable, Codable {
        /// The investor.
        public let party: PartyReference
        /// What it put in.
        public let principal: ExactDecimal
        /// Its maximum return, as an amount.
        public let maximumReturn: ExactDecimal
        /// Principal repaid this year.
        public let principalThisYear: ExactDecimal
        /// Principal repaid so far.
        public let principalToDate: ExactDecimal
        /// Return paid this year.
        public let returnThisYear: ExactDecimal
        /// Return paid so far.
        public let returnToDate: ExactDecimal
        /// Creates a flow.
        public init(
            party: PartyReference, principal: ExactDecimal, maximumReturn: ExactDecimal,
            principalThisYear: ExactDecimal,
            principalToDate: ExactDecimal, returnThisYear: ExactDecimal, returnToDate: ExactDecimal
        ) {
            self.party = party
            self.principal = principal
            self.maximumReturn = maximumReturn
            self.principalThisYear = principalThisYear
            self.principalToDate = principalToDate
            self.returnThisYear = returnThisYear
            self.returnToDate = returnToDate
        }
    }
}

extension Settlement {
    /// The providers' profit-share rewards against their cap over the term.
    public struct RewardCap: Sendable, Hashable, Codable {
        /// The cap.
        public let maximum: ExactDecimal
        /// Rewards paid in earlier years of the term.
        public let paidBefore: ExactDecimal
        /// This year's rewards before the cap.
        public let beforeCap: ExactDecimal
        /// What the cap cut from them (the public sector keeps it).
        public let cut: ExactDecimal
        /// What remains under the cap after this year.
        public let remaining: ExactDecimal
        /// The step that applied the cap.
        public let step: String
        /// Creates the record.
        public init(
            maximum: ExactDecimal, paidBefore: ExactDecimal, beforeCap: ExactDecimal, cut: ExactDecimal,
            remaining: ExactDecimal, step: String
        ) {
            self.maximum = maximum
            self.paidBefore = paidBefore
            self.beforeCap = beforeCap
            self.cut = cut
            self.remaining = remaining
            self.step = step
        }
    }
}
