import PFS
import PFSChecks
import PFSEvaluator
import PFSModel
import PFSStatements
import PFSTestSupport
import PropertyBased
import Testing

@Suite struct PaymentRules {
    let yen = RoundingRule(increment: .one, mode: .down)

    func pay(
        _ rule: PaymentRule, _ outcome: String, _ direction: Direction = .higherIsBetter, baseline: String = "0"
    ) throws -> ExactDecimal {
        try rule.evaluate(outcome: d(outcome), direction: direction, kpiBaseline: d(baseline), rounding: yen).amount
    }

    @Test func fixedPaysRegardless() throws {
        #expect(try pay(.fixed(amount: d("7400000")), "0") == d("7400000"))
    }

    @Test func perUnitPaysBeyondTheBaselineOnly() throws {
        let rule = PaymentRule.perUnit(price: d("12.5"), baseline: nil)
        #expect(try pay(rule, "520", baseline: "400") == d("1500"))
        #expect(try pay(rule, "390", baseline: "400") == .zero)
        // Lower is better (jail days avoided): units are baseline − outcome.
        #expect(try pay(.perUnit(price: d("3"), baseline: d("1000")), "900", .lowerIsBetter) == d("300"))
        #expect(try pay(.perUnit(price: d("3"), baseline: d("1000")), "1100", .lowerIsBetter) == .zero)
    }

    @Test func bandInterpolatesOrSteps() throws {
        let linear = PaymentRule.band(startAt: d("9"), fullAt: d("19"), amount: d("2441"), steps: [])
        #expect(try pay(linear, "26.8") == d("2441"))
        #expect(try pay(linear, "19") == d("2441"))
        #expect(try pay(linear, "14") == d("1220"))  // 2441 × 5 ÷ 10 = 1220.5, rounded down
        #expect(try pay(linear, "9") == .zero)
        #expect(try pay(linear, "8.9") == .zero)
        let here = SourceLocation(file: "t", line: 1, column: 1)
        let steps = PaymentRule.band(
            startAt: d("79"), fullAt: d("87"), amount: d("4880"),
            steps: [
                .init(at: d("79"), amount: d("1760"), location: here),
                .init(at: d("82"), amount: d("2960"), location: here),
            ])
        #expect(try pay(steps, "82.1") == d("2960"))
        #expect(try pay(steps, "81.99") == d("1760"))
        #expect(try pay(steps, "78.9") == .zero)
        #expect(try pay(steps, "87") == d("4880"))
    }

    @Test func proportionalNeverExceedsTheAmount() throws {
        let rule = PaymentRule.proportional(target: d("70"), amount: d("3000"))
        #expect(try pay(rule, "45") == d("1928"))  // 1928.571… rounded down once
        #expect(try pay(rule, "70") == d("3000"))
        #expect(try pay(rule, "95") == d("3000"))
        #expect(try pay(rule, "0") == .zero)
        // Lower is better: target ÷ actual.
        #expect(try pay(.proportional(target: d("50"), amount: d("1000")), "100", .lowerIsBetter) == d("500"))
    }

    @Test func tiersCompareExactlyAndHonourInclusiveness() throws {
        let here = SourceLocation(file: "t", line: 1, column: 1)
        func tiers(inclusive: Bool) -> PaymentRule {
            .tiers(
                reference: d("10000"),
                tiers: [
                    .init(from: d("1.00"), inclusive: inclusive, amount: d("1900000"), location: here),
                    .init(from: d("1.06"), inclusive: inclusive, amount: d("3800000"), location: here),
                    .init(from: d("1.11"), inclusive: inclusive, amount: d("5700000"), location: here),
                ])
        }
        #expect(try pay(tiers(inclusive: true), "9999") == .zero)
        #expect(try pay(tiers(inclusive: true), "10000") == d("1900000"))
        #expect(try pay(tiers(inclusive: true), "10600") == d("3800000"))
        #expect(try pay(tiers(inclusive: false), "10600") == d("1900000"))
        #expect(try pay(tiers(inclusive: true), "10650") == d("3800000"))
        #expect(try pay(tiers(inclusive: true), "11100") == d("5700000"))
    }

    @Test func thresholdPaysWhenTheConditionHolds() throws {
        #expect(try pay(.threshold(at: d("1"), inclusive: true, amount: d("2441")), "0") == .zero)
        #expect(try pay(.threshold(at: d("1"), inclusive: true, amount: d("2441")), "1") == d("2441"))
        #expect(try pay(.threshold(at: d("1"), inclusive: false, amount: d("2441")), "1") == .zero)
        #expect(try pay(.threshold(at: d("5"), inclusive: true, amount: d("10")), "4", .lowerIsBetter) == d("10"))
    }

