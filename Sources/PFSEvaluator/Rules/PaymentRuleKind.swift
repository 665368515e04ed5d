import PFSModel

/// Everything the engine asks of a kind of payment rule. Each kind answers in its own file
/// of this folder; ``PaymentRule/kindRule`` is the one exhaustive switch from a declared rule
/// to its kind, so that a new kind is a new file the compiler asks for there and nowhere else.
public protocol PaymentRuleKind: Sendable {
    /// Its name as a settlement records it (`tiers`, `band (step table)`).
    var name: String { get }
    /// Its calculation rule's id under `payment/` in ``RuleVersions``.
    var version: String { get }
    /// What it reads besides its own figures.
    var inputs: Set<PaymentRuleInput> { get }
    /// Whether it may pay on a ratio such as a relative improvement: only rules that compare
    /// the outcome with marks may (a price per unit of a ratio means nothing).
    var comparesOnly: Bool { get }
    /// The amounts of money the contract declares for it, named for a message.
    func declaredAmounts(of payment: Payment) -> [DeclaredAmount]
    /// What it gives for an outcome, before caps, rounded once.
    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult
    /// Its amount as arithmetic over the outcome for the audit workbook's live formulas;
    /// nil where it cannot be written so.
    func expression(_ input: RuleExpressionInput) -> StepExpression?
    /// Where its amount jumps or bends, for its curve; nil when it has no curve over one
    /// outcome (a fixed amount, a sum per beneficiary, a rate card, a share of savings).
    func marks(baseline: ExactDecimal) -> [ExactDecimal]?
    /// The least and the most it can give whatever the outcome (nil: no most), before caps.
    var bounds: (least: ExactDecimal, most: ExactDecimal?) { get }
}

/// A kind whose amount depends on what the term paid before (an account's repayments, a
/// rate card's participants): settled from the term's state, and booked once the caps have
/// cut the amount.
protocol AccountKeepingRule: PaymentRuleKind {
    /// What it gives this year from the term's accounts; nil: what ``amount(_:)`` gives.
    func settle(
        _ payment: Payment, input: RuleInput, conditionsHold: Bool, in contract: Contract, state: inout TermState
    ) throws(EvaluationError) -> SettledRule?
    /// Books `paid` (after caps) to the accounts, completing the record.
    func book(
        _ paid: ExactDecimal, _ settled: inout SettledRule, payment: Payment, state: inout TermState
    ) throws(EvaluationError)
}

/// What settling a rule gave: its result and the records of the accounts it keeps.
struct SettledRule {
    var result: RuleResult
    /// A share of savings against its repayment mark.
    var repayment: Settlement.Repayment? = nil
    /// What a rate card gave.
    var rateCard: Settlement.RateCardResult? = nil
}

/// What a payment rule reads besides its own figures.
public enum PaymentRuleInput: String, Sendable, Hashable, CaseIterable {
    /// The measured outcome of its KPI (or blend of estimates) for the year.
    case outcome
    /// The KPI's value per beneficiary.
    case beneficiaries
    /// A rate card's records of achievements, and what each participant was paid before.
    case rateCardRecords
    /// What the payments of a repayment account have repaid before.
    case accountRepaid
}

/// An amount of money a contract declares for a rule, with what it is for a message.
public struct DeclaredAmount: Sendable, Hashable {
    /// What it is: `the price per unit`, `a tier amount`.
    public let what: String
    public let amount: ExactDecimal
    public let location: SourceLocation
}

/// What a rule is applied to.
public struct RuleInput: Sendable {
    /// The measured value (ignored by rules that need no outcome).
    public let outcome: ExactDecimal
    /// Which way is better.
    public let direction: Direction
    /// The KPI's baseline value (the default per-unit baseline).
    public let kpiBaseline: ExactDecimal
    /// The contract's rounding, applied once.
    public let rounding: RoundingRule
    /// Each beneficiary's value, for a rule per beneficiary.
    public let beneficiaries: [ExactDecimal]
    /// `outcome` is an exact ratio cut off a little below its value (a relative improvement
    /// such as 1 ÷ 3, higher being better): it then reaches a mark it equals.
    public let outcomeBelowExact: Bool

    /// Whether `value` is at or better than `mark` (strictly better when not inclusive).
    func reaches(_ value: ExactDecimal, _ mark: ExactDecimal, inclusive: Bool = true) -> Bool {
        if outcomeBelowExact, value == mark { return true }
        let better = direction == .higherIsBetter ? value > mark : value < mark
        return better || (inclusive && value == mark)
    }

    /// The comparison sign of reaching a mark in this direction.
    func comparison(inclusive: Bool) -> String {
        direction == .higherIsBetter ? (inclusive ? "≥" : ">") : (inclusive ? "≤" : "<")
    }

