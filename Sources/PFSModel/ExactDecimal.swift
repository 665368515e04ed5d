/// An exact decimal number: `significand × 10^-scale`.
///
/// Money and ratios are held this way so that no binary fraction ever enters a
/// computation. Every operation that could overflow throws ``ArithmeticError`` instead of
/// wrapping or losing digits.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The integer digits.
    public let significand: Int128
    /// The number of digits after the decimal point (0 ... ``maxScale``).
    public let scale: Int

    /// The most fractional digits a value may carry.
    public static let maxScale = 30

    /// Zero.
    public static let zero = ExactDecimal(significand: 0, scale: 0)
    /// One.
    public static let one = ExactDecimal(significand: 1, scale: 0)

    /// Creates `significand × 10^-scale`. `scale` must be within 0 ... ``maxScale``.
    public init(significand: Int128, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "scale out of range")
        self.significand = significand
        self.scale = scale
    }

    /// Creates an integer value.
    public init(_ integer: Int) {
        self.init(significand: Int128(integer), scale: 0)
    }

    // MARK: Parsing

    /// Parses a plain decimal strictly: an optional `-`, one or more ASCII digits, and
    /// optionally `.` followed by one or more digits. Anything else — `+`, spaces,
    /// thousands separators, exponents, `NaN`, non-ASCII digits — is rejected with the
    /// reason, never read as a prefix.
    /// A plain decimal's value, or nil: for text pfs wrote itself or has checked already.
    public init?(plain text: String) {
        guard case .success(let value) = Self.parse(text) else { return nil }
        self = value
    }

    public static func parse(_ text: String) -> Result<ExactDecimal, DecimalSyntaxError> {
        var bytes = Substring(text).utf8
        guard !bytes.isEmpty else { return .failure(.empty) }
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var significand: Int128 = 0
        var scale = 0
        var digitsBeforePoint = 0
        var sawPoint = false
        var significantDigits = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int128(byte - UInt8(ascii: "0"))
                if significand != 0 || digit != 0 { significantDigits += 1 }
                guard significantDigits <= maxSignificantDigits else {
                    return .failure(.tooManyDigits)
                }
                significand = significand * 10 + digit
                if sawPoint { scale += 1 } else { digitsBeforePoint += 1 }
                guard scale <= maxScale else { return .failure(.tooManyDigits) }
            case UInt8(ascii: "."):
                guard !sawPoint, digitsBeforePoint > 0 else {
                    // `12.345.678,9`: points grouping thousands before a decimal comma.
                    return .failure(text.contains(",") ? DecimalSyntaxError.comma(in: text) : .misplacedPoint)
                }
                sawPoint = true
            case UInt8(ascii: ","):
                return .failure(DecimalSyntaxError.comma(in: text))
            case UInt8(ascii: "_"), UInt8(ascii: " "):
                return .failure(.separator)
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                return digitsBeforePoint > 0 ? .failure(.exponent) : .failure(.notANumber)
            default:
                return .failure(.notANumber)
            }
        }
        guard digitsBeforePoint > 0 else { return .failure(.notANumber) }
        guard !sawPoint || scale > 0 else { return .failure(.misplacedPoint) }
        // `-0` is zero written as if it were owed the other way: a slip, never an amount.
        guard !(negative && significand == 0) else { return .failure(.negativeZero) }
        return .success(ExactDecimal(significand: negative ? -significand : significand, scale: scale))
    }

    /// Values read from input carry at most this many significant digits, so that the
    /// products a settlement forms stay far inside `Int128`.
    public static let maxSignificantDigits = 24

    // MARK: Arithmetic (checked)

    /// `self + other`, exact.
    public func adding(_ other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        let (a, b, s) = try Self.aligned(self, other)
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .overflow }
        return ExactDecimal(significand: sum, scale: s).normalized()
    }

    /// `self − other`, exact.
    public func subtracting(_ other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        try adding(other.negated())
    }

    /// `self × other`, exact.
    public func multiplied(by other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        let (product, overflow) = significand.multipliedReportingOverflow(by: other.significand)
        guard !overflow else { throw .overflow }
        var s = scale + other.scale
        var p = product
        // Trailing zeros carry no information; dropping them keeps the scale small.
        while s > 0, p % 10 == 0 { p /= 10; s -= 1 }
        guard s <= Self.maxScale else { throw .precisionLoss }
        return ExactDecimal(significand: p, scale: s)
    }

    /// `-self`.
    public func negated() -> ExactDecimal {
        ExactDecimal(significand: -significand, scale: scale)
    }

    /// `30%` for 0.3, `7.5%` for 0.075: a ratio as a statement shows it.
    public var percent: String {
        guard let hundredfold = try? multiplied(by: ExactDecimal(100)).normalized() else { return description }
        return hundredfold.formatted(groupingSeparator: ",") + "%"
    }

    /// The value without its sign: a shortfall said as a size, never with a minus.
    public var magnitude: ExactDecimal { signum < 0 ? negated() : self }

    /// The sign: -1, 0 or 1.
    public var signum: Int { significand == 0 ? 0 : (significand < 0 ? -1 : 1) }

    /// The same value with no trailing fractional zeros.
    public func normalized() -> ExactDecimal {
        var s = scale
        var p = significand
        while s > 0, p % 10 == 0 { p /= 10; s -= 1 }
        return ExactDecimal(significand: p, scale: s)
    }

    /// Sum of values, exact.
    public static func sum<S: Sequence>(_ values: S) throws(ArithmeticError) -> ExactDecimal
    where S.Element == ExactDecimal {
        var total = ExactDecimal.zero
        for value in values { total = try total.adding(value) }
        return total
    }

    /// Divides by a positive `step` and returns the quotient truncated toward zero, and
    /// the remainder (same sign as `self`): `self = quotient × step + remainder`.
    public func truncatingQuotient(
        dividingBy step: ExactDecimal
    ) throws(ArithmeticError) -> (quotient: Int128, remainder: ExactDecimal) {
        // Reachable from contract values (a zero precision, say): an error, never a trap.
        guard step.significand > 0 else { throw .invalidDivisor }
        let (a, b, s) = try Self.aligned(self, step)
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return (q, ExactDecimal(significand: r, scale: s).normalized())
    }

    /// `Int128 × step`, exact.
    public static func multiple(_ count: Int128, of step: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        try ExactDecimal(significand: count, scale: 0).multiplied(by: step)
    }

    private static func aligned(_ x: ExactDecimal, _ y: ExactDecimal) throws(ArithmeticError) -> (Int128, Int128, Int) {
        let s = max(x.scale, y.scale)
        return (try x.significand(atScale: s), try y.significand(atScale: s), s)
    }

    private func significand(atScale target: Int) throws(ArithmeticError) -> Int128 {
        var p = significand
        for _ in scale..<target {
            let (next, overflow) = p.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw .overflow }
            p = next
        }
        return p
    }

    // MARK: Comparison

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        lhs.compare(rhs) < 0
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        lhs.compare(rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized()
        hasher.combine(n.significand)
        hasher.combine(n.scale)
    }

    private func compare(_ other: ExactDecimal) -> Int {
        if signum != other.signum { return signum < other.signum ? -1 : 1 }
        // Same sign: compare the difference without overflow by normalising and widening.
        let a = normalized(), b = other.normalized()
        if a.scale == b.scale { return a.significand == b.significand ? 0 : (a.significand < b.significand ? -1 : 1) }
        if let difference = try? a.subtracting(b) { return difference.signum }
        // Only reachable near Int128's limits: compare integer parts, then fractions.
        let (ai, af) = a.splitIntegerAndFraction(), (bi, bf) = b.splitIntegerAndFraction()
        if ai != bi { return ai < bi ? -1 : 1 }
        return af.compare(bf)
    }

    private func splitIntegerAndFraction() -> (Int128, ExactDecimal) {
        var divisor: Int128 = 1
        for _ in 0..<scale { divisor *= 10 }
        let (q, r) = significand.quotientAndRemainder(dividingBy: divisor)
        return (q, ExactDecimal(significand: r, scale: scale))
    }

    // MARK: Text

    /// Plain decimal notation, e.g. `-1234.5`; never an exponent.
    public var description: String { withPlainBytes { String(decoding: $0, as: UTF8.self) } }

    /// The value with as many decimals as it was written with (77.0 stays 77.0; 0.60 stays
    /// 0.60), as a plan's table prints it; `groupingSeparator` between groups of three.
    public func asWritten(groupingSeparator: Character? = nil) -> String {
        formatted(groupingSeparator: groupingSeparator, minimumFractionDigits: scale)
    }

    /// Decimal notation with at least `minimumFractionDigits` digits after the point
    /// and, if given, a separator between groups of three integer digits: ``description``
    /// laid out for reading.
    public func formatted(groupingSeparator: Character? = nil, minimumFractionDigits: Int = 0) -> String {
        let plain = description
        guard groupingSeparator != nil || minimumFractionDigits > 0 else { return plain }
        let negative = plain.hasPrefix("-")
        let parts = plain.dropFirst(negative ? 1 : 0).split(
            separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var integerPart = String(parts[0])
        var fractionPart = parts.count > 1 ? String(parts[1]) : ""
        fractionPart += String(repeating: "0", count: max(0, minimumFractionDigits - fractionPart.count))
        if let separator = groupingSeparator {
            var grouped = ""
            for (index, character) in integerPart.enumerated() {
                if index > 0, (integerPart.count - index) % 3 == 0 { grouped.append(separator) }
                grouped.append(character)
            }
            integerPart = grouped
        }
        return (negative ? "-" : "") + integerPart + (fractionPart.isEmpty ? "" : "." + fractionPart)
    }

    /// Calls `body` with ``description``'s ASCII bytes, made without a String or an array
    /// (statements print tens of thousands of amounts).
    public func withPlainBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var significand = significand
        var scale = scale
        while scale > 0, significand % 10 == 0 { significand /= 10; scale -= 1 }
        // A sign, at most 39 digits, a point and a leading zero fit in 48 bytes.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { text in
            // The digits are filled in from the end. Almost every value fits in 64 bits,
            // whose division is far cheaper than 128-bit division.
            var start = text.count
            var magnitude = significand.magnitude
            func prepend(_ byte: UInt8) {
                start -= 1
                text[start] = byte
            }
            var digitCount = 0
            while magnitude > UInt128(UInt64.max) {
                let (quotient, digit) = magnitude.quotientAndRemainder(dividingBy: 10)
                prepend(UInt8(ascii: "0") + UInt8(digit))
                digitCount += 1
                if digitCount == scale { prepend(UInt8(ascii: ".")) }
                magnitude = quotient
            }
            var small = UInt64(magnitude)
            repeat {
                prepend(UInt8(ascii: "0") + UInt8(small % 10))
                digitCount += 1
                if digitCount == scale { prepend(UInt8(ascii: ".")) }
                small /= 10
            } while small > 0
            if digitCount <= scale {
                // 0.000123: zeros up to the point, the point, then a zero before it.
                while digitCount < scale {
                    prepend(UInt8(ascii: "0"))
                    digitCount += 1
                    if digitCount == scale { prepend(UInt8(ascii: ".")) }
                }
                prepend(UInt8(ascii: "0"))
            }
            if significand < 0 { prepend(UInt8(ascii: "-")) }
            return body(UnsafeBufferPointer(rebasing: text[start...]))
        }
    }
}

