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
    /// The fiscal year settled: the year of the outcomes (成果対象年度).
    public let fiscalYear: FiscalYearInfo
    /// The fiscal year whose budget pays them (支払年度), and how.
    public let paymentYear: PaymentYearInfo
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
    public private(set) var payments: [PaymentOutcome]?
    /// Outcome payments so far over the term; absent when the contract declares none.
    public let paymentTotals: PaymentTotals?
    /// The social-impact-bond waterfall; absent when the contract declares none.
    public let sib: SIBFlows?
    /// The cap on the providers' profit-share rewards over the term; absent when none.
    public let rewardCap: RewardCap?
    /// The KPI targets of the year (format 2); absent when the contract declares none.
    public private(set) var targets: [TargetResult]?
    /// The calculation in order, so it can be redone by hand.
    public private(set) var steps: [Step]
    /// The calculation rules applied and their versions, so that a later engine can tell
    /// whether a difference comes from a changed rule.
    public let rules: [RuleVersion]
    /// What this year hands to the next (the term's state after it); nil when the contract
    /// carries nothing from year to year.
    public let carriedForward: CarriedForward?
    /// The register the settlement was recorded in, named by its authority's fingerprint, so
    /// that a reader of the statement can check its signatures' chain; nil outside a register.
    public let register: RegisterReference?
    /// The contract's administrative record for this year (契約番号, 予算科目, 債務負担行為,
    /// tax, evaluation and invoice dates); nil when the contract declares none.
    public let administration: Administration?

    /// Creates a settlement.
    public init(
        engine: Engine, contract: ContractReference, fiscalYear: FiscalYearInfo, amounts: AmountUnitInfo,
        rounding: RoundingRule, kpis: [KPIOutcome], projects: [ProjectSettlement], totals: Totals,
        payments: [PaymentOutcome]? = nil, paymentTotals: PaymentTotals? = nil, sib: SIBFlows? = nil,
        rewardCap: RewardCap? = nil, steps: [Step], rules: [RuleVersion] = [], carriedForward: CarriedForward? = nil,
        targets: [TargetResult]? = nil, register: RegisterReference? = nil, paymentYear: PaymentYearInfo? = nil,
        administration: Administration? = nil
    ) {
        self.administration = administration
        self.targets = targets
        self.register = register
        self.paymentYear = paymentYear ?? PaymentYearInfo(fiscalYear: fiscalYear, timing: .sameYear)
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

    /// The register a settlement is recorded in.
    public struct RegisterReference: Sendable, Hashable, Codable {
        /// SHA-256 of the register authority's DER public key, lowercase hex.
        public let authority: String
        /// Creates a reference.
        public init(authority: String) { self.authority = authority }
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
        /// The labelling convention a format-2 contract declares; nil for `fy`, format 1's.
        public let labels: YearLabels?
        /// Creates the record from a fiscal year; `japanese` when it is a Japanese fiscal
        /// year (年度), which alone is named by era: a dollar contract's FY2020 is not 令和2年度.
        /// A declared convention other than `fy` names the year in Japanese itself.
        public init(_ fiscalYear: FiscalYear, japanese: Bool, lastOfTerm: Bool = false) {
            self.lastOfTerm = lastOfTerm ? true : nil
            year = fiscalYear.year
            label = fiscalYear.label
            labels = fiscalYear.labels == .fy ? nil : fiscalYear.labels
            labelJA = fiscalYear.labels.japanese(fiscalYear.year) ?? (japanese ? fiscalYear.japaneseLabel : nil)
            firstDay = fiscalYear.firstDay
            lastDay = fiscalYear.lastDay
        }
    }

    /// The fiscal year that pays a year's outcomes.
    public struct PaymentYearInfo: Sendable, Hashable, Codable {
        /// The payment (accounting) year, named as the outcome year is.
        public let fiscalYear: FiscalYearInfo
        /// `same` or `next` (see ``PaymentTiming``).
        public let timing: PaymentTiming.Year
        /// Paid in the payment year's closing period (出納整理期間, to 31 May after it ends).
        public let closingPeriod: Bool
        /// Creates the record.
        public init(fiscalYear: FiscalYearInfo, timing: PaymentTiming) {
            self.fiscalYear = fiscalYear
            self.timing = timing.year
            self.closingPeriod = timing.closingPeriod
        }

        // One flat object in JSON, the year's fields beside how it pays (`timing`, `closingPeriod`).
        private enum CodingKeys: String, CodingKey {
            case year, label, labelJA, firstDay, lastDay, labels, lastOfTerm, timing, closingPeriod
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fiscalYear = try FiscalYearInfo(from: decoder)
            timing = try container.decode(PaymentTiming.Year.self, forKey: .timing)
            closingPeriod = try container.decode(Bool.self, forKey: .closingPeriod)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(closingPeriod, forKey: .closingPeriod)
            try container.encode(fiscalYear.firstDay, forKey: .firstDay)
            try container.encode(fiscalYear.label, forKey: .label)
            try container.encodeIfPresent(fiscalYear.labelJA, forKey: .labelJA)
            try container.encodeIfPresent(fiscalYear.labels, forKey: .labels)
            try container.encode(fiscalYear.lastDay, forKey: .lastDay)
            try container.encodeIfPresent(fiscalYear.lastOfTerm, forKey: .lastOfTerm)
            try container.encode(timing, forKey: .timing)
            try container.encode(fiscalYear.year, forKey: .year)
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
    /// The same settlement with these steps, targets and payments (the same, worded).
    public func with(steps: [Step], targets: [TargetResult]?, payments: [PaymentOutcome]?) -> Settlement {
        var copy = self
        copy.steps = steps
        copy.targets = targets
        copy.payments = payments
        return copy
    }
}
