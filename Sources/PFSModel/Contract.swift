/// Text in Japanese and English; either may be absent where the format allows it.
public struct LocalizedText: Sendable, Hashable, Codable {
    /// 日本語.
    public let ja: String?
    /// English.
    public let en: String?

    /// Creates a text.
    public init(ja: String?, en: String?) {
        self.ja = ja
        self.en = en
    }

    /// The English text, else the Japanese one, else `fallback`.
    public func preferringEnglish(or fallback: String) -> String { en ?? ja ?? fallback }
}

/// A settlement contract, as declared in XML (format version 1 or 2).
public struct Contract: Sendable, Hashable {
    /// The contract's identifier.
    public let id: String
    /// The format version it is written in.
    public let format: ContractFormat
    /// How its fiscal years are numbered and labelled (format 2; `fy` in format 1).
    public let yearLabels: YearLabels
    /// KPI targets that carry no payment (format 2).
    public let targets: [Target]
    /// Rate cards that payments pay by (format 2).
    public let rateCards: [RateCard]
    /// Its title.
    public let title: LocalizedText
    /// The currency and the unit amounts are written in.
    public let amounts: AmountUnit
    /// The rounding the settlement applies.
    public let rounding: RoundingRule
    /// The first month (1–12) of a fiscal year; 4 in Japan.
    public let fiscalYearStartMonth: Int
    /// The first and last fiscal years of the term.
    public let term: Term
    /// Parties in declared order; this order breaks ties in every split.
    public let parties: [Party]
    /// Outcome indicators.
    public let kpis: [KPI]
    /// Projects credited with shares of KPI improvements.
    public let projects: [Project]
    /// What a negative net improvement does to later years (`<projects negative-improvement>`).
    public let negativeImprovement: NegativeImprovementPolicy
    /// The most the providers' profit-share rewards may total over the term (`<projects reward-maximum>`).
    public let rewardMaximum: ExactDecimal?
    /// Outcome payments by rule, in declared order.
    public let payments: [Payment]
    /// Limits on the payments' total over the term.
    public let paymentLimits: PaymentLimits?
    /// The social-impact-bond waterfall for payments made to its intermediary.
    public let sib: SIB?
    /// What a correction of an issued year does with money paid too much (`<corrections>`).
    public let correctionPolicy: CorrectionPolicy
    /// When each year's outcomes are paid, and from which fiscal year's budget (`<payment-timing>`).
    public let paymentTiming: PaymentTiming
    /// What a municipal payment document needs beyond the figures (`<administration>`).
    public let administration: Administration?
    /// How its value for money is measured (`<value-for-money>`), when declared.
    public let valueForMoney: ValueDeclaration?
    /// Where the contract element is.
    public let location: SourceLocation

