import BigInt
import PFSModel

/// Amounts of money by year, from one party's side: what it pays out is negative, what it
/// receives positive. Year 0 is the base year the others are discounted to.
public struct CashFlows: Sendable, Hashable {
    public let amounts: [Int: ExactDecimal]

    public init(_ amounts: [Int: ExactDecimal]) { self.amounts = amounts }

    /// The plain sum, undiscounted.
    public var total: Rational { amounts.values.reduce(Rational.zero) { $0 + Rational($1) } }

    /// The flows' worth in year 0 under `schedule`: each year's amount times its factor.
    public func presentValue(_ schedule: DiscountSchedule) -> Rational {
        amounts.reduce(Rational.zero) { $0 + Rational($1.value) * schedule.factor(year: $1.key) }
    }

    /// The flows' worth in year 0 at one rate for every year, a fraction (nil at −100%).
    public func presentValue(atRate rate: Rational) -> Rational? {
        var value = Rational.zero
        for (year, amount) in amounts {
            guard let factor = (Rational.one + rate).power(-year) else { return nil }
            value = value + Rational(amount) * factor
        }
        return value
    }

    /// What came back for each unit put in: received ÷ paid out (nil when nothing was paid out).
    public var multiple: Rational? {
        let paid = amounts.values.filter { $0.signum < 0 }.reduce(Rational.zero) { $0 - Rational($1) }
        let received = amounts.values.filter { $0.signum > 0 }.reduce(Rational.zero) { $0 + Rational($1) }
        return received / paid
    }

    /// The rate that makes the flows' present value zero, found by bisection on exact
    /// fractions to `digits` decimal places — or why there is no one such rate.
    public func internalRateOfReturn(digits: Int) -> ReturnRate {
        guard let polynomial = Polynomial(self) else { return .noRoot }
        switch polynomial.positiveRoots() {
        case 0: return .noRoot
        case 1: break
        case let count: return .severalRoots(count)
        }
        // The one root x = 1 + rate lies in (0, bound): bisect until the interval is far
        // narrower than the precision shown, then take its middle.
        var low = Rational.zero
        var high = polynomial.rootBound
        // At x = 0 the polynomial is its last coefficient (the last year's amount, not zero).
        let lowSign = polynomial.sign(at: .zero)
        // A root the present value touches without crossing zero: no bracket holds it.
        guard polynomial.sign(at: high) != lowSign else { return .touchesZero }
        let width = Rational(1, BigInt(10).power(digits + 4))!
        while width < high - low {
            let middle = ((low + high) / Rational(2))!
            let sign = polynomial.sign(at: middle)
            if sign == 0 { return .exact(middle - Rational.one) }
            if sign == lowSign { low = middle } else { high = middle }
        }
        let rate = ((low + high) / Rational(2))! - Rational.one
        // A rate that is a decimal of `digits` places and a root is given exactly.
        if let shown = ExactDecimal(plain: rate.shown(digits: digits).replacingOccurrences(of: "≈", with: "")),
            polynomial.sign(at: Rational(shown) + Rational.one) == 0
        {
            return .exact(Rational(shown))
        }
        return .approximately(rate)
    }
}

/// The internal rate of return of some cash flows.
public enum ReturnRate: Sendable, Hashable {
    /// The rate, exactly.
    case exact(Rational)
    /// The rate to the precision asked (the exact one is not a decimal of that many places).
    case approximately(Rational)
    /// No rate makes the present value zero (the flows never change sign, say).
    case noRoot
    /// Several rates do: no one of them is the rate of return.
    case severalRoots(Int)
    /// The present value reaches zero at one rate but does not change sign there.
    case touchesZero
}

/// The flows' present value as a polynomial in x = 1 + rate, times x^n (n the last year):
/// Σ amount(t) · x^(n − t), whose roots x > 0 are the rates above −100%.
struct Polynomial {
    /// Coefficients, the highest power first; integers (the amounts scaled to one denominator).
    let coefficients: [BigInt]