    @Test func perBeneficiaryCapsApplyToEachPerson() throws {
        let rule = PaymentRule.perBeneficiary(price: d("12"), capPerBeneficiary: d("600"))
        let result = try rule.evaluate(
            outcome: d("233"), direction: .higherIsBetter, kpiBaseline: .zero, rounding: yen,
            beneficiaries: ["20", "75", "0", "48", "90"].map(d))
        #expect(result.amount == d("2016"))
        let settlement = try PFS.settle(path: Repository.path("Contracts/example-per-beneficiary.xml"), year: 2024)
            .get()
        #expect(settlement.payments?.first?.amount == d("2016"))
    }

    @Test func hachiojiPublishedPayments() throws {
        let path = Repository.path("Contracts/hachioji-colorectal-screening-sib.xml")
        let paid = try [2017, 2018, 2019].map { year in
            try PFS.settle(path: path, year: year).get()
        }
        #expect(paid.map { $0.payments?.map(\.amount) ?? [] } == [[d("2441")], [d("2960")], [.zero]])
        #expect(paid.last?.paymentTotals?.paidToDate == d("5401"))
        #expect(paid.last?.paymentTotals?.remaining == d("4361"))
    }

    @Test func capsCutAndSayWhat() throws {
        let path = Repository.path("Contracts/example-per-unit.xml")
        let settlement = try PFS.settle(path: path, year: 2024).get()
        let payment = try #require(settlement.payments?.first)
        #expect(payment.byRule == d("2625"))
        #expect(payment.cutByCaps == d("625"))
        #expect(payment.amount == d("2000"))
        #expect(settlement.paymentTotals?.remaining == .zero)
        #expect(settlement.steps.contains { $0.words.formula.contains("capped at the payment's cap 2000") })
    }

    @Test func severalPayersAndPayeesShareEveryAmount() throws {
        let settlement = try PFS.settle(path: Repository.path("Contracts/example-several-payers.xml"), year: 2024).get()
        let payment = try #require(settlement.payments?.first)
        #expect(payment.byRule == d("1400"))
        #expect(payment.amount == d("1150"))  // cut to the FY2024 limit of 1200, then City B's part to its limit of 250
        #expect(payment.cutByCaps == d("250"))
        #expect(payment.payers.map { "\($0.party.id)=\($0.amount)" } == ["prefecture=600", "city-a=300", "city-b=250"])
        #expect(payment.payees.map { "\($0.party.id)=\($0.amount)" } == ["lead=805", "partner=345"])
        #expect(try ExactDecimal.sum(payment.payers.map(\.amount)) == payment.amount)
        #expect(try ExactDecimal.sum(payment.payees.map(\.amount)) == payment.amount)
    }

    @Test func sibWaterfallRepaysPrincipalThenReturnThenResidual() throws {
        let path = Repository.path("Contracts/example-sib.xml")
        let first = try #require(try PFS.settle(path: path, year: 2023).get().sib)
        #expect(first.feeThisYear == d("100"))
        #expect(first.investors.map(\.principalThisYear) == [d("1425"), d("475")])
        #expect(first.investors.map(\.returnThisYear) == [.zero, .zero])
        let second = try #require(try PFS.settle(path: path, year: 2024).get().sib)
        #expect(second.receivedThisYear == d("2880"))
        #expect(second.feeThisYear == d("144"))
        #expect(second.investors.map(\.principalThisYear) == [d("1575"), d("525")])
        #expect(second.investors.map(\.principalToDate) == [d("3000"), d("1000")])
        #expect(second.investors.map(\.returnThisYear) == [d("300"), d("100")])
        #expect(second.residualThisYear == d("236"))
        // Every amount received is accounted for.
        let out = try ExactDecimal.sum(
            [second.feeToDate, second.residualToDate]
                + second.investors.flatMap { [$0.principalToDate, $0.returnToDate] })
        #expect(out == second.receivedToDate)
    }

    /// Every kind whose amount follows the outcome's direction (a share of savings follows
    /// the savings, whichever way the KPI is better).
    static let rules = RuleKinds.examples.filter { !$0.kindRule.inputs.contains(.accountRepaid) }

