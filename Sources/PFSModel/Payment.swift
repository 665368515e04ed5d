/// An outcome payment declared in `<payments>`: who pays whom, for which fiscal year, by
/// which rule, measured on which KPI, and the most it may pay.
public struct Payment: Sendable, Hashable {
    /// Its identifier.
    public let id: String
    /// Its name.
    public let name: LocalizedText
    /// The public-sector parties that pay, each its share of every amount (one at 1 when
    /// the payment names a single payer).
    public let payers: [PartyShare]
    /// The providers or investors paid, each its share of the amount.
    public let payees: [PartyShare]
    /// The fiscal year whose outcome it pays for.
    public let year: Int
    /// The KPI whose actual value for ``year`` is the outcome; nil for a fixed payment or a
    /// weighted estimate.
    public let kpi: String?
    /// A weighted blend of several measured estimates used as the outcome instead of one
    /// KPI, e.g. 0.8 × trial estimate + 0.2 × comparison-group estimate.
    public let estimates: [Estimate]
    /// What of the KPI the rule is applied to (format 2; the actual value in format 1).
    public let measure: OutcomeMeasure
    /// Conditions that must hold for anything to fall due (format 2's `<when>`).
    public let conditions: ConditionTree?
    /// The rule that turns the outcome into an amount.
    public let rule: PaymentRule
    /// The most this payment may pay (written unit), if capped.
    public let cap: ExactDecimal?
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a payment.
    public init(
        id: String, name: LocalizedText, payers: [PartyShare], payees: [PartyShare], year: Int, kpi: String?,
        estimates: [Estimate] = [], measure: OutcomeMeasure = .actual, conditions: ConditionTree? = nil,
        rule: PaymentRule, cap: ExactDecimal?, location: SourceLocation
    ) {
        self.measure = measure
        self.conditions = conditions
        self.id = id
        self.name = name
        self.payers = payers
        self.payees = payees
        self.year = year
        self.kpi = kpi
        self.estimates = estimates
        self.rule = rule
        self.cap = cap
        self.location = location
    }
}

/// A party's share of an amount: a provider's share of a project's attributable
/// improvement, or a payer's or payee's share of each amount of a payment.
public struct PartyShare: Sendable, Hashable {
    /// The party's id.
    public let party: String
    /// Its share, in [0, 1].
    public let share: ExactDecimal
    /// Where it was declared.
    public let location: SourceLocation
    /// Creates a share.
    public init(party: String, share: ExactDecimal, location: SourceLocation) {
        self.party = party
        self.share = share
        self.location = location
    }
}

extension Payment {
    /// One estimate of a weighted blend: a KPI and its weight.
    public struct Estimate: Sendable, Hashable {
        /// The KPI whose actual value is the estimate.
        public let kpi: String
        /// Its weight; the weights of a blend sum to 1.
        public let weight: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates an estimate.
        public init(kpi: String, weight: ExactDecimal, location: SourceLocation) {
            self.kpi = kpi
            self.weight = weight
            self.location = location
        }
    }

    /// Every KPI the payment measures: its `kpi`, or the KPIs of its estimates.
    public var measuredKPIs: [String] { kpi.map { [$0] } ?? estimates.map(\.kpi) }

    /// How the outcome is measured, in words: `screening-rate`, or `0.8 × trial + 0.2 × comparison`.
    public var measureDescription: String? {
        if let kpi { return kpi }
        guard !estimates.isEmpty else { return nil }
        return estimates.map { "\($0.weight) × \($0.kpi)" }.joined(separator: " + ")
    }
}

/// How an outcome becomes an amount. Thresholds are compared exactly; "better" follows the
/// KPI's direction (higher values for higher-is-better, lower for lower-is-better).
public enum PaymentRule: Sendable, Hashable {
    /// A fixed amount, regardless of outcomes.
    case fixed(amount: ExactDecimal)
    /// `price` per unit of outcome better than `baseline` (nil: the KPI's baseline value);
    /// nothing when not better.
    case perUnit(price: ExactDecimal, baseline: ExactDecimal?)
    /// `price` per unit of outcome better than `baseline` (nil: the KPI's baseline value; 0
    /// for a measured improvement), nothing until those units reach `threshold`; then every
    /// unit is paid, or only those beyond the threshold (format 2).
    case perUnitBeyond(price: ExactDecimal, baseline: ExactDecimal?, threshold: ExactDecimal, pays: UnitsPaid)
    /// A share of the savings (the measured improvement, in money) passed to the payees at
    /// `rate` until the payments of `account` have repaid `mark` (principal plus the declared
    /// return), then at `thenRate`; the switch may fall within a year (format 2).
    case savingsShare(SavingsShare)
    /// What the rate card with this id gives for the achievements of the payment's year,
    /// each participant held to the card's caps (format 2).
    case rateCard(String)
    /// `price` per unit of each beneficiary's value, at most `capPerBeneficiary` for any one
    /// beneficiary (the actual value must be broken down by beneficiary).
    case perBeneficiary(price: ExactDecimal, capPerBeneficiary: ExactDecimal)
    /// Nothing worse than `startAt`, `amount` at or better than `fullAt`; from `startAt` on,
    /// straight-line interpolation (0 at `startAt`), or the amount of the last step reached.
    case band(startAt: ExactDecimal, fullAt: ExactDecimal, amount: ExactDecimal, steps: [Step])
    /// `amount × outcome ÷ target`, never more than `amount`.
    case proportional(target: ExactDecimal, amount: ExactDecimal)
    /// The amount of the best tier reached: a tier is reached when the outcome is at least
    /// `from × reference` (or more than it, when not inclusive).
    case tiers(reference: ExactDecimal, tiers: [Tier])
    /// `amount` when the outcome reaches `at` (inclusive or not), else nothing.
    case threshold(at: ExactDecimal, inclusive: Bool, amount: ExactDecimal)

