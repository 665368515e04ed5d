import PFSModel

/// What a contract is worth to the public purse and to its investors, over the years
/// settled so far: figures only (the statements word them). Pure: the settlements, the
/// schedule and what a register says was paid go in, nothing is read or written.
///
/// Timing: year 0 is the start of the term's first fiscal year; a fiscal year's improvement
/// counts at its end (period 1 for the first year), a payment at the end of the fiscal year
/// whose budget pays it (the contract's payment timing), an investor's principal at year 0.
public struct ValueAssessment: Sendable, Hashable {
    /// Where the public sector's benefit comes from.
    public enum BenefitSource: String, Sendable, Hashable {
        /// The improvement attributable to the contract's projects (profit share).
        case attributable
        /// The KPIs' fiscal improvement, in money.
        case fiscalImprovement = "fiscal-improvement"
        /// No KPI is valued in money: the contract states no saving.
        case none
    }

    /// Whether a year's payments have been made, as a register records.
    public enum PaymentState: String, Sendable, Hashable {
        /// Paid in full, as the register records.
        case paid
        /// Some of it paid.
        case partlyPaid = "partly-paid"
        /// Nothing recorded paid yet (or the year not in the register named).
        case due
        /// The year owes nothing.
        case nothingDue = "nothing-due"
        /// No register named: settled figures, payment not known.
        case settled
    }

    /// A value rounded for showing: the exact fraction, to the places shown, exact or not.
    public struct Shown: Sendable, Hashable {
        public let exact: Rational
        public let value: ExactDecimal
        public let isExact: Bool

        init(_ exact: Rational, digits: Int) {
            self.exact = exact
            let rounded = exact.rounded(digits: digits)
            value = rounded?.value ?? .zero
            isExact = rounded?.exact ?? false
        }
    }

    /// One settled fiscal year.
    public struct Year: Sendable, Hashable {
        public let year: Int
        /// The fiscal year whose budget pays it.
        public let paymentYear: Int
        /// Periods from year 0: the improvement's and the payment's.
        public let period: Int
        public let paymentPeriod: Int
        public let benefit: ExactDecimal
        public let payments: ExactDecimal
        public let state: PaymentState
        /// What the register records paid (nil: no register named).
        public let paid: ExactDecimal?
        /// Benefit less payments.
        public let net: ExactDecimal
        /// What one unit is worth at year 0: at the improvement's period and the payment's.
        public let factor: Rational
        public let paymentFactor: Rational
        public let presentBenefit: Shown
        public let presentPayments: Shown
        public let presentNet: Shown
    }

    /// A KPI's outcomes against the payments tied to it alone.
    public struct OutcomeCost: Sendable, Hashable {
        public let kpi: String
        public let name: LocalizedText
        public let unit: String
        /// What `achieved` adds up.
        public let basis: OutcomeBasis
        /// The outcomes over the years settled, in the KPI's unit.
        public let achieved: ExactDecimal
        /// Payments tied to this KPI alone (its payments, and the rewards of projects
        /// attributed to it alone).
        public let payments: ExactDecimal
        /// Payments ÷ achieved, to two places more than amounts show (a cost per unit is
        /// often a fraction of the unit amounts are written in); nil where nothing was
        /// achieved or nothing is tied to it.
        public let costPerOutcome: Shown?
    }

    /// What a KPI's outcomes achieved are.
    public enum OutcomeBasis: String, Sendable, Hashable {
        /// Its improvement on the counterfactual, year by year, added up.
        case improvement
        /// Its actual values added up: a KPI with no counterfactual counts what happened
        /// (people in work, entries into care).
        case actual
        /// A rate with no counterfactual: rates of different years do not add up.
        case rate
    }

    /// One investor, class or holder: its flows and what they earned.
    public struct Investment: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// An investor declared one by one (format 1).
            case investor
            /// A class of capital (format 2).
            case capitalClass = "class"
            /// An investor holding part of one or more classes.
            case holder
        }
        public let kind: Kind
        public let id: String
        public let name: LocalizedText
        public let principal: ExactDecimal
        /// What it received by period (principal and return together); period 0 holds −principal.
        public let flows: CashFlows
        public let received: ExactDecimal
        public let principalRepaid: ExactDecimal
        public let returnPaid: ExactDecimal
        public let principalLost: ExactDecimal
        /// Received ÷ principal.
        public let multiple: Shown?
        public let rateOfReturn: ReturnRate
        /// The rate shown to the declared places (nil where there is no one rate).
        public let shownRate: Shown?
    }

    /// A future year of the term: the least and the most the rules allow, and their worth now.
    public struct FutureYear: Sendable, Hashable {
        public let year: Int
        public let paymentYear: Int
        public let paymentPeriod: Int
        public let least: ExactDecimal
        /// nil: no cap bounds it.
        public let most: ExactDecimal?
        public let factor: Rational
        public let presentLeast: Shown
        public let presentMost: Shown?
    }

    /// A future year's bounds as the budget envelope gives them (summed over payers).
    public struct FutureBound: Sendable, Hashable {
        public let year: Int
        public let paymentYear: Int
        public let least: ExactDecimal
        public let most: ExactDecimal?

        public init(year: Int, paymentYear: Int, least: ExactDecimal, most: ExactDecimal?) {
            self.year = year
            self.paymentYear = paymentYear
            self.least = least
            self.most = most
        }
    }

    public let schedule: DiscountSchedule
    /// Whether the schedule comes from the contract, the command, or neither (the default).
    public let scheduleSource: ScheduleSource
    public let rateDigits: Int
    public let amountDigits: Int
    /// Places a benefit-cost ratio and a money multiple are shown to (1.23), as appraisals
    /// give them; a rate of return is shown to ``rateDigits``.
    public static let ratioDigits = 2
    /// The term's first fiscal year (its start is year 0) and last.
    public let baseYear: Int
    public let termLast: Int
    public let asOf: Int
    public let benefitSource: BenefitSource
    public let years: [Year]
    public let totalBenefit: ExactDecimal
    public let totalPayments: ExactDecimal
    public let totalNet: ExactDecimal
    /// With a register: the payments made, and those still due (payments less made).
    public let totalPaid: ExactDecimal?
    public let totalDue: ExactDecimal?
    public let presentBenefit: Shown
    public let presentPayments: Shown
    /// The public sector's net present value: benefit less payments, discounted.
    public let netPresentValue: Shown
    /// Benefit ÷ payments, discounted; nil when nothing is paid.
    public let benefitCostRatio: Shown?
    public let outcomeCosts: [OutcomeCost]
    public let investments: [Investment]
    public let future: [FutureYear]

    /// Where the schedule was named.
    public enum ScheduleSource: String, Sendable, Hashable {
        case contract, command
        /// Neither named one: Japan's 4%.
        case standard = "default"
    }
}
