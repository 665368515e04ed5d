/// What a calculation step computed, as figures: the evaluator records these, and
/// PFSStatements words them (`StepWords`, one file per language). Nothing here is a
/// sentence: ids, names as the contract declares them, numbers and the choices a rule made.
public enum StepFigures: Sendable, Hashable {
    /// An expected value derived from the baseline by the KPI's projection.
    case derivedExpected(kpi: Named, year: YearName, projection: Projection, baseline: Observation, source: String)
    /// A KPI's improvement (positive is better), and whether it is money, priced per unit or
    /// measured only.
    case improvement(
        kpi: Named, direction: Direction, unit: String, valuation: Valuation, expected: ExactDecimal,
        actual: ExactDecimal, improvement: ExactDecimal)
    /// A KPI's improvement times its value per unit.
    case fiscalImprovement(
        kpi: Named, improvementStep: String, improvement: ExactDecimal, valuePerUnit: ExactDecimal,
        value: ExactDecimal)
    /// A target checked: its conditions and whether it was achieved (nil: not measured).
    case target(target: Named, kpi: Named, year: YearName, conditions: [Settlement.ConditionResult], achieved: Bool?)
    /// A project's share of one KPI's fiscal improvement.
    case attributable(
        project: Named, kpi: String, fiscalStep: String, fiscal: ExactDecimal, share: ExactDecimal,
        attributable: ExactDecimal)
    /// The sum of a project's attributions.
    case netAttributable(project: Named, parts: [StepAmount], net: ExactDecimal)
    /// A project's net after the shortfall carried from earlier years.
    case netAfterCarried(project: Named, net: ExactDecimal, carried: ExactDecimal, base: ExactDecimal)
    /// The amount a project splits: its net rounded once, or nothing when the net is negative.
    case amountToSplit(
        project: Named, base: ExactDecimal, rounding: RoundingRule, amount: ExactDecimal, negative: NegativeYear?)
    /// One party's part of a project's split.
    case allocation(Split)
    /// What providers still owe under a claw-back after the year.
    case clawbackOwed(project: Named, owed: [StepAmount])
    /// The providers' rewards within the reward maximum.
    case rewardsWithinMaximum(
        paidBefore: ExactDecimal, rewards: ExactDecimal, maximum: ExactDecimal, remaining: ExactDecimal)
    /// The providers' rewards cut to what is left of the reward maximum.
    case rewardsCut(
        maximum: ExactDecimal, paidBefore: ExactDecimal, allowed: ExactDecimal, rewards: ExactDecimal,
        cut: ExactDecimal, paid: ExactDecimal)
    /// The payments of the term so far.
    case paymentsToDate(
        year: YearName, paidBefore: ExactDecimal, thisYear: ExactDecimal, toDate: ExactDecimal,
        maximum: ExactDecimal?, remaining: ExactDecimal?)
    /// An outcome payment: its rule's working, the caps that cut it, who pays and receives.
    case payment(PaymentFigures)
    /// A social impact bond's waterfall for the year.
    case waterfall(WaterfallFigures)
    /// A bond whose capital is in classes, for the year.
    case classWaterfall(ClassWaterfallFigures)
    /// A step read back from a statement: its words as written.
    case written(Words)

    /// A declared thing a step names: its id and its name.
    public struct Named: Sendable, Hashable {
        public let id: String
        public let name: LocalizedText
        public init(id: String, name: LocalizedText) {
            self.id = id
            self.name = name
        }
    }

    /// An amount with what it belongs to: a step's id, or a party's.
    public struct StepAmount: Sendable, Hashable {
        public let id: String
        public let amount: ExactDecimal
        public init(id: String, amount: ExactDecimal) {
            self.id = id
            self.amount = amount
        }
    }

    /// How a KPI's improvement is valued.
    public enum Valuation: Sendable, Hashable {
        case measuredOnly, perUnit, money
    }

    /// A negative year under the contract's policy; `lastYear` when the term ends with it.
    public struct NegativeYear: Sendable, Hashable {
        public let policy: NegativeImprovementPolicy
        public let lastYear: Bool
        public init(policy: NegativeImprovementPolicy, lastYear: Bool) {
            self.policy = policy
            self.lastYear = lastYear
        }
    }

