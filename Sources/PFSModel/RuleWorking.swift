/// How a payment rule reached its amount, as figures (PFSStatements words it): one case
/// for each way a kind of rule can decide.
public enum RuleWorking: Sendable, Hashable {
    /// A fixed amount, rounded.
    case fixed(amount: ExactDecimal, result: ExactDecimal)
    /// The units better than a baseline times a price.
    case perUnit(units: UnitsBetter, price: ExactDecimal, exact: ExactDecimal, rounding: RoundingRule, result: ExactDecimal)
    /// The units better than a baseline do not reach the threshold.
    case belowThreshold(units: UnitsBetter, threshold: ExactDecimal)
    /// The units reach the threshold: all of them, or those beyond it, times a price.
    case beyondThreshold(
        units: UnitsBetter, threshold: ExactDecimal, paysAll: Bool, paid: ExactDecimal, price: ExactDecimal,
        exact: ExactDecimal, rounding: RoundingRule, result: ExactDecimal)
    /// A sum per beneficiary, each capped.
    case perBeneficiary(
        count: Int, price: ExactDecimal, cap: ExactDecimal, total: ExactDecimal, capped: Int,
        rounding: RoundingRule, result: ExactDecimal)
    /// A band's outcome reaches the full-payment mark.
    case bandFull(outcome: ExactDecimal, fullAt: ExactDecimal, amount: ExactDecimal, result: ExactDecimal)
    /// A band's outcome does not reach its start mark.
    case bandNotStarted(outcome: ExactDecimal, startAt: ExactDecimal)
    /// A step table's outcome reaches no step.
    case bandNoStep(outcome: ExactDecimal)
    /// A step table's outcome reaches a step.
    case bandStep(outcome: ExactDecimal, at: ExactDecimal, amount: ExactDecimal, result: ExactDecimal)
    /// A band between its marks, linearly.
    case bandLinear(
        amount: ExactDecimal, outcome: ExactDecimal, startAt: ExactDecimal, fullAt: ExactDecimal,
        rounding: RoundingRule, result: ExactDecimal)
    /// A proportional rule's outcome gives no achievement.
    case proportionalNone(outcome: ExactDecimal)
    /// A proportional rule's outcome (lower is better) is the best possible.
    case proportionalBest(outcome: ExactDecimal, amount: ExactDecimal, result: ExactDecimal)
    /// A proportional rule's target is reached.
    case proportionalWhole(numerator: ExactDecimal, denominator: ExactDecimal, amount: ExactDecimal, result: ExactDecimal)
    /// A proportional rule's part of its amount.
    case proportional(
        amount: ExactDecimal, numerator: ExactDecimal, denominator: ExactDecimal, rounding: RoundingRule,
        result: ExactDecimal)
    /// A threshold not met (`comparison` is its sign: ≥, >, ≤ or <).
    case thresholdNotMet(outcome: ExactDecimal, comparison: String, at: ExactDecimal)
    /// A threshold met.
    case thresholdMet(outcome: ExactDecimal, comparison: String, at: ExactDecimal, amount: ExactDecimal, result: ExactDecimal)
    /// No tier reached.
    case noTier(outcome: ExactDecimal, reference: ExactDecimal)
    /// The best tier reached.
    case tier(
        outcome: ExactDecimal, comparison: String, from: ExactDecimal, reference: ExactDecimal, mark: ExactDecimal,
        amount: ExactDecimal, result: ExactDecimal)
    /// A rate card applied without its records.
    case rateCardWithoutRecords(card: String)
    /// A rate card's achievements priced and capped.
    case rateCard(RateCardWorking)
    /// A share of savings against its repayment account.
    case savingsShare(SavingsShareWorking)
}

/// The units an outcome is better than a baseline, never below zero.
public struct UnitsBetter: Sendable, Hashable {
    public let outcome: ExactDecimal
    public let baseline: ExactDecimal
    public let direction: Direction
    public let units: ExactDecimal
    public init(outcome: ExactDecimal, baseline: ExactDecimal, direction: Direction, units: ExactDecimal) {
        self.outcome = outcome
        self.baseline = baseline
        self.direction = direction
        self.units = units
    }
}

/// A rate card's year (``RuleWorking/rateCard(_:)``).
public struct RateCardWorking: Sendable, Hashable {
    public let card: StepFigures.Named
    public let achievements: Int
    public let participants: Int
    /// Each outcome achieved: its id, how many times, its price.
    public let outcomes: [Achieved]
    public let gross: ExactDecimal
    public let participantsCapped: Int
    public let capPerYear: ExactDecimal?
    public let capPerTerm: ExactDecimal?
    public let cut: ExactDecimal
    public let total: ExactDecimal
    public let rounding: RoundingRule
    public let result: ExactDecimal