    init?(_ flows: CashFlows) {
        let years = flows.amounts.filter { $0.value.signum != 0 }.keys
        guard let first = years.min(), let last = years.max() else { return nil }
        let scale = flows.amounts.values.map(\.scale).max() ?? 0
        var coefficients: [BigInt] = []
        for year in first...last {
            let amount = flows.amounts[year] ?? .zero
            coefficients.append(BigInt(amount.significand) * BigInt(10).power(scale - amount.scale))
        }
        self.coefficients = coefficients
    }

    private init(coefficients: [BigInt]) { self.coefficients = coefficients }

    func sign(at x: Rational) -> Int {
        // Horner's rule on fractions.
        var value = Rational.zero
        for coefficient in coefficients { value = value * x + Rational(coefficient, 1)! }
        return value.signum
    }

    /// Every root is below 1 + max |a_i ÷ a_0| (Cauchy's bound).
    var rootBound: Rational {
        let lead = coefficients[0].magnitude
        let largest = coefficients.dropFirst().map(\.magnitude).max() ?? 0
        return Rational.one + Rational(BigInt(largest), BigInt(lead))!
    }

    /// The number of distinct roots x > 0, by Sturm's theorem (the polynomial's value at 0
    /// is its last coefficient, never zero: the last year's amount is not zero).
    func positiveRoots() -> Int {
        guard coefficients.count > 1 else { return 0 }
        let sequence = sturm()
        func sign(_ value: BigInt) -> Int { value < 0 ? -1 : (value == 0 ? 0 : 1) }
        let atZero = sequence.compactMap { $0.coefficients.last.map(sign) }.filter { $0 != 0 }
        let atInfinity = sequence.compactMap { $0.coefficients.first.map(sign) }.filter { $0 != 0 }
        return variations(atZero) - variations(atInfinity)
    }

    private func variations(_ signs: [Int]) -> Int { zip(signs, signs.dropFirst()).filter { $0 != $1 }.count }

    /// P, P′, then each the negated remainder of the two before, until a constant.
    private func sturm() -> [Polynomial] {
        var sequence = [self, derivative]
        while let last = sequence.last, last.coefficients.count > 1 {
            let remainder = sequence[sequence.count - 2].remainder(dividingBy: last)
            guard !remainder.coefficients.allSatisfy({ $0 == 0 }) else { break }
            sequence.append(Polynomial(coefficients: remainder.coefficients.map { -$0 }))
        }
        return sequence
    }

    private var derivative: Polynomial {
        let degree = coefficients.count - 1
        return Polynomial(
            coefficients: coefficients.dropLast().enumerated().map { index, value in value * BigInt(degree - index) })
    }

    /// The remainder of self ÷ divisor, scaled by a positive factor to stay in integers (a
    /// positive factor keeps every sign Sturm's theorem counts).
    private func remainder(dividingBy divisor: Polynomial) -> Polynomial {
        var rest = coefficients
        let lead = divisor.coefficients[0]
        let scale: BigInt = lead < 0 ? -lead : lead
        let sign: BigInt = lead < 0 ? -1 : 1
        while rest.count >= divisor.coefficients.count {
            let head = rest[0]
            // rest · |lead| − head · sign · divisor · x^k, which removes the leading term.
            rest = rest.map { $0 * scale }
            for (index, coefficient) in divisor.coefficients.enumerated() {
                rest[index] -= head * sign * coefficient
            }
            rest.removeFirst()
            let divisor = rest.reduce(BigInt(0)) { $0.greatestCommonDivisor(with: $1) }
            if divisor > 1 { rest = rest.map { $0 / divisor } }
        }
        while rest.count > 1, rest[0] == 0 { rest.removeFirst() }
        return Polynomial(coefficients: rest.isEmpty ? [0] : rest)
    }
}