    /// For every rule and either direction, a better outcome never pays less, and no rule
    /// pays a negative amount.
    @Test func aBetterOutcomeNeverPaysLess() async {
        await propertyCheck(
            count: 400, input: Gen.int(in: 0..<Self.rules.count), Gen.int(in: -100...1_200), Gen.int(in: 0...300),
            Gen.bool, Gen.int(in: 0...3)
        ) { index, outcome, gain, lowerIsBetter, modeIndex in
            let rule = Self.rules[index]
            let rounding = RoundingRule(
                increment: ExactDecimal(significand: 5, scale: 1), mode: RoundingMode.allCases[modeIndex])
            let direction: Direction = lowerIsBetter ? .lowerIsBetter : .higherIsBetter
            let worse = ExactDecimal(outcome)
            let better = ExactDecimal(lowerIsBetter ? outcome - gain : outcome + gain)
            guard
                let a = try? rule.evaluate(
                    outcome: worse, direction: direction, kpiBaseline: ExactDecimal(100), rounding: rounding),
                let b = try? rule.evaluate(
                    outcome: better, direction: direction, kpiBaseline: ExactDecimal(100), rounding: rounding)
            else {
                Issue.record("rule \(rule.kind) threw")
                return
            }
            #expect(
                a.amount <= b.amount,
                "\(rule.kind) \(direction.rawValue): \(worse) pays \(a.amount) but better \(better) pays \(b.amount)")
            #expect(a.amount.signum >= 0)
        }
    }

    /// Over generated contracts: no payment exceeds its cap, the payments to date never
    /// exceed the contract's maximum, and what the caps cut plus what is paid is what the
    /// rule gave.
    @Test func noPaymentExceedsAnyCap() async {
        await propertyCheck(
            count: 150, input: Gen.int(in: 0...2_000).array(of: 3), Gen.int(in: 1...50), Gen.int(in: 0...3_000),
            Gen.int(in: 0...6_000),
            Gen.int(in: 0...4_000), Gen.int(in: 0...5_000)
        ) {
            actuals, price, cap, maximum, yearLimit, payerLimit in
            var payments = ""
            var observations = ""
            for (offset, actual) in actuals.enumerated() {
                let year = 2020 + offset
                observations += #"<actual year="\#(year)" value="\#(actual)"/>"#
                payments +=
                    #"<payment id="p\#(year)" payee="provider" year="\#(year)" kpi="k" cap="\#(cap)"><name en="p"/>"#
                    + #"<payer party="city" share="0.7"/><payer party="town" share="0.3"/><per-unit price="\#(price)"/></payment>"#
            }
            let xml = """
                <contract xmlns="urn:pfs:contract:1" format-version="1" id="generated">
                  <title ja="t" en="t"/><amounts currency="JPY" scale="1"/><rounding increment="1" mode="half-up"/>
                  <fiscal-year start-month="4"/><term first="2020" last="2022"/>
                  <parties><party id="city" role="public-sector"><name en="City"/></party><party id="town" role="public-sector"><name en="Town"/></party>
                  <party id="provider" role="provider"><name en="P"/></party></parties>
                  <kpis><kpi id="k" direction="higher-is-better" unit="persons"><name en="k"/><baseline year="2019" value="100"/>\(observations)</kpi></kpis>
                  <payments maximum="\(maximum)"><year-limit year="2021" maximum="\(yearLimit)"/><payer-limit party="town" maximum="\(payerLimit)"/>\(payments)</payments>
                </contract>
                """
            let checked = PFS.check(bytes: Array(xml.utf8), file: "generated.xml")
            var townPaid = ExactDecimal.zero
            for year in 2020...2022 {
                guard case .success(let settlement) = PFS.settle(checked, fileName: "generated.xml", year: year) else {
                    Issue.record("generated contract did not settle: \(checked.diagnostics.map(\.rendered))")
                    return
                }
                for payment in settlement.payments ?? [] {
                    #expect(payment.amount <= ExactDecimal(cap))
                    #expect(payment.amount.signum >= 0)
                    #expect((try? payment.amount.adding(payment.cutByCaps)) == payment.byRule)
                    #expect((try? ExactDecimal.sum(payment.payers.map(\.amount))) == payment.amount)
                    #expect((try? ExactDecimal.sum(payment.payees.map(\.amount))) == payment.amount)
                    if year == 2021 { #expect(payment.amount <= ExactDecimal(yearLimit)) }
                    townPaid =
                        (try? townPaid.adding(payment.payers.first { $0.party.id == "town" }?.amount ?? .zero))
                        ?? townPaid
                }
                #expect(townPaid <= ExactDecimal(payerLimit))
                #expect(settlement.paymentTotals.map { $0.paidToDate <= ExactDecimal(maximum) } == true)
            }
        }
    }
}
