import Foundation
import PFS
import PFSModel
import PFSStatements
import PFSTestSupport
import Testing

/// The evaluator records figures, and PFSStatements words them: every kind of step and of
/// rule working is worded in both languages, and the words of those the shipped contracts
/// settle are the golden statements' (Reports/).
@Suite struct StepWordsTests {
    /// Every year of every shipped contract, settled.
    static func shippedSettlements() throws -> [Settlement] {
        try FileManager.default.contentsOfDirectory(atPath: Repository.contracts).filter { $0.hasSuffix(".xml") }
            .sorted().flatMap { name in
                let checked = PFS.check(path: Repository.contracts + "/" + name)
                return try PFS.settleableYears(try #require(checked.contract)).map { year in
                    try PFS.settle(checked, fileName: name, year: year).get()
                }
            }
    }

    /// The name of a kind of step: an exhaustive switch, so that a new kind is listed here.
    static func kind(_ figures: StepFigures) -> String {
        switch figures {
        case .derivedExpected: "derivedExpected"
        case .improvement: "improvement"
        case .fiscalImprovement: "fiscalImprovement"
        case .target: "target"
        case .attributable: "attributable"
        case .netAttributable: "netAttributable"
        case .netAfterCarried: "netAfterCarried"
        case .amountToSplit: "amountToSplit"
        case .allocation: "allocation"
        case .clawbackOwed: "clawbackOwed"
        case .rewardsWithinMaximum: "rewardsWithinMaximum"
        case .rewardsCut: "rewardsCut"
        case .paymentsToDate: "paymentsToDate"
        case .payment: "payment"
        case .waterfall: "waterfall"
        case .classWaterfall: "classWaterfall"
        case .written: "written"
        }
    }

    /// The name of a way a rule decided, as exhaustive.
    static func kind(_ working: RuleWorking) -> String {
        switch working {
        case .fixed: "fixed"
        case .perUnit: "perUnit"
        case .belowThreshold: "belowThreshold"
        case .beyondThreshold: "beyondThreshold"
        case .perBeneficiary: "perBeneficiary"
        case .bandFull: "bandFull"
        case .bandNotStarted: "bandNotStarted"
        case .bandNoStep: "bandNoStep"
        case .bandStep: "bandStep"
        case .bandLinear: "bandLinear"
        case .proportionalNone: "proportionalNone"
        case .proportionalBest: "proportionalBest"
        case .proportionalWhole: "proportionalWhole"
        case .proportional: "proportional"
        case .thresholdNotMet: "thresholdNotMet"
        case .thresholdMet: "thresholdMet"
        case .noTier: "noTier"
        case .tier: "tier"
        case .rateCardWithoutRecords: "rateCardWithoutRecords"
        case .rateCard: "rateCard"
        case .savingsShare: "savingsShare"
        }
    }