    /// A step of a band's step table: from outcome `at` (inclusive) on, pay `amount`.
    public struct Step: Sendable, Hashable {
        /// The outcome from which the step applies.
        public let at: ExactDecimal
        /// The amount paid from there on.
        public let amount: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates a step.
        public init(at: ExactDecimal, amount: ExactDecimal, location: SourceLocation) {
            self.at = at
            self.amount = amount
            self.location = location
        }
    }

    /// A tier: reached at `from` × the reference.
    public struct Tier: Sendable, Hashable {
        /// The achievement ratio, e.g. 1.06 for 106%.
        public let from: ExactDecimal
        /// Whether reaching exactly `from` counts.
        public let inclusive: Bool
        /// The amount paid for the tier.
        public let amount: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates a tier.
        public init(from: ExactDecimal, inclusive: Bool, amount: ExactDecimal, location: SourceLocation) {
            self.from = from
            self.inclusive = inclusive
            self.amount = amount
            self.location = location
        }
    }
}

extension PaymentRule {
    /// The Japanese name of a rule by the name a settlement records; that name itself when
    /// unknown.
    public static func kindJA(of kind: String) -> String {
        // As Japanese PFS payment tables name them (段階方式, 比例方式, 閾値方式, 成果単価方式).
        let names = [
            "fixed": "固定額", "per-unit": "成果単価方式", "per-unit (capped per beneficiary)": "成果単価方式（対象者ごとの上限あり）",
            "band (linear)": "比例方式（下限値から上限値まで達成度に比例）", "band (step table)": "段階方式（達成度の区分表）",
            "proportional": "比例方式", "tiers": "段階方式（達成水準別の定額）", "threshold": "閾値方式（目標値到達時の定額）",
            "per-unit (behind a threshold)": "成果単価方式（閾値到達後は全単位）",
            "per-unit (beyond a threshold)": "成果単価方式（閾値を超える単位）", "share of savings": "削減額の分配方式",
            "rate card": "成果単価表方式",
        ]
        return names[kind] ?? kind
    }
}

/// Limits on what the outcome payments may total over the whole term.
public struct PaymentLimits: Sendable, Hashable {
    /// The most the payments may total; later payments are cut to what remains.
    public let maximum: ExactDecimal?
    /// The least the contract pays in total (informational: shown in statements).
    public let minimum: ExactDecimal?
    /// The most the payments of one fiscal year may total.
    public let yearLimits: [YearLimit]
    /// The most one payer may pay over the term.
    public let payerLimits: [PayerLimit]
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates limits.
    public init(
        maximum: ExactDecimal?, minimum: ExactDecimal?, yearLimits: [YearLimit] = [], payerLimits: [PayerLimit] = [],
        location: SourceLocation
    ) {
        self.maximum = maximum
        self.minimum = minimum
        self.yearLimits = yearLimits
        self.payerLimits = payerLimits
        self.location = location
    }

    /// A cap on what one payer pays over the term.
    public struct PayerLimit: Sendable, Hashable {
        /// The payer's id.
        public let party: String
        /// The most it pays.
        public let maximum: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates a payer limit.
        public init(party: String, maximum: ExactDecimal, location: SourceLocation) {
            self.party = party
            self.maximum = maximum
            self.location = location
        }
    }

    /// A cap on the payments of one fiscal year.
    public struct YearLimit: Sendable, Hashable {
        /// The fiscal year.
        public let year: Int
        /// The most its payments may total.
        public let maximum: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates a year limit.
        public init(year: Int, maximum: ExactDecimal, location: SourceLocation) {
            self.year = year
            self.maximum = maximum
            self.location = location
        }
    }
}
