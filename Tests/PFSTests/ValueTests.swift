import PFSModel
import PFSTestSupport
import PFSValue
import PropertyBased
import Testing

/// Present values, money multiples and rates of return, exact (issue 26, first part).
@Suite struct ValueArithmetic {
    static func flows(_ amounts: [Int: String]) -> CashFlows { CashFlows(amounts.mapValues { d($0) }) }

    @Test func aFractionIsShownToItsPrecisionWithApproximatelyWhereItIsNotExact() {
        #expect(Rational(d("0.1")).shown(digits: 4) == "0.1")
        #expect((Rational.one / Rational(3))?.shown(digits: 4) == "≈0.3333")
        #expect((Rational(2) / Rational(3))?.shown(digits: 2) == "≈0.67")
        // Half away from zero, as a spreadsheet shows: 0.125 to two places is 0.13, 0.375 is 0.38.
        #expect(Rational(d("0.125")).shown(digits: 2) == "≈0.13")
        #expect(Rational(d("0.375")).shown(digits: 2) == "≈0.38")
        #expect(Rational(d("-1.5")).shown(digits: 0) == "≈-2")
        #expect(Rational(d("-0.0001")).shown(digits: 2) == "≈0")
    }

    /// 1,000 received in year 2 at 4% a year: 1000 ÷ 1.04² = 924.556213…
    @Test func japansFourPercentDiscountsTwoYearsExactly() {
        let value = Self.flows([2: "1000"]).presentValue(.japan)
        #expect(value == (Rational(1000) / Rational(d("1.0816")))!)
        #expect(value.shown(digits: 2) == "≈924.56")
    }

    /// The Green Book's rate steps down after year 30: year 31 is discounted at 3.0%, on top
    /// of thirty years at 3.5%.
    @Test func theGreenBookDeclinesAfterThirtyYears() throws {
        let book = DiscountSchedule.greenBook
        #expect(book.rate(inYear: 30) == d("0.035"))
        #expect(book.rate(inYear: 31) == d("0.03"))
        #expect(book.rate(inYear: 75) == d("0.03"))
        #expect(book.rate(inYear: 76) == d("0.025"))
        #expect(book.rate(inYear: 125) == d("0.025"))
        #expect(book.rate(inYear: 126) == d("0.02"))
        #expect(book.rate(inYear: 201) == d("0.015"))
        #expect(book.rate(inYear: 300) == d("0.015"))
        #expect(book.rate(inYear: 301) == d("0.01"))
        let thirty = try #require(Rational(d("1.035")).power(-30))
        #expect(book.factor(year: 30) == thirty)
        #expect(book.factor(year: 31) == (thirty / Rational(d("1.03")))!)
        #expect(book.factor(year: 0) == .one)
    }

    @Test func aConstantRateOfZeroGivesThePlainSum() async throws {
        let zero = try DiscountSchedule.constant(.zero)
        await propertyCheck(count: 200, input: Gen.int(in: -1_000_000...1_000_000).array(of: 1...12)) { amounts in
            let flows = CashFlows(
                Dictionary(uniqueKeysWithValues: amounts.enumerated().map { ($0.offset, ExactDecimal($0.element)) }))
            #expect(flows.presentValue(zero) == flows.total)
        }
    }

    /// 100 in, 110 back a year later: 10% exactly.
    @Test func aRateOfReturnWithAKnownAnswer() {
        #expect(Self.flows([0: "-100", 1: "110"]).internalRateOfReturn(digits: 4) == .exact(Rational(d("0.1"))))
        // 100 in, 121 back two years later: 10% a year.
        #expect(Self.flows([0: "-100", 2: "121"]).internalRateOfReturn(digits: 4) == .exact(Rational(d("0.1"))))
        // 100 in, 200 back three years later: 2^(1/3) − 1 = 0.259921…, not a decimal.
        guard case .approximately(let rate) = Self.flows([0: "-100", 3: "200"]).internalRateOfReturn(digits: 4) else {
            Issue.record("no approximate rate")
            return
        }
        #expect(rate.shown(digits: 4) == "≈0.2599")
    }