    /// The units better than `baseline`, never below zero.
    func unitsBetter(than baseline: ExactDecimal) throws(ArithmeticError) -> UnitsBetter {
        let gain = direction == .higherIsBetter ? try outcome.subtracting(baseline) : try baseline.subtracting(outcome)
        return UnitsBetter(
            outcome: outcome, baseline: baseline, direction: direction, units: gain.signum > 0 ? gain : .zero)
    }
}

/// What a rule's expression is written over.
public struct RuleExpressionInput: Sendable {
    /// The outcome as arithmetic over its readings, with the KPI's direction and baseline
    /// the rule was applied with.
    public struct Measured: Sendable {
        public let outcome: StepExpression
        public let direction: Direction
        public let baseline: ExactDecimal

        /// `then` when the outcome reaches `mark`, else `otherwise`.
        func reaching(
            _ mark: ExactDecimal, inclusive: Bool, then: StepExpression, otherwise: StepExpression
        ) -> StepExpression {
            .reaching(
                value: outcome, mark: .number(mark), direction: direction, inclusive: inclusive, then: then,
                otherwise: otherwise)
        }
    }

    /// The measured outcome; nil when the rule read none (or its readings are not cells).
    public let measured: Measured?
    /// Each beneficiary's value.
    public let beneficiaries: [ExactDecimal]
    public let rounding: RoundingRule

    /// `value` rounded once by the contract's rule.
    func round(_ value: StepExpression) -> StepExpression {
        .rounded(value, increment: rounding.increment, mode: rounding.mode)
    }
}

/// A most an amount is held to: a payment's own cap, or what is left of its year's limit or
/// of the contract's maximum. The one place a cap cuts: settled amounts, their step
/// expressions, curve points and budget envelopes all go through it.
public struct AmountLimit: Sendable, Hashable {
    /// The most.
    public let most: ExactDecimal

    public init(_ most: ExactDecimal) { self.most = most }

    /// `amount`, held to the limit.
    public func holding(_ amount: ExactDecimal) -> ExactDecimal { min(amount, most) }
    /// An open-ended most (nil) becomes the limit; a closed one is held to it.
    public func holding(most other: ExactDecimal?) -> ExactDecimal { other.map(holding) ?? most }
    /// The expression of an amount, held to the limit.
    func holding(_ expression: StepExpression) -> StepExpression { .smaller(expression, .number(most)) }
}

extension Payment {
    /// The payment's own cap as a limit, if it has one.
    public var ownCap: AmountLimit? { cap.map(AmountLimit.init) }
}

/// What a payment rule gives for an outcome, before caps, and how (its figures).
public struct RuleResult: Sendable, Hashable {
    /// The amount, rounded once by the contract's rule.
    public let amount: ExactDecimal
    /// How the rule reached it.
    public let working: RuleWorking

    init(_ amount: ExactDecimal, _ working: RuleWorking) {
        self.amount = amount
        self.working = working
    }
}

extension PaymentRule {
    /// The rule's kind: the one place a declared rule meets the code that applies it.
    public var kindRule: any PaymentRuleKind {
        switch self {
        case .fixed(let amount): return FixedAmount(amount: amount)
        case .perUnit(let price, let baseline): return PerUnit(price: price, baseline: baseline)
        case .perUnitBeyond(let price, let baseline, let threshold, let pays):
            return PerUnitBeyondThreshold(price: price, baseline: baseline, threshold: threshold, pays: pays)
        case .savingsShare(let share): return ShareOfSavings(share: share)
        case .rateCard(let card): return RateCardRule(card: card)
        case .perBeneficiary(let price, let cap): return PerBeneficiary(price: price, capPerBeneficiary: cap)
        case .band(let startAt, let fullAt, let amount, let steps):
            return Band(startAt: startAt, fullAt: fullAt, amount: amount, steps: steps)
        case .proportional(let target, let amount): return Proportional(target: target, amount: amount)
        case .tiers(let reference, let tiers): return Tiers(reference: reference, tiers: tiers)
        case .threshold(let at, let inclusive, let amount): return Threshold(at: at, inclusive: inclusive, amount: amount)
        }
    }

    /// The rule's name as a settlement records it.
    public var kind: String { kindRule.name }

    /// The rule's name in Japanese.
    public var kindJA: String { Self.kindJA(of: kind) }

    /// Whether the rule needs a measured outcome.
    public var needsOutcome: Bool { kindRule.inputs.contains(.outcome) }

    /// Applies the rule alone (a rate card without its records, a share of savings for an
    /// account that has repaid nothing): see ``RuleInput``.
    public func evaluate(
        outcome: ExactDecimal, direction: Direction, kpiBaseline: ExactDecimal,
        rounding: RoundingRule, beneficiaries: [ExactDecimal] = [], outcomeBelowExact: Bool = false
    ) throws(ArithmeticError) -> RuleResult {
        try kindRule.amount(
            RuleInput(
                outcome: outcome, direction: direction, kpiBaseline: kpiBaseline, rounding: rounding,
                beneficiaries: beneficiaries, outcomeBelowExact: outcomeBelowExact))
    }
}