    @Test func theEvaluatorRecordsFiguresAndNoWords() throws {
        var steps: Set<String> = []
        var rules: Set<String> = []
        for settlement in try Self.shippedSettlements() {
            for step in settlement.steps {
                steps.insert(Self.kind(step.figures))
                if case .payment(let payment) = step.figures { rules.insert(Self.kind(payment.working.rule)) }
            }
            for condition in (settlement.targets ?? []).flatMap(\.conditions) + (settlement.payments ?? []).flatMap({
                $0.conditions ?? []
            }) {
                guard case .checked = condition.figures else {
                    Issue.record("condition on \(condition.kpi) has words, not figures")
                    continue
                }
            }
            // A measured outcome's source is its working, worded by the statements.
            for payment in settlement.payments ?? [] where payment.outcome?.working != nil {
                #expect(payment.outcome?.source == nil)
            }
        }
        #expect(!steps.contains("written"))
        // What the shipped contracts settle, and so what the golden statements hold the words
        // of; the other ways a rule decides are worded in the tests below.
        #expect(
            steps
                == [
                    "derivedExpected", "improvement", "fiscalImprovement", "target", "attributable", "netAttributable",
                    "netAfterCarried", "amountToSplit", "allocation", "clawbackOwed", "rewardsWithinMaximum",
                    "rewardsCut", "paymentsToDate", "payment", "waterfall", "classWaterfall",
                ])
        #expect(
            rules
                == [
                    "fixed", "perUnit", "belowThreshold", "beyondThreshold", "perBeneficiary", "bandFull", "bandStep",
                    "bandLinear", "proportionalWhole", "proportional", "thresholdNotMet", "thresholdMet", "noTier",
                    "tier", "rateCard", "savingsShare",
                ])
    }

    /// The model writes words only: a settlement straight from the evaluator is worded by
    /// PFSStatements first, and then reads back as it was written.
    @Test func aSettlementIsWrittenWithItsWordsAndReadsBackTheSame() throws {
        let settlement = try PFS.settle(path: Repository.path("Contracts/example-conditions-targets.xml"), year: 2024).get()
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(settlement) }
        let written = StepWords.written(settlement)
        let decoded = try JSONDecoder().decode(Settlement.self, from: try JSONEncoder().encode(written))
        #expect(decoded == written)
        #expect(decoded != settlement)
        #expect(JSONStatement.render(decoded) == JSONStatement.render(settlement))
    }

    static let down = RoundingRule(increment: ExactDecimal(1), mode: .down)
    static let here = SourceLocation(file: "t.xml", line: 1, column: 1)

    static func words(
        _ rule: PaymentRule, outcome: Int, direction: Direction = .higherIsBetter
    ) throws -> (en: String, ja: String) {
        let working = try rule.evaluate(
            outcome: ExactDecimal(outcome), direction: direction, kpiBaseline: .zero, rounding: down
        ).working
        return (StepWords.english(working), StepWords.japanese(working))
    }

    /// The ways a rule decides that no shipped contract reaches, worded in both languages.
    @Test func whatNoShippedContractSettlesIsWordedToo() throws {
        let band = PaymentRule.band(startAt: ExactDecimal(10), fullAt: ExactDecimal(20), amount: ExactDecimal(1000), steps: [])
        #expect(
            try Self.words(band, outcome: 5)
                == ("outcome 5 does not reach the start mark 10: 0", "成果 5 が支払開始の基準 10 に未到達：0"))
        let table = PaymentRule.band(
            startAt: ExactDecimal(10), fullAt: ExactDecimal(20), amount: ExactDecimal(1000),
            steps: [.init(at: ExactDecimal(15), amount: ExactDecimal(500), location: Self.here)])
        #expect(
            try Self.words(table, outcome: 12)
                == ("outcome 12 reaches no step of the table: 0", "成果 12 は段階表のどの段階にも未到達：0"))
        let proportional = PaymentRule.proportional(target: ExactDecimal(100), amount: ExactDecimal(1000))
        #expect(try Self.words(proportional, outcome: 0) == ("outcome 0 gives no achievement: 0", "成果 0 では達成度なし：0"))
        #expect(
            try Self.words(proportional, outcome: 0, direction: .lowerIsBetter)
                == ("outcome 0 is the best possible: the whole 1000 → 1000", "成果 0 は最善：全額 1000 → 1000"))
        #expect(
            try Self.words(.rateCard("card-a"), outcome: 0) == ("rate card card-a: no records", "成果単価表 card-a：記録なし"))
    }

    /// A share of savings in each of its three ways: within what is left to repay, the mark
    /// reached within the savings (the rate changes there), and repaid before.
    @Test func aShareOfSavingsIsWordedInEachOfItsWays() throws {
        let share = SavingsShare(
            rate: d("0.5"), thenRate: d("0.1"), principal: ExactDecimal(1000),
            returnRate: d("0.2"), account: "bond", location: Self.here)
        func words(paidBefore: Int) throws -> (en: String, ja: String) {
            let working = try share.evaluate(
                savings: ExactDecimal(1000), paidBefore: ExactDecimal(paidBefore), rounding: Self.down
            ).result.working
            return (StepWords.english(working), StepWords.japanese(working))
        }
        let owing = "1200 to repay (principal 1000 × (1 + 0.2))"
        let owingJA = "返済目標 1200（元本 1000 × (1 + 0.2)）"
        #expect(
            try words(paidBefore: 0)
                == (
                    "\(owing), 0 paid before: savings 1000 × 0.5 = 500 (within what is left, 1200), rounded down to a "
                        + "multiple of 1 = 500",
                    "\(owingJA)、既返済 0：削減額 1000 × 0.5 = 500（残り 1200 の範囲内）、1 単位で切り捨て = 500"
                ))
        #expect(
            try words(paidBefore: 1000)
                == (
                    "\(owing), 1000 paid before: 200 is left, repaid at 0.5 after 200 ÷ 0.5 = 400 of the savings 1000; "
                        + "the rate changes there: 200 + (1000 − 400) × 0.1, rounded down to a multiple of 1 = 260",
                    "\(owingJA)、既返済 1000：残り 200 は削減額 1000 のうち 200 ÷ 0.5 = 400 で返済完了、そこで率が 変更："
                        + "200 + (1000 − 400) × 0.1、1 単位で切り捨て = 260"
                ))
        #expect(
            try words(paidBefore: 1200)
                == (
                    "\(owing), 1200 paid before: repaid; savings 1000 × 0.1 = 100, rounded down to a multiple of 1 = 100",
                    "\(owingJA)、既返済 1200：返済済み；削減額 1000 × 0.1 = 100、1 単位で切り捨て = 100"
                ))
    }
}
