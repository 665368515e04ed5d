import PFSEvaluator
import PFSModel
import PFSTestSupport
import PropertyBased
import Testing

@testable import PFSStatements

/// What every kind of payment rule answers (PFSEvaluator/Rules): its names, version, inputs,
/// bounds and the one cap function.
@Suite struct RuleKinds {
    static let here = SourceLocation(file: "t", line: 1, column: 1)

    /// One rule of every kind and variant the loader can declare.
    static let examples: [PaymentRule] = [
        .fixed(amount: ExactDecimal(500)),
        .perUnit(price: ExactDecimal(significand: 125, scale: 1), baseline: ExactDecimal(100)),
        .perUnitBeyond(price: ExactDecimal(3), baseline: nil, threshold: ExactDecimal(50), pays: .all),
        .perUnitBeyond(price: ExactDecimal(3), baseline: ExactDecimal(100), threshold: ExactDecimal(50), pays: .beyond),
        .savingsShare(
            SavingsShare(
                rate: ExactDecimal(significand: 5, scale: 1), thenRate: ExactDecimal(significand: 1, scale: 1),
                principal: ExactDecimal(200), returnRate: ExactDecimal(significand: 1, scale: 1), account: "a",
                location: here)),
        .rateCard("card"),
        .perBeneficiary(price: ExactDecimal(2), capPerBeneficiary: ExactDecimal(90)),
        .band(startAt: ExactDecimal(100), fullAt: ExactDecimal(900), amount: ExactDecimal(777), steps: []),
        .band(
            startAt: ExactDecimal(100), fullAt: ExactDecimal(900), amount: ExactDecimal(777),
            steps: [
                .init(at: ExactDecimal(100), amount: ExactDecimal(50), location: here),
                .init(at: ExactDecimal(400), amount: ExactDecimal(300), location: here),
                .init(at: ExactDecimal(800), amount: ExactDecimal(700), location: here),
            ]),
        .proportional(target: ExactDecimal(700), amount: ExactDecimal(1000)),
        .tiers(
            reference: ExactDecimal(500),
            tiers: [
                .init(from: ExactDecimal(1), inclusive: true, amount: ExactDecimal(100), location: here),
                .init(
                    from: ExactDecimal(significand: 106, scale: 2), inclusive: false, amount: ExactDecimal(200),
                    location: here),
            ]),
        .threshold(at: ExactDecimal(450), inclusive: true, amount: ExactDecimal(300)),
    ]

    /// The case of a rule, by an exhaustive switch: a new case stops this test from
    /// compiling until it has an example above.
    static func caseName(_ rule: PaymentRule) -> String {
        switch rule {
        case .fixed: return "fixed"
        case .perUnit: return "perUnit"
        case .perUnitBeyond: return "perUnitBeyond"
        case .savingsShare: return "savingsShare"
        case .rateCard: return "rateCard"
        case .perBeneficiary: return "perBeneficiary"
        case .band: return "band"
        case .proportional: return "proportional"
        case .tiers: return "tiers"
        case .threshold: return "threshold"
        }
    }

    @Test func theExamplesCoverEveryCase() {
        #expect(Set(Self.examples.map(Self.caseName)).count == 10)
    }

    @Test func everyKindHasItsOwnNameAVersionAndAJapaneseName() {
        let names = Self.examples.map { $0.kindRule.name }
        #expect(Set(names).count == names.count)
        for rule in Self.examples {
            let kind = rule.kindRule
            #expect(RuleVersions.current["payment/\(kind.version)"] == 1, "\(kind.name)")
            #expect(PaymentRule.kindJA(of: kind.name) != kind.name, "\(kind.name) has no Japanese name")
        }
    }

    /// Every calculation rule a statement may name has its Japanese name in the annex
    /// (財政効果算定 第1版), not its id: a rule added to the versions needs one.
    @Test func everyVersionedRuleHasItsJapaneseNameInTheAnnex() {
        for rule in RuleVersions.current.keys.sorted() {
            #expect(Common.ruleNameJA(rule) != rule, "\(rule) has no Japanese name in Overview.ruleNameJA")
        }
    }

    @Test func whatEachKindReads() {
        let inputs = Self.examples.map { $0.kindRule.inputs }
        #expect(
            inputs == [
                [], [.outcome], [.outcome], [.outcome], [.outcome, .accountRepaid], [.rateCardRecords],
                [.outcome, .beneficiaries], [.outcome], [.outcome], [.outcome], [.outcome], [.outcome],
            ])
        #expect(Self.examples.map(\.needsOutcome) == inputs.map { $0.contains(.outcome) })
    }

    /// Only rules that compare an outcome with marks may pay a ratio.
    @Test func onlyComparingKindsPayARatio() {
        let comparing = Self.examples.filter { $0.kindRule.comparesOnly }.map(\.kind)
        #expect(comparing == ["band (step table)", "tiers", "threshold"])
    }

    @Test func theAmountsEachKindDeclaresAreNamed() {
        let payment = Payment(
            id: "p", name: LocalizedText(ja: "p", en: "p"), payers: [], payees: [], year: 2020, kpi: "k",
            rule: Self.examples[8], cap: nil, location: Self.here)
        let declared = payment.rule.kindRule.declaredAmounts(of: payment)
        #expect(declared.map(\.what) == ["the full amount", "a step amount", "a step amount", "a step amount"])
        #expect(declared.map(\.amount) == [ExactDecimal(777), ExactDecimal(50), ExactDecimal(300), ExactDecimal(700)])
    }

    /// Whatever the outcome, direction and rounding mode, a rule gives no less than its least
    /// and no more than its most: the budget envelope's bounds hold.
    @Test func noKindGivesOutsideItsBounds() async {
        await propertyCheck(
            count: 600, input: Gen.int(in: 0..<Self.examples.count), Gen.int(in: -200...2_000), Gen.bool,
            Gen.int(in: 0...3), Gen.int(in: 0...40).array(of: 0...5)
        ) { index, outcome, lowerIsBetter, mode, beneficiaries in
            let rule = Self.examples[index]
            let (least, most) = rule.kindRule.bounds
            let result = try rule.evaluate(
                outcome: ExactDecimal(outcome), direction: lowerIsBetter ? .lowerIsBetter : .higherIsBetter,
                kpiBaseline: ExactDecimal(100), rounding: RoundingRule(increment: .one, mode: RoundingMode.allCases[mode]),
                beneficiaries: beneficiaries.map(ExactDecimal.init))
            #expect(result.amount >= least, "\(rule.kind) at \(outcome) gives \(result.amount) < \(least)")
            if let most {
                #expect(result.amount <= most, "\(rule.kind) at \(outcome) gives \(result.amount) > \(most)")
            }
        }
    }

    @Test func aLimitHoldsAmountsOpenMostsAndExpressions() {
        let cap = AmountLimit(ExactDecimal(300))
        #expect(cap.holding(ExactDecimal(450)) == ExactDecimal(300))
        #expect(cap.holding(ExactDecimal(120)) == ExactDecimal(120))
        #expect(cap.holding(most: nil) == ExactDecimal(300))
        #expect(cap.holding(most: ExactDecimal(777)) == ExactDecimal(300))
        #expect(cap.holding(most: ExactDecimal(200)) == ExactDecimal(200))
    }
}