/// Why a text is not a decimal; each case carries advice for the person editing the file.
public enum DecimalSyntaxError: Error, Sendable, Equatable {
    case empty
    case separator
    case exponent
    case misplacedPoint
    case tooManyDigits
    case notANumber
    /// Zero with a minus sign (`-0`, `-0.00`).
    case negativeZero
    /// A comma used as the decimal point (`0,4`); carries the value written with a point.
    case decimalComma(String)

    /// A comma is a decimal comma when it is the only one, there is no point, and it is not
    /// followed by exactly three digits (`0,4`, `12,75`); otherwise a thousands separator.
    static func comma(in text: String) -> DecimalSyntaxError {
        // `1.000,5`: points group thousands and the comma is the decimal point.
        let commaParts = text.split(separator: ",", omittingEmptySubsequences: false)
        if commaParts.count == 2, text.contains("."), let whole = commaParts.first, let fraction = commaParts.last,
            !fraction.isEmpty,
            fraction.allSatisfy({ $0.isASCII && $0.isNumber })
        {
            let groups = whole.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
            if groups.count > 1, groups.dropFirst().allSatisfy({ $0.count == 3 }),
                groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
            {
                return .decimalComma(whole.filter { $0 != "." } + "." + fraction)
            }
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, !text.contains("."), let before = parts.first, let after = parts.last,
            !after.isEmpty, after.allSatisfy({ $0.isASCII && $0.isNumber }),
            after.count != 3 || before == "0" || before == "-0"
        else { return .separator }
        return .decimalComma(before + "." + after)
    }

    /// What is wrong and how to write it instead.
    public var explanation: String {
        switch self {
        case .empty: return "the value is empty"
        case .decimalComma(let value): return "write the decimal point as '.', not ',': \(value)"
        case .separator: return "thousands separators and spaces are not allowed; write 1000, not 1,000"
        case .exponent: return "exponents are not allowed; write the digits out, e.g. 1000, not 1e3"
        case .misplacedPoint: return "a decimal point needs digits on both sides, e.g. 0.5"
        case .tooManyDigits:
            return
                """
                more than \(ExactDecimal.maxSignificantDigits) significant digits or \(ExactDecimal.maxScale) \
                decimal places cannot be represented exactly
                """
        case .notANumber:
            return "write an optional '-', ASCII digits and an optional '.' with more digits, e.g. -1234.5"
        case .negativeZero: return "zero has no sign: write 0"
        }
    }
}

/// An arithmetic result that cannot be represented exactly.
public enum ArithmeticError: Error, Sendable, Equatable {
    /// The result exceeds the range of exact values.
    case overflow
    /// The result needs more decimal places than can be kept.
    case precisionLoss
    /// Division by zero, or rounding to a step that is not positive.
    case invalidDivisor
}

extension ExactDecimal: Codable {
    /// Encoded as a JSON string in plain decimal notation, so no reader turns it into a float.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch ExactDecimal.parse(text) {
        case .success(let value): self = value
        case .failure(let error):
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a decimal: \(error.explanation)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension String {
    /// A figure for a Japanese text: 約 where English writes ≈ (official documents write 約).
    public var japaneseApproximation: String { String(map { $0 == "≈" ? "約" : $0 }) }
}

extension String {
    /// The text with its whole numbers grouped by thousands, as amount columns show them:
    /// `2960 × 0.12345 = 365.4` is `2,960 × 0.12345 = 365.4`. Numbers that are part of an id
    /// (S12, FY2024), a year (2024年度), a fraction or a range (2016–17) are left as written.
    public var groupingThousands: String {
        var result = ""
        var digits = ""
        var previous: Character?
        func flush(before next: Character?) {
            defer { digits = "" }
            let attachedBefore = previous.map { $0.isLetter || ".,_-'".contains($0) } == true
            let attachedAfter = next.map { $0.isLetter || "-–_'".contains($0) } == true
            guard digits.count > 3, !attachedBefore, !attachedAfter else { return result += digits }
            for (index, digit) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
                result.append(digit)
            }
        }
        for character in self {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            if !digits.isEmpty { flush(before: character) }
            result.append(character)
            previous = character
        }
        if !digits.isEmpty { flush(before: nil) }
        return result
    }
}
