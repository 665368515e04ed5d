/// What a payment rule pays across a range of outcomes, for a statement's chart: the rule
/// applied exactly (with the contract's rounding and the payment's own cap) at sample
/// outcomes, in ascending order. Two points at one outcome are a jump (a tier, a
/// threshold, a step reached there).
public struct PaymentCurve: Sendable, Hashable {
    /// One outcome and what the rule pays for it.
    public struct Point: Sendable, Hashable {
        public let outcome: ExactDecimal
        public let amount: ExactDecimal

        public init(outcome: ExactDecimal, amount: ExactDecimal) {
            self.outcome = outcome
            self.amount = amount
        }
    }

    /// The payment's id.
    public let payment: String
    public let points: [Point]
    /// The payment's own cap, drawn as a line.
    public let cap: ExactDecimal?
    /// Which way the outcome is better.
    public let direction: Direction
    /// The KPI's baseline (a blend's, for a weighted estimate): where a per-unit price starts.
    public let baseline: ExactDecimal
    /// The outcomes where the rule jumps or bends (tiers, thresholds, the band's marks).
    public let marks: [ExactDecimal]

    public init(
        payment: String, points: [Point], cap: ExactDecimal?, direction: Direction, baseline: ExactDecimal,
        marks: [ExactDecimal]
    ) {
        self.payment = payment
        self.points = points
        self.cap = cap
        self.direction = direction
        self.baseline = baseline
        self.marks = marks
    }
}