    /// One party's part of a project's split (``StepFigures/allocation(_:)``).
    public struct Split: Sendable, Hashable {
        public let project: Named
        public let party: Named
        /// The party is the project's payer (it keeps its part).
        public let isPayer: Bool
        public let toSplitStep: String
        public let toSplit: ExactDecimal
        public let share: ExactDecimal
        /// The exact part, and the part in whole increments.
        public let exact: ExactDecimal
        public let part: ExactDecimal
        public let increment: ExactDecimal
        public let receivedRemainder: Bool
        /// A claw-back deducted (negative) or kept by the payer (positive).
        public let clawback: ExactDecimal?
        public let amount: ExactDecimal

        public init(
            project: Named, party: Named, isPayer: Bool, toSplitStep: String, toSplit: ExactDecimal,
            share: ExactDecimal, exact: ExactDecimal, part: ExactDecimal, increment: ExactDecimal,
            receivedRemainder: Bool, clawback: ExactDecimal?, amount: ExactDecimal
        ) {
            self.project = project
            self.party = party
            self.isPayer = isPayer
            self.toSplitStep = toSplitStep
            self.toSplit = toSplit
            self.share = share
            self.exact = exact
            self.part = part
            self.increment = increment
            self.receivedRemainder = receivedRemainder
            self.clawback = clawback
            self.amount = amount
        }
    }

    /// A step's words as a statement wrote them.
    public struct Words: Sendable, Hashable {
        public let description: String
        public let descriptionJA: String
        public let formula: String
        /// Nil in statements made before it was recorded.
        public let formulaJA: String?
        public init(description: String, descriptionJA: String, formula: String, formulaJA: String?) {
            self.description = description
            self.descriptionJA = descriptionJA
            self.formula = formula
            self.formulaJA = formulaJA
        }
    }
}

/// A fiscal year by its names: `FY2023` and `令和5年度`, as the contract labels its years.
public struct YearName: Sendable, Hashable {
    public let year: Int
    public let en: String
    public let ja: String
    public init(year: Int, en: String, ja: String) {
        self.year = year
        self.en = en
        self.ja = ja
    }
}

extension Contract {
    /// Fiscal year `year` by its names.
    public func names(of year: Int) -> YearName { YearName(year: year, en: yearName(year), ja: yearNameJA(year)) }
}

extension StepFigures {
    /// An outcome payment's step (``StepFigures/payment(_:)``).
    public struct PaymentFigures: Sendable, Hashable {
        public let payment: Named
        /// The rule's name as a settlement records it.
        public let rule: String
        public let payers: [Settlement.PartyAmount]
        public let payees: [Settlement.PartyAmount]
        public let working: PaymentWorking
        /// The caps and limits that cut the amount, in order.
        public let cuts: [LimitCut]
        public let amount: ExactDecimal
        public init(
            payment: Named, rule: String, payers: [Settlement.PartyAmount], payees: [Settlement.PartyAmount],
            working: PaymentWorking, cuts: [LimitCut], amount: ExactDecimal
        ) {
            self.payment = payment
            self.rule = rule
            self.payers = payers
            self.payees = payees
            self.working = working
            self.cuts = cuts
            self.amount = amount
        }
    }

    /// A cap or limit that cut a payment.
    public enum LimitCut: Sendable, Hashable {
        /// The payment's own cap.
        case ownCap(ExactDecimal)
        /// What was left (`allowed`) of the year's limit.
        case yearLimit(year: YearName, limit: ExactDecimal, allowed: ExactDecimal)
        /// What was left of the contract's maximum.
        case maximum(ExactDecimal, allowed: ExactDecimal)
        /// What was left of one payer's limit over the term.
        case payerLimit(party: String, limit: ExactDecimal, allowed: ExactDecimal)
    }