    @Test func theRateMakesThePresentValueZeroWithinItsPrecision() async {
        await propertyCheck(count: 100, input: Gen.int(in: 1...5_000).array(of: 1...6), Gen.int(in: 100...10_000)) {
            returns, paid in
            var amounts: [Int: ExactDecimal] = [0: ExactDecimal(-paid)]
            for (year, amount) in returns.enumerated() { amounts[year + 1] = ExactDecimal(amount) }
            let flows = CashFlows(amounts)
            // Paid once, then received: the flows change sign once, so there is one rate.
            let rate: Rational
            switch flows.internalRateOfReturn(digits: 6) {
            case .exact(let exact):
                #expect(flows.presentValue(atRate: exact) == .zero)
                return
            case .approximately(let approximate): rate = approximate
            case let other:
                Issue.record("\(other) for \(amounts)")
                return
            }
            // One unit of the last place below the rate the present value is positive, above it negative.
            let step = Rational(d("0.000001"))
            #expect(flows.presentValue(atRate: rate - step).map(\.signum) == 1)
            #expect(flows.presentValue(atRate: rate + step).map(\.signum) == -1)
        }
    }

    @Test func flowsThatNeverChangeSignHaveNoRate() {
        #expect(Self.flows([0: "100", 1: "110"]).internalRateOfReturn(digits: 4) == .noRoot)
        #expect(Self.flows([0: "-100", 1: "-10"]).internalRateOfReturn(digits: 4) == .noRoot)
        #expect(CashFlows([:]).internalRateOfReturn(digits: 4) == .noRoot)
    }

    /// −100, +230, −132: the present value is zero at 10% and at 20%.
    @Test func flowsWithTwoRatesSaySo() {
        #expect(Self.flows([0: "-100", 1: "230", 2: "-132"]).internalRateOfReturn(digits: 4) == .severalRoots(2))
        // −100, +200, −100 = −100 (1 − x)² … touches zero at 0% without crossing it.
        #expect(Self.flows([0: "-100", 1: "200", 2: "-100"]).internalRateOfReturn(digits: 4) == .touchesZero)
    }

    /// An investor who put in 1,000 and got 600 back lost principal: a multiple below one.
    @Test func aLossOfPrincipalIsAMultipleBelowOne() {
        #expect(Self.flows([0: "-1000", 3: "600"]).multiple == Rational(d("0.6")))
        #expect(Self.flows([0: "-1000", 3: "1150"]).multiple == Rational(d("1.15")))
        #expect(Self.flows([0: "1000"]).multiple == nil)
    }

    @Test func aDeclaredScheduleThatIsWrongSaysHow() {
        let year = { (from: Int, rate: String) in DiscountSchedule.Step(from: from, rate: d(rate)) }
        func error(_ steps: [DiscountSchedule.Step], declining: Bool = false) -> String? {
            do {
                _ = try DiscountSchedule(name: "declared", steps: steps, terms: .real, declining: declining)
                return nil
            } catch { return error.description }
        }
        #expect(error([]) == "the discount schedule declares no rate")
        #expect(
            error([year(3, "0.04")])
                == "the discount schedule starts at year 3: its first rate must hold from year 1, or years 1 to 2 have none")
        #expect(error([year(1, "-0.01")]) == "the discount rate -0.01 from year 1 is negative")
        #expect(
            error([year(1, "0.04"), year(1, "0.03")]) == "the discount rate from year 1 does not come after the one from year 1")
        #expect(
            error([year(1, "0.03"), year(10, "0.035")], declining: true)
                == "the declining schedule rises from 0.03 to 0.035 in year 10")
        #expect(error([year(1, "0.03"), year(10, "0.035")]) == nil)
    }
}