    /// An outcome of the card achieved `count` times.
    public struct Achieved: Sendable, Hashable {
        public let outcome: String
        public let count: Int
        public let price: ExactDecimal
        public init(outcome: String, count: Int, price: ExactDecimal) {
            self.outcome = outcome
            self.count = count
            self.price = price
        }
    }

    public init(
        card: StepFigures.Named, achievements: Int, participants: Int, outcomes: [Achieved], gross: ExactDecimal,
        participantsCapped: Int, capPerYear: ExactDecimal?, capPerTerm: ExactDecimal?, cut: ExactDecimal,
        total: ExactDecimal, rounding: RoundingRule, result: ExactDecimal
    ) {
        self.card = card
        self.achievements = achievements
        self.participants = participants
        self.outcomes = outcomes
        self.gross = gross
        self.participantsCapped = participantsCapped
        self.capPerYear = capPerYear
        self.capPerTerm = capPerTerm
        self.cut = cut
        self.total = total
        self.rounding = rounding
        self.result = result
    }
}

/// A share of savings's year (``RuleWorking/savingsShare(_:)``).
public struct SavingsShareWorking: Sendable, Hashable {
    /// The savings valued from the outcome (a KPI with a value per unit); nil when the
    /// outcome is money.
    public let valued: Valued?
    public let mark: ExactDecimal
    public let principal: ExactDecimal
    public let returnRate: ExactDecimal
    public let paidBefore: ExactDecimal
    /// The savings, never below zero.
    public let base: ExactDecimal
    public let share: Share
    public let rounding: RoundingRule
    public let result: ExactDecimal

    /// The outcome times the value per unit.
    public struct Valued: Sendable, Hashable {
        public let outcome: ExactDecimal
        public let valuePerUnit: ExactDecimal
        public let savings: ExactDecimal
        public init(outcome: ExactDecimal, valuePerUnit: ExactDecimal, savings: ExactDecimal) {
            self.outcome = outcome
            self.valuePerUnit = valuePerUnit
            self.savings = savings
        }
    }

    /// Which rate applied.
    public enum Share: Sendable, Hashable {
        /// The account was repaid before: the rate after repayment.
        case repaid(thenRate: ExactDecimal, exact: ExactDecimal)
        /// Within what is left to repay: the first rate.
        case within(rate: ExactDecimal, full: ExactDecimal, left: ExactDecimal)
        /// The mark falls within the savings (at `at`, as shown): the rate changes there.
        case switches(left: ExactDecimal, rate: ExactDecimal, at: String, thenRate: ExactDecimal)
    }

    public init(
        valued: Valued?, mark: ExactDecimal, principal: ExactDecimal, returnRate: ExactDecimal,
        paidBefore: ExactDecimal, base: ExactDecimal, share: Share, rounding: RoundingRule, result: ExactDecimal
    ) {
        self.valued = valued
        self.mark = mark
        self.principal = principal
        self.returnRate = returnRate
        self.paidBefore = paidBefore
        self.base = base
        self.share = share
        self.rounding = rounding
        self.result = result
    }

    /// The same working with the savings valued from an outcome.
    public func valued(_ valued: Valued?) -> SavingsShareWorking {
        SavingsShareWorking(
            valued: valued, mark: mark, principal: principal, returnRate: returnRate, paidBefore: paidBefore,
            base: base, share: share, rounding: rounding, result: result)
    }
}

/// How a KPI's measure for a year was computed (format 2): its actual value, its
/// improvement on a reference, or that improvement divided by the reference.
public struct MeasureWorking: Sendable, Hashable {
    public let kpi: StepFigures.Named
    public let year: YearName
    public let actual: ExactDecimal
    public let kind: Kind

    /// What was computed.
    public enum Kind: Sendable, Hashable {
        case actual
        /// `improvement` = actual − reference (reference − actual when lower is better).
        case improvement(Reference, lowerIsBetter: Bool, improvement: ExactDecimal)
        /// The improvement ÷ the reference, as shown (`≈` when cut).
        case relative(Reference, lowerIsBetter: Bool, shown: String)
    }

    /// What the actual value is compared with.
    public struct Reference: Sendable, Hashable {
        public let against: OutcomeMeasure.Reference
        public let value: ExactDecimal
        public init(against: OutcomeMeasure.Reference, value: ExactDecimal) {
            self.against = against
            self.value = value
        }
    }

    public init(kpi: StepFigures.Named, year: YearName, actual: ExactDecimal, kind: Kind) {
        self.kpi = kpi
        self.year = year
        self.actual = actual
        self.kind = kind
    }
}
