/// How a value is brought to a multiple of the rounding increment. The names say which
/// way each mode goes for negative values too, since claw-backs and refunds are negative.
public enum RoundingMode: String, Sendable, Codable, CaseIterable {
    /// Toward zero (truncation): 2.7 → 2, −2.7 → −2.
    case down = "down"
    /// Away from zero: 2.1 → 3, −2.1 → −3.
    case up = "up"
    /// To the nearest; a tie goes away from zero: 2.5 → 3, −2.5 → −3 (四捨五入).
    case halfUp = "half-up"
    /// To the nearest; a tie goes to the even multiple: 2.5 → 2, 3.5 → 4 (banker's rounding).
    case halfEven = "half-even"
}

/// The rounding a contract declares: a positive increment in the contract's amount
/// unit, and a mode.
public struct RoundingRule: Sendable, Hashable, Codable {
    /// The multiple results are rounded to, e.g. 1 (one unit) or 1000.
    public let increment: ExactDecimal
    /// The direction ties and fractions go.
    public let mode: RoundingMode

    /// Creates a rule; `increment` must be positive.
    public init(increment: ExactDecimal, mode: RoundingMode) {
        self.increment = increment
        self.mode = mode
    }

    /// Rounds `value` to a multiple of ``increment``, returning that multiple as a count
    /// of increments.
    public func roundedCount(_ value: ExactDecimal) throws(ArithmeticError) -> Int128 {
        let (quotient, remainder) = try value.truncatingQuotient(dividingBy: increment)
        guard remainder.signum != 0 else { return quotient }
        let awayFromZero: Int128 = value.signum < 0 ? -1 : 1
        switch mode {
        case .down:
            return quotient
        case .up:
            return quotient + awayFromZero
        case .halfUp, .halfEven:
            let twiceRemainder = try remainder.multiplied(by: ExactDecimal(2))
            let magnitude = twiceRemainder.signum < 0 ? twiceRemainder.negated() : twiceRemainder
            if magnitude > increment { return quotient + awayFromZero }
            if magnitude < increment { return quotient }
            if mode == .halfUp { return quotient + awayFromZero }
            return quotient % 2 == 0 ? quotient : quotient + awayFromZero
        }
    }

    /// Rounds `value` to a multiple of ``increment``.
    public func rounded(_ value: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        try ExactDecimal.multiple(try roundedCount(value), of: increment)
    }
}