    /// Creates a contract.
    public init(
        id: String, title: LocalizedText, amounts: AmountUnit, rounding: RoundingRule, fiscalYearStartMonth: Int,
        term: Term, parties: [Party], kpis: [KPI], projects: [Project],
        negativeImprovement: NegativeImprovementPolicy = .floor, rewardMaximum: ExactDecimal? = nil,
        payments: [Payment] = [],
        paymentLimits: PaymentLimits? = nil, sib: SIB? = nil, correctionPolicy: CorrectionPolicy = .refund,
        format: ContractFormat = .one, yearLabels: YearLabels = .fy, targets: [Target] = [],
        rateCards: [RateCard] = [], paymentTiming: PaymentTiming = .sameYear, administration: Administration? = nil,
        valueForMoney: ValueDeclaration? = nil, location: SourceLocation
    ) {
        self.valueForMoney = valueForMoney
        self.administration = administration
        self.rateCards = rateCards
        self.paymentTiming = paymentTiming
        self.id = id
        self.format = format
        self.yearLabels = yearLabels
        self.targets = targets
        self.title = title
        self.amounts = amounts
        self.rounding = rounding
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.term = term
        self.parties = parties
        self.kpis = kpis
        self.projects = projects
        self.negativeImprovement = negativeImprovement
        self.rewardMaximum = rewardMaximum
        self.payments = payments
        self.paymentLimits = paymentLimits
        self.sib = sib
        self.correctionPolicy = correctionPolicy
        self.location = location
        // First declaration wins, as the unique-id check reports the later ones.
        partyIndex = Dictionary(parties.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        kpiIndex = Dictionary(kpis.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // Lookups by id are constant time: contracts with a thousand KPIs are settled for
    // every year of a long term.
    private let partyIndex: [String: Int]
    private let kpiIndex: [String: Int]

    /// The party with `id`, if declared.
    public func party(_ id: String) -> Party? { partyIndex[id].map { parties[$0] } }
    /// The KPI with `id`, if declared.
    public func kpi(_ id: String) -> KPI? { kpiIndex[id].map { kpis[$0] } }
    /// The position of party `id` in declaration order, if declared.
    public func partyOrder(_ id: String) -> Int? { partyIndex[id] }

    /// Fiscal year `year` as the contract's convention labels it in English (`FY2024`,
    /// `2024-25`…), for texts that name a year.
    public func yearName(_ year: Int) -> String { yearLabels.english(year) }

    /// Fiscal year `year` as a Japanese text names it: 令和6年度 for a Japanese fiscal year
    /// (yen, April to March), the convention's Japanese label, else the English one.
    public func yearNameJA(_ year: Int) -> String {
        let japanese = amounts.currency == "JPY" && fiscalYearStartMonth == 4
        return yearLabels.japanese(year) ?? (japanese ? fiscalYear(year).japaneseLabel : nil) ?? yearName(year)
    }

    /// Fiscal year `year` with its dates and labels.
    public func fiscalYear(_ year: Int) -> FiscalYear {
        FiscalYear(year, startMonth: fiscalYearStartMonth, labels: yearLabels)
    }
}

/// When a fiscal year's outcomes are paid: from the same fiscal year's budget (within the
/// year, or in its closing period — 出納整理期間, to 31 May after it ends) or from the next
/// one's, once the outcome is measured and confirmed after the year.
public struct PaymentTiming: Sendable, Hashable, Codable {
    /// Which fiscal year's budget pays an outcome year's amounts.
    public enum Year: String, Sendable, Hashable, Codable {
        case same, next
    }

    public let year: Year
    /// Paid in the outcome year's closing period (only with ``Year/same``).
    public let closingPeriod: Bool
    /// Where it was declared; nil when the contract declares none.
    public let location: SourceLocation?

    /// Paid from the outcome year's own budget, within the year: format 1's meaning when a
    /// contract says nothing.
    public static let sameYear = PaymentTiming(year: .same, closingPeriod: false)

    /// Creates a timing.
    public init(year: Year, closingPeriod: Bool, location: SourceLocation? = nil) {
        self.year = year
        self.closingPeriod = closingPeriod
        self.location = location
    }

    /// The fiscal year whose budget pays the outcomes of `year`.
    public func paymentYear(ofOutcome year: Int) -> Int { self.year == .next ? year + 1 : year }
}

/// The currency and the multiple of it that amounts in the contract are written in,
/// e.g. JPY × 1000 for 千円.
public struct AmountUnit: Sendable, Hashable, Codable {
    /// ISO 4217 code.
    public let currency: String
    /// How many currency units one written unit is (1, 1000…).
    public let scale: ExactDecimal
    /// The unit's name in Japanese and English, e.g. 千円 / thousand yen.
    public let label: LocalizedText
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates an amount unit.
    public init(currency: String, scale: ExactDecimal, label: LocalizedText, location: SourceLocation) {
        self.currency = currency
        self.scale = scale
        self.label = label
        self.location = location
    }
}

/// What an adjustment does with money already paid too much for a corrected year.
public enum CorrectionPolicy: String, Sendable, Codable, CaseIterable {
    /// Deducted from the next payment to the same payee.
    case adjustNextPayment = "adjust-next-payment"
    /// Due back from the payee to the payer (the default).
    case refund
}

/// What happens when a project's net attributable improvement for a year is negative.
public enum NegativeImprovementPolicy: String, Sendable, Codable, CaseIterable {
    /// Nothing is paid that year; the shortfall is forgotten (the default).
    case floor
    /// Nothing is paid; the shortfall is carried forward and offset against later gains
    /// before anything is paid again.
    case carryForward = "carry-forward"
    /// Nothing is paid; each provider's share of the shortfall is clawed back from its
    /// later rewards (the public sector keeps what is deducted).
    case clawBack = "claw-back"
}

/// The contract's term in fiscal years, first and last inclusive.
public struct Term: Sendable, Hashable, Codable {
    /// First fiscal year.
    public let first: Int
    /// Last fiscal year.
    public let last: Int
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a term.
    public init(first: Int, last: Int, location: SourceLocation) {
        self.first = first
        self.last = last
        self.location = location
    }

    /// Whether `year` lies within the term.
    public func contains(_ year: Int) -> Bool { first <= year && year <= last }
}

/// The part a party plays in a contract.
public enum PartyRole: String, Sendable, Codable, CaseIterable {
    /// The public body that pays (地方公共団体等).
    case publicSector = "public-sector"
    /// A service provider paid for results.
    case provider
    /// An investor funding the provider (SIB).
    case investor
    /// The third-party evaluator.
    case evaluator
    /// The intermediary or trust of a social impact bond, through which outcome payments
    /// reach the investors (中間支援組織).
    case intermediary
}

/// A party to the contract.
public struct Party: Sendable, Hashable {
    /// Its identifier.
    public let id: String
    /// Its role.
    public let role: PartyRole
    /// Its name.
    public let name: LocalizedText
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a party.
    public init(id: String, role: PartyRole, name: LocalizedText, location: SourceLocation) {
        self.id = id
        self.role = role
        self.name = name
        self.location = location
    }
}

/// Which way a KPI improves.
public enum Direction: String, Sendable, Codable {
    /// A cost: improvement = expected − actual.
    case lowerIsBetter = "lower-is-better"
    /// A rate or count: improvement = actual − expected.
    case higherIsBetter = "higher-is-better"
}

/// How a KPI's improvement becomes money.
public enum Valuation: Sendable, Hashable {
    /// The KPI is already an amount in the contract's amount unit.
    case money
    /// Each unit of improvement is worth this amount (in the contract's amount unit).
    case perUnit(UnitValue)
    /// Measured only (e.g. a screening rate paid for by a rule); it has no money value and
    /// cannot be credited to a project.
    case measuredOnly
}

/// What one unit of a KPI's improvement is worth, as declared (`<value-per-unit>`).
public struct UnitValue: Sendable, Hashable {
    /// The amount, in the contract's written unit.
    public let amount: ExactDecimal
    /// Where the figure came from, as the contract says.
    public let source: String?
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates one.
    public init(amount: ExactDecimal, source: String?, location: SourceLocation) {
        self.amount = amount
        self.source = source
        self.location = location
    }
}

/// A fiscal year a KPI was not measured in, with the contract's reason (`<not-measured>`):
/// a later year may then be settled over it, and its statements say why it was skipped.
public struct NotMeasured: Sendable, Hashable {
    /// The fiscal year.
    public let year: Int
    /// Why, as the contract says.
    public let reason: String
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates one.
    public init(year: Int, reason: String, location: SourceLocation) {
        self.year = year
        self.reason = reason
        self.location = location
    }
}

/// A value observed or projected for a fiscal year.
public struct Observation: Sendable, Hashable {
    /// The fiscal year.
    public let year: Int
    /// The value, in the KPI's unit.
    public let value: ExactDecimal
    /// Where the figure came from (a plan, a survey, the settlement of accounts…).
    public let source: String?
    /// Where it was declared.
    public let location: SourceLocation
    /// The value broken down by beneficiary, when the data has it (an actual value only).
    public let beneficiaries: [BeneficiaryValue]

    /// Creates an observation.
    public init(
        year: Int, value: ExactDecimal, source: String?, location: SourceLocation,
        beneficiaries: [BeneficiaryValue] = []
    ) {
        self.year = year
        self.value = value
        self.source = source
        self.location = location
        self.beneficiaries = beneficiaries
    }
}

/// One beneficiary's part of an actual value (e.g. jail days avoided by one person).
public struct BeneficiaryValue: Sendable, Hashable {
    /// An identifier of the beneficiary (pseudonymous).
    public let id: String
    /// Its value, in the KPI's unit.
    public let value: ExactDecimal
    /// Where it was declared.
    public let location: SourceLocation
    /// Creates a beneficiary value.
    public init(id: String, value: ExactDecimal, location: SourceLocation) {
        self.id = id
        self.value = value
        self.location = location
    }
}

/// An outcome indicator with its multi-year record.
public struct KPI: Sendable, Hashable {
    /// Its identifier.
    public let id: String
    /// Its name.
    public let name: LocalizedText
    /// The unit its values are measured in (e.g. 千円, %, persons).
    public let unit: String
    /// Which way is better.
    public let direction: Direction
    /// How improvement becomes money.
    public let valuation: Valuation
    /// The value in the reference year (a placeholder, never shown or used, when
    /// ``baselineDeclared`` is false).
    public let baseline: Observation
    /// Whether the contract declares a baseline: a plan's KPI may have none (format 2), and is
    /// then used only by what needs no baseline (check `kpi-baseline`).
    public let baselineDeclared: Bool
    /// Counterfactual values (見込み) by year, in declared order.
    public let expected: [Observation]
    /// How expected values are derived from the baseline for years without a declared one.
    public let projection: Projection?
    /// Measured values (実績) by year, in declared order.
    public let actual: [Observation]
    /// Years declared as not measured, with the reason.
    public let notMeasured: [NotMeasured]
    /// The comparison group's values by year (format 2).
    public let comparisonGroup: Series?
    /// Other declared series (national, prefectural…) conditions compare with (format 2).
    public let series: [Series]
    /// Decimal places relative improvements are shown to (they are compared exactly).
    public let relativePrecision: Int
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a KPI.
    public init(
        id: String, name: LocalizedText, unit: String, direction: Direction, valuation: Valuation,
        baseline: Observation, expected: [Observation], projection: Projection? = nil, actual: [Observation],
        notMeasured: [NotMeasured] = [], comparisonGroup: Series? = nil, series: [Series] = [],
        relativePrecision: Int = 4, baselineDeclared: Bool = true, location: SourceLocation
    ) {
        self.baselineDeclared = baselineDeclared
        self.comparisonGroup = comparisonGroup
        self.series = series
        self.relativePrecision = relativePrecision
        self.id = id
        self.name = name
        self.unit = unit
        self.direction = direction
        self.valuation = valuation
        self.baseline = baseline
        self.expected = expected
        self.projection = projection
        self.actual = actual
        self.notMeasured = notMeasured
        self.location = location
    }

    /// The declaration that `year` was not measured, if any.
    public func notMeasured(in year: Int) -> NotMeasured? { notMeasured.first { $0.year == year } }

    /// The expected value for `year`: declared, or else derived by the ``projection``
    /// (its source then shows the derivation with the values put in). Nil when neither
    /// gives one, or the derivation cannot be represented exactly.
    public func expected(in year: Int) -> Observation? {
        if let declared = expected.first(where: { $0.year == year }) { return declared }
        guard let projection, let (value, formula) = try? projection.value(in: year, from: baseline) else { return nil }
        let from = projection.source.map { " (\($0))" } ?? ""
        return Observation(
            year: year, value: value, source: "derived\(from): \(formula)", location: projection.location)
    }
    /// The actual value for `year`, if declared.
    public func actual(in year: Int) -> Observation? { actual.first { $0.year == year } }
}

/// A project's claim on a share of one KPI's improvement.
public struct Credit: Sendable, Hashable {
    /// The KPI's id.
    public let kpi: String
    /// The share of the KPI's improvement attributed to the project, in [0, 1].
    public let share: ExactDecimal
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a credit.
    public init(kpi: String, share: ExactDecimal, location: SourceLocation) {
        self.kpi = kpi
        self.share = share
        self.location = location
    }
}

/// A project: the KPIs it is credited with and how its attributable improvement is
/// shared between its providers and the public sector.
public struct Project: Sendable, Hashable {
    /// Its identifier.
    public let id: String
    /// Its name.
    public let name: LocalizedText
    /// The public-sector party that pays, and keeps the rest of the improvement.
    public let payer: String
    /// Where `payer` was declared.
    public let payerLocation: SourceLocation
    /// The KPI shares credited to the project.
    public let credits: [Credit]
    /// The providers' shares; the payer keeps 1 − their sum.
    public let providerShares: [PartyShare]
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a project.
    public init(
        id: String, name: LocalizedText, payer: String, payerLocation: SourceLocation, credits: [Credit],
        providerShares: [PartyShare], location: SourceLocation
    ) {
        self.id = id
        self.name = name
        self.payer = payer
        self.payerLocation = payerLocation
        self.credits = credits
        self.providerShares = providerShares
        self.location = location
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    public func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
