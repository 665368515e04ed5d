import PFS
import PFSChecks
import PFSEvaluator
import PFSModel
import PFSStatements
import PFSTestSupport
import PropertyBased
import Testing

@Suite struct LargestRemainderAllocation {
    @Test func maebashiSplit() throws {
        let parts = try LargestRemainder.allocate(d("90"), shares: [d("0.2"), d("0.8")], increment: .one)
        #expect(parts.map(\.amount) == [d("18"), d("72")])
        #expect(parts.allSatisfy { !$0.receivedRemainder })
    }

    @Test func leftoverGoesToLargestRemainder() throws {
        // 100 × (0.333, 0.333, 0.334) = 33.3, 33.3, 33.4 → 33, 33, 34 (one leftover to the largest remainder).
        let parts = try LargestRemainder.allocate(
            d("100"), shares: [d("0.333"), d("0.333"), d("0.334")], increment: .one)
        #expect(parts.map(\.amount) == [d("33"), d("33"), d("34")])
        #expect(parts.map(\.receivedRemainder) == [false, false, true])
    }

    @Test func tiesGoToTheEarlierParty() throws {
        let parts = try LargestRemainder.allocate(d("1"), shares: [d("0.5"), d("0.5")], increment: .one)
        #expect(parts.map(\.amount) == [d("1"), d("0")])
        let three = try LargestRemainder.allocate(
            d("100"), shares: [d("0.25"), d("0.375"), d("0.375")], increment: d("10"))
        // 10 increments: 2.5, 3.75, 3.75 → 2, 3, 3 with two leftovers to the .75s, in order.
        #expect(three.map(\.amount) == [d("20"), d("40"), d("40")])
    }

    @Test func negativeTotalsSplitSymmetrically() throws {
        // |-10| × (0.25, 0.75) = 2.5, 7.5: a tie, so the leftover goes to the earlier share.
        let parts = try LargestRemainder.allocate(d("-10"), shares: [d("0.25"), d("0.75")], increment: .one)
        #expect(parts.map(\.amount) == [d("-3"), d("-7")])
        let uneven = try LargestRemainder.allocate(d("-10"), shares: [d("0.22"), d("0.78")], increment: .one)
        #expect(uneven.map(\.amount) == [d("-2"), d("-8")])
    }

    static let shareSets = Gen.int(in: 0...1_000).array(of: 1...6).map { weights -> [ExactDecimal] in
        // Shares with three decimal places that sum to exactly one.
        let raw = weights.map { $0 + 1 }
        let total = raw.reduce(0, +)
        var shares = raw.dropLast().map { ExactDecimal(significand: Int128($0 * 1000 / total), scale: 3) }
        let used = shares.reduce(0) { $0 + Int($1.significand) }
        shares.append(ExactDecimal(significand: Int128(1000 - used), scale: 3))
        return shares
    }

    @Test func partsSumToTheTotalAndStayWithinOneIncrement() async {
        await propertyCheck(count: 500, input: Self.shareSets, Gen.int(in: -1_000_000...1_000_000), Gen.int(in: 0...3))
        { shares, units, power in
            let steps: [Int128] = [1, 10, 1000, 5]
            let increment = ExactDecimal(significand: steps[power], scale: power == 3 ? 1 : 0)
            guard let total = try? ExactDecimal.multiple(Int128(units), of: increment),
                let parts = try? LargestRemainder.allocate(total, shares: shares, increment: increment)
            else {
                Issue.record("allocation threw")
                return
            }
            #expect((try? ExactDecimal.sum(parts.map(\.amount))) == total, "money appeared or vanished")
            for part in parts {
                let gap = (try? part.amount.subtracting(part.exact)) ?? increment
                let magnitude = gap.signum < 0 ? gap.negated() : gap
                #expect(magnitude < increment, "part \(part.amount) is a whole increment from \(part.exact)")
                #expect(part.amount.signum == 0 || part.amount.signum == total.signum, "sign differs from the total")
                let (_, remainder) = (try? part.amount.truncatingQuotient(dividingBy: increment)) ?? (0, .one)
                #expect(remainder.signum == 0, "not a multiple of the increment")
            }
        }
    }

    @Test func weightedAllocationSumsToTheTotalAndStaysWithinOneIncrement() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).array(of: 1...5), Gen.int(in: 0...100_000)) {
            weights, units in
            let total = ExactDecimal(units)
            guard
                let parts = try? LargestRemainder.allocate(
                    total, weights: weights.map { ExactDecimal($0) }, increment: .one)
            else {
                Issue.record("allocation threw")
                return
            }
            let sum = weights.reduce(0, +)
            if sum == 0 {
                #expect(parts.allSatisfy { $0 == .zero })
                return
            }
            #expect((try? ExactDecimal.sum(parts)) == total)
            for (part, weight) in zip(parts, weights) {
                // |part × sum − total × weight| < sum, i.e. within one increment of the exact share.
                let gap = Int128(part.significand) * Int128(sum) - Int128(units) * Int128(weight)
                #expect(gap.magnitude < UInt128(sum))
            }
        }
    }
}
