import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSTestSupport
import Testing

/// The budget envelope (issue 16, item 2): the least and the most each payer may pay.
@Suite struct BudgetEnvelope {
    /// Whatever the outcomes, every settled year's amount per payer lies within the bounds
    /// computed before the term began.
    @Test func settledAmountsLieWithinTheBounds() throws {
        var generator = SeededGenerator(seed: 2)
        var texts = try FileManager.default.contentsOfDirectory(atPath: Repository.contracts).filter {
            $0.hasSuffix(".xml")
        }.map { try String(contentsOfFile: Repository.contracts + "/" + $0, encoding: .utf8) }
        for round in 0..<24 {
            let actuals = Dictionary(
                uniqueKeysWithValues: (2020...2024).map { ($0, Int.random(in: 600...1400, using: &generator)) })
            texts.append(
                Adjustments.contract(actuals: actuals, negative: ["floor", "carry-forward", "claw-back"][round % 3]))
        }
        var checked = 0
        for text in texts {
            let result = PFS.check(bytes: Array(text.utf8), file: "c.xml", baseDirectory: Repository.contracts)
            let contract = try #require(result.contract)
            let bounds = try Envelope.bounds(contract, after: [])
            for settlement in try PFS.settleTerm(result, fileName: "c.xml").get() {
                var paid: [String: ExactDecimal] = [:]
                for line in try DueLine.lines(of: settlement) {
                    paid[line.payer] = try (paid[line.payer] ?? .zero).adding(line.amount)
                }
                for bound in bounds where bound.fiscalYear == settlement.fiscalYear.year {
                    let amount = paid[bound.payer] ?? .zero
                    #expect(amount >= bound.minimum, "\(contract.id) FY\(bound.fiscalYear) \(bound.payer)")
                    if let most = bound.maximum {
                        #expect(
                            amount <= most, "\(contract.id) FY\(bound.fiscalYear) \(bound.payer): \(amount) > \(most)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
    }

    @Test func fixedPartsAndCapsGiveTheBoundsAndUncappedClausesAreNamed() throws {
        let tiers = try #require(PFS.check(path: Repository.contracts + "/example-fixed-and-tiers.xml").contract)
        let bound = try #require(try Envelope.bounds(tiers, after: []).first)
        // Fixed 7,400,000 always; at most the fixed part and the top tier.
        #expect(bound.minimum == ExactDecimal(7_400_000))
        #expect(bound.maximum == ExactDecimal(13_100_000))
        let maebashi = try #require(PFS.check(path: Repository.contracts + "/maebashi-profit-share.xml").contract)
        let open = try Envelope.bounds(maebashi, after: [])
        #expect(open.allSatisfy { $0.maximum == nil && $0.uncapped == ["smart-city"] })
    }
}
