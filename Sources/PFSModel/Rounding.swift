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

    /// The mode's Japanese name, for formulas a Japanese reader sees.
    public var nameJA: String {
        switch self {
        case .down: return "切り捨て"
        case .up: return "切り上げ"
        case .halfUp: return "四捨五入"
        case .halfEven: return "偶数丸め"
        }
    }
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
        try roundedCount(value, dividedBy: .one)
    }

    /// Rounds `numerator ÷ denominator` (denominator non-zero) to a multiple of
    /// ``increment`` exactly, without first forming the quotient, which may not be a
    /// finite decimal; returns the multiple as a count of increments.
    public func roundedCount(
        _ numerator: ExactDecimal, dividedBy denominator: ExactDecimal
    ) throws(ArithmeticError) -> Int128 {
        guard denominator.signum != 0 else { throw .invalidDivisor }
        // numerator ÷ (denominator × increment), with the sign carried by the numerator.
        var divisor = try denominator.multiplied(by: increment)
        var dividend = numerator
        if divisor.signum < 0 { divisor = divisor.negated(); dividend = dividend.negated() }
        let (quotient, remainder) = try dividend.truncatingQuotient(dividingBy: divisor)
        guard remainder.signum != 0 else { return quotient }
        let awayFromZero: Int128 = dividend.signum < 0 ? -1 : 1
        switch mode {
        case .down:
            return quotient
        case .up:
            return quotient + awayFromZero
        case .halfUp, .halfEven:
            let twiceRemainder = try remainder.multiplied(by: ExactDecimal(2))
            let magnitude = twiceRemainder.magnitude
            if magnitude > divisor { return quotient + awayFromZero }
            if magnitude < divisor { return quotient }
            if mode == .halfUp { return quotient + awayFromZero }
            return quotient % 2 == 0 ? quotient : quotient + awayFromZero
        }
    }

    /// Rounds `value` to a multiple of ``increment``.
    public func rounded(_ value: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        try ExactDecimal.multiple(try roundedCount(value), of: increment)
    }

    /// Rounds `numerator ÷ denominator` to a multiple of ``increment``, exactly.
    public func rounded(
        _ numerator: ExactDecimal, dividedBy denominator: ExactDecimal
    ) throws(ArithmeticError) -> ExactDecimal {
        try ExactDecimal.multiple(try roundedCount(numerator, dividedBy: denominator), of: increment)
    }
}
