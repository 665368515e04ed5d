import PFS
import PFSChecks
import PFSEvaluator
import PFSModel
import PFSStatements
import PFSTestSupport
import PropertyBased
import Testing

@Suite struct ExactDecimalParsing {
    @Test(arguments: ["0", "2500", "-12.75", "0.3", "007", "123456789012345678901234"])
    func acceptsPlainDecimals(_ text: String) throws {
        let value = try ExactDecimal.parse(text).get()
        #expect(value == (try ExactDecimal.parse(value.description).get()))
    }

    @Test(arguments: [
        ("", DecimalSyntaxError.empty), ("1,000", .separator), ("1 000", .separator), ("1e3", .exponent),
        ("2.5E3", .exponent), ("NaN", .notANumber), ("٣", .notANumber), ("12abc", .notANumber), ("+5", .notANumber),
        (".5", .misplacedPoint), ("5.", .misplacedPoint), ("1.2.3", .misplacedPoint), ("-", .notANumber),
        ("1234567890123456789012345", .tooManyDigits), ("0.0000000000000000000000000000001", .tooManyDigits),
    ])
    func rejectsEverythingElse(_ text: String, _ expected: DecimalSyntaxError) {
        #expect(ExactDecimal.parse(text) == .failure(expected))
    }

    @Test func printsWithoutExponentOrBinaryError() {
        #expect(d("3.133").description == "3.133")
        #expect(d("-0.05").description == "-0.05")
        #expect(d("1234567.5").formatted(groupingSeparator: ",") == "1,234,567.5")
        #expect(d("-1000").formatted(groupingSeparator: ",") == "-1,000")
        #expect(d("2.50").description == "2.5")
        #expect(d("2.5").formatted(minimumFractionDigits: 2) == "2.50")
        #expect(d("0.000123").description == "0.000123")
        #expect(d("-123456789012345678901234").description == "-123456789012345678901234")
    }

    /// `description` (made straight into bytes for statements) parses back to the value at
    /// every scale and on both sides of the 64-bit fast path; `formatted` is the same text
    /// laid out, whatever the separator and the fraction digits asked for.
    @Test func plainNotationRoundTrips() async {
        await propertyCheck(
            count: 1_000, input: Gen.int(in: -999_999...999_999), Gen.int(in: 0...999_999_999_999_999_999),
            Gen.int(in: 0...ExactDecimal.maxScale)
        ) { high, low, scale in
            // Up to 24 digits: the 128-bit loop runs, then the 64-bit one.
            let value = ExactDecimal(significand: Int128(high) * 1_000_000_000_000_000_000 + Int128(low), scale: scale)
            #expect(value.description == value.formatted(groupingSeparator: nil))
            #expect((try? ExactDecimal.parse(value.description).get()) == value)
            let grouped = value.formatted(groupingSeparator: ",")
            #expect((try? ExactDecimal.parse(grouped.replacingOccurrences(of: ",", with: "")).get()) == value)
            let padded = value.formatted(minimumFractionDigits: 2)
            #expect(padded.hasPrefix(value.description) && (padded.split(separator: ".").last?.count ?? 0) >= 2)
        }
    }
}

@Suite struct ExactDecimalArithmetic {
    @Test func isExact() throws {
        #expect(try d("0.1").adding(d("0.2")) == d("0.3"))
        #expect(try d("2500").subtracting(d("2200")) == d("300"))
        #expect(try d("300").multiplied(by: d("0.3")) == d("90"))
        #expect(try d("90").multiplied(by: d("0.2")) == d("18"))
        #expect(try d("-1.5").multiplied(by: d("-2")) == d("3"))
    }

    @Test func overflowIsAnErrorNotAWrap() {
        let big = d("100000000000000000000000")
        #expect(throws: ArithmeticError.overflow) { try big.multiplied(by: big) }
        let max = ExactDecimal(significand: .max, scale: 0)
        #expect(throws: ArithmeticError.overflow) { try max.adding(.one) }
    }

    @Test func comparesAcrossScales() {
        #expect(d("1.50") == d("1.5"))
        #expect(d("0.3") < d("0.31"))
        #expect(d("-2") < d("-1.999"))
        #expect(ExactDecimal(significand: .max, scale: 0) > ExactDecimal(significand: .max, scale: 1))
    }
}