    /// How a payment's amount by rule was found: the measure worked out (a measure other
    /// than the actual value), the conditions checked, the rule applied.
    public struct PaymentWorking: Sendable, Hashable {
        public let measure: MeasuredOutcome?
        /// Nil when the payment has no conditions.
        public let conditions: ConditionsChecked?
        public let rule: RuleWorking
        public init(measure: MeasuredOutcome?, conditions: ConditionsChecked?, rule: RuleWorking) {
            self.measure = measure
            self.conditions = conditions
            self.rule = rule
        }
    }

    /// A payment's conditions as checked.
    public struct ConditionsChecked: Sendable, Hashable {
        public let hold: Bool
        public let results: [Settlement.ConditionResult]
        public init(hold: Bool, results: [Settlement.ConditionResult]) {
            self.hold = hold
            self.results = results
        }
    }

    /// A measure (an improvement, a relative improvement) a payment's rule was applied to.
    public struct MeasuredOutcome: Sendable, Hashable {
        public let measure: OutcomeMeasure
        public let working: MeasureWorking
        /// The value the rule compared, exact or cut below the exact ratio (`belowExact`),
        /// and the value as shown.
        public let value: ExactDecimal
        public let belowExact: Bool
        public let shown: ExactDecimal
        public init(
            measure: OutcomeMeasure, working: MeasureWorking, value: ExactDecimal, belowExact: Bool,
            shown: ExactDecimal
        ) {
            self.measure = measure
            self.working = working
            self.value = value
            self.belowExact = belowExact
            self.shown = shown
        }
    }

    /// A social impact bond's waterfall for the year (``StepFigures/waterfall(_:)``).
    public struct WaterfallFigures: Sendable, Hashable {
        public let intermediary: Named
        public let year: YearName
        public let received: ExactDecimal
        public let fee: ExactDecimal
        public let feeRate: ExactDecimal
        public let investors: [Settlement.InvestorFlow]
        public let residual: Named
        public let rest: ExactDecimal
        public init(
            intermediary: Named, year: YearName, received: ExactDecimal, fee: ExactDecimal, feeRate: ExactDecimal,
            investors: [Settlement.InvestorFlow], residual: Named, rest: ExactDecimal
        ) {
            self.intermediary = intermediary
            self.year = year
            self.received = received
            self.fee = fee
            self.feeRate = feeRate
            self.investors = investors
            self.residual = residual
            self.rest = rest
        }
    }

    /// A bond in classes for the year (``StepFigures/classWaterfall(_:)``).
    public struct ClassWaterfallFigures: Sendable, Hashable {
        public let intermediary: Named
        public let year: YearName
        public let received: ExactDecimal
        public let fee: ExactDecimal
        public let feeRate: ExactDecimal
        /// The performance as shown; nil when not measured.
        public let performance: String?
        public let classes: [ClassYear]
        public let residual: Named
        public let rest: ExactDecimal
        public init(
            intermediary: Named, year: YearName, received: ExactDecimal, fee: ExactDecimal, feeRate: ExactDecimal,
            performance: String?, classes: [ClassYear], residual: Named, rest: ExactDecimal
        ) {
            self.intermediary = intermediary
            self.year = year
            self.received = received
            self.fee = fee
            self.feeRate = feeRate
            self.performance = performance
            self.classes = classes
            self.residual = residual
            self.rest = rest
        }
    }

    /// One class's year in a bond's waterfall.
    public struct ClassYear: Sendable, Hashable {
        public let id: String
        public let rank: Int
        public let repayment: InvestorClass.Repayment
        /// The rate as shown; nil when the performance was not measured.
        public let rate: String?
        public let principal: ExactDecimal
        public let earned: ExactDecimal
        public let returnPaid: ExactDecimal
        public let principalPaid: ExactDecimal
        public let loss: ExactDecimal
        public init(
            id: String, rank: Int, repayment: InvestorClass.Repayment, rate: String?, principal: ExactDecimal,
            earned: ExactDecimal, returnPaid: ExactDecimal, principalPaid: ExactDecimal, loss: ExactDecimal
        ) {
            self.id = id
            self.rank = rank
            self.repayment = repayment
            self.rate = rate
            self.principal = principal
            self.earned = earned
            self.returnPaid = returnPaid
            self.principalPaid = principalPaid
            self.loss = loss
        }
    }
}
