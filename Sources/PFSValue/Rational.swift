import BigInt
import PFSModel

/// An exact fraction of arbitrary size: present values and rates of return are computed on
/// these, never on floating point, and shown to a declared precision only at the end.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Lowest terms; the denominator is positive.
    public let numerator: BigInt
    public let denominator: BigInt

    /// `numerator ÷ denominator` in lowest terms; nil when the denominator is zero.
    public init?(_ numerator: BigInt, _ denominator: BigInt) {
        guard denominator != 0 else { return nil }
        let divisor = numerator.greatestCommonDivisor(with: denominator)
        let sign: BigInt = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    private init(lowest numerator: BigInt, _ denominator: BigInt) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public init(_ integer: Int) { self.init(lowest: BigInt(integer), 1) }

    /// A decimal exactly.
    public init(_ decimal: ExactDecimal) {
        // A scale is at most ExactDecimal.maxScale: 10^scale is small.
        self.init(BigInt(decimal.significand), BigInt(10).power(decimal.scale))!
    }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var signum: Int { numerator == 0 ? 0 : (numerator < 0 ? -1 : 1) }

    public static func + (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)!
    }

    public static func - (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)!
    }

    public static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)!
    }

    /// `a ÷ b`; nil when `b` is zero.
    public static func / (a: Rational, b: Rational) -> Rational? {
        Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }

    public static prefix func - (a: Rational) -> Rational { Rational(lowest: -a.numerator, a.denominator) }

    /// `self` to a whole power (a negative power of zero is nil).
    public func power(_ exponent: Int) -> Rational? {
        if exponent >= 0 {
            return Rational(lowest: numerator.power(exponent), denominator.power(exponent))
        }
        return Rational(denominator.power(-exponent), numerator.power(-exponent))
    }

    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// The value to `digits` decimal places, half away from zero (as a spreadsheet shows a
    /// number, so that a workbook's formulas show the same figure), as text: `≈` before it
    /// where that is not the exact value. 0.1 stays `0.1`; 1 ÷ 3 to 4 places is `≈0.3333`.
    public func shown(digits: Int) -> String {
        let scaled = numerator * BigInt(10).power(digits)
        var (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: denominator)
        // Round half away from zero on the magnitude; the quotient truncates toward zero.
        let twice = remainder.magnitude * 2
        if twice >= denominator.magnitude {
            quotient += scaled < 0 ? -1 : 1
        }
        let exact = remainder == 0
        let negative = quotient < 0
        var text = String(quotient.magnitude)
        if digits > 0 {
            if text.count <= digits { text = String(repeating: "0", count: digits - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return (exact ? "" : "≈") + (negative && text != "0" ? "-" : "") + text
    }

    /// The value to `digits` decimal places, half away from zero, and whether that is exact.
    public func rounded(digits: Int) -> (value: ExactDecimal, exact: Bool)? {
        let text = shown(digits: digits)
        let exact = !text.hasPrefix("≈")
        guard let value = ExactDecimal(plain: exact ? text : String(text.dropFirst())) else { return nil }
        return (value, exact)
    }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}