@Suite struct RoundingModes {
    // value, increment, down, up, half-up, half-even
    @Test(arguments: [
        ("2.5", "1", "2", "3", "3", "2"),
        ("3.5", "1", "3", "4", "4", "4"),
        ("-2.5", "1", "-2", "-3", "-3", "-2"),
        ("-2.7", "1", "-2", "-3", "-3", "-3"),
        ("2.1", "1", "2", "3", "2", "2"),
        ("1499", "1000", "1000", "2000", "1000", "1000"),
        ("1500", "1000", "1000", "2000", "2000", "2000"),
        ("2500", "1000", "2000", "3000", "3000", "2000"),
        ("90", "1", "90", "90", "90", "90"),
        ("0.125", "0.01", "0.12", "0.13", "0.13", "0.12"),
    ])
    func roundsAsNamed(
        _ value: String, _ increment: String, _ down: String, _ up: String, _ halfUp: String, _ halfEven: String
    ) throws {
        let expected: [RoundingMode: String] = [.down: down, .up: up, .halfUp: halfUp, .halfEven: halfEven]
        for (mode, result) in expected {
            let rule = RoundingRule(increment: d(increment), mode: mode)
            #expect(try rule.rounded(d(value)) == d(result), "\(value) \(mode.rawValue) to \(increment)")
        }
    }
}

@Suite struct FiscalYears {
    @Test func japaneseFiscalYear() {
        let year = FiscalYear(2024, startMonth: 4)
        #expect(year.firstDay == "2024-04-01")
        #expect(year.lastDay == "2025-03-31")
        #expect(year.japaneseLabel == "令和6年度")
        #expect(FiscalYear(2019, startMonth: 4).japaneseLabel == "令和元年度")
        #expect(FiscalYear(2017, startMonth: 4).japaneseLabel == "平成29年度")
    }

    @Test func calendarAndOtherStartMonths() {
        #expect(FiscalYear(2024, startMonth: 1).lastDay == "2024-12-31")
        #expect(FiscalYear(2023, startMonth: 3).lastDay == "2024-02-29")
        #expect(FiscalYear(2024, startMonth: 10).lastDay == "2025-09-30")
    }
}

/// A comma is read as what the writer meant (issue 11, item 24).
@Suite struct DecimalCommas {
    @Test(arguments: [
        ("0,4", "0.4"), ("12,75", "12.75"), ("0,400", "0.400"), ("-0,25", "-0.25"), ("1.000,5", "1000.5"),
        ("-12.345.678,9", "-12345678.9"),
    ])
    func aDecimalCommaIsNamedAsSuch(_ text: String, _ meant: String) {
        #expect(ExactDecimal.parse(text) == .failure(.decimalComma(meant)))
        #expect(
            DecimalSyntaxError.decimalComma(meant).explanation == "write the decimal point as '.', not ',': \(meant)")
    }

    @Test(arguments: ["1,000", "1,234,567", "12,345.5", "1 000"])
    func aThousandsSeparatorIsNamedAsSuch(_ text: String) {
        #expect(ExactDecimal.parse(text) == .failure(.separator))
    }
}

/// How many decimals an amount shows: statements and the portal ask the same rule.
@Suite struct AmountDigits {
    @Test func theMinorUnitInCurrencyUnitsNoneInMultiples() {
        #expect(ISO4217.amountDigits(currency: "JPY", scale: .one) == 0)
        #expect(ISO4217.amountDigits(currency: "USD", scale: .one) == 2)
        #expect(ISO4217.amountDigits(currency: "AUD", scale: .one) == 2)
        #expect(ISO4217.amountDigits(currency: "BHD", scale: .one) == 3)
        #expect(ISO4217.amountDigits(currency: "USD", scale: ExactDecimal(1000)) == 0)
        #expect(ISO4217.amountDigits(currency: "JPY", scale: ExactDecimal(1000)) == 0)
        // A currency pfs does not know (check `currency-code` warns of it): whole numbers.
        #expect(ISO4217.amountDigits(currency: "XYZ", scale: .one) == 0)
    }
}
