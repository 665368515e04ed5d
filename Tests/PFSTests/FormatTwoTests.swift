import Foundation
import PFS
import PFSModel
import PFSStatements
import PFSTestSupport
import PropertyBased
import Testing

/// Contract format 2: year labels, measures against comparison groups, per-unit payments
/// behind a threshold, conditions and targets.
struct FormatTwoTests {
    /// A format-2 contract with one KPI (lower is better, a comparison group) and `payments`.
    static func contract(
        kpis: String, payments: String, targets: String = "", labels: String = "uk", startMonth: Int = 4
    ) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <contract xmlns="urn:pfs:contract:2" format-version="2" id="inline">
          <title ja="検査" en="Test"/>
          <amounts currency="GBP" scale="1" label-ja="ポンド" label-en="pounds"/>
          <rounding increment="1" mode="down"/>
          <fiscal-year start-month="\(startMonth)" labels="\(labels)"/>
          <term first="2023" last="2024"/>
          <parties>
            <party id="city" role="public-sector"><name ja="市" en="City"/></party>
            <party id="provider" role="provider"><name ja="事業者" en="Provider"/></party>
          </parties>
          <kpis>\(kpis)</kpis>
          \(targets)
          <payments>\(payments)</payments>
        </contract>
        """
    }

    static func settle(_ text: String, year: Int = 2023) throws -> Settlement {
        let checked = PFS.check(bytes: Array(text.utf8), file: "inline.xml")
        return try PFS.settle(checked, fileName: "inline.xml", year: year).get()
    }

    static func shipped(_ name: String, _ year: Int) throws -> Settlement {
        try PFS.settle(path: Repository.path("Contracts/\(name).xml"), year: year).get()
    }

    @Test func yearLabelsFollowTheConvention() {
        let us = FiscalYear(2025, startMonth: 10, labels: .usFederal)
        #expect((us.label, us.firstDay, us.lastDay) == ("FY2025", "2024-10-01", "2025-09-30"))
        let uk = FiscalYear(2024, startMonth: 4, labels: .uk)
        #expect((uk.label, uk.firstDay, uk.lastDay) == ("2024-25", "2024-04-01", "2025-03-31"))
        let au = FiscalYear(2024, startMonth: 7, labels: .australia)
        #expect((au.label, au.firstDay, au.lastDay) == ("2024–25", "2024-07-01", "2025-06-30"))
        #expect(YearLabels.japanese.japanese(2024) == "令和6年度")
        #expect(YearLabels.japanese.japanese(2019) == "令和元年度")
        #expect(YearLabels.uk.japanese(2024) == "2024年4月～2025年3月（英国会計年度）")
        #expect(YearLabels.australia.japanese(2099) == "2099年7月～2100年6月（豪州会計年度）")
        #expect(YearLabels.usFederal.japanese(2025) == "2024年10月～2025年9月（米国連邦会計年度）")
        #expect(YearLabels.fy.japanese(2024) == nil)
        // Format 1's FY2024 is unchanged.
        #expect(FiscalYear(2024, startMonth: 4).label == "FY2024")
    }

    @Test func statementsNameTheYearByTheConvention() throws {
        let uk = try Self.shipped("example-comparison-group", 2013)
        #expect(uk.fiscalYear.label == "2013-14")
        #expect(uk.fiscalYear.labelJA == "2013年4月～2014年3月（英国会計年度）")
        let document = AnnualSettlement.document(uk)
        #expect(document.title.text(.en) == "Annual settlement — 2013-14")
        #expect(document.title.text(.ja) == "成果連動支払額算定書 — 2013年4月～2014年3月（英国会計年度）")
        let us = try Self.shipped("example-per-unit-threshold", 2025)
        #expect((us.fiscalYear.label, us.fiscalYear.firstDay) == ("FY2025", "2024-10-01"))
        let japan = try Self.shipped("example-conditions-targets", 2024)
        #expect(AnnualSettlement.document(japan).title.text(.ja) == "成果連動支払額算定書 — 令和6年度（2024年度）")
    }

    /// The comparison-group example's arithmetic, as its comment works it out.
    @Test func comparisonGroupExampleSettlesToItsArithmetic() throws {
        let cohort1 = try Self.shipped("example-comparison-group", 2012)
        #expect(cohort1.payments?.map(\.amount) == [.zero])
        #expect(cohort1.payments?.first?.outcome?.value == d("0.084"))
        let cohort2 = try Self.shipped("example-comparison-group", 2013)
        #expect(cohort2.payments?.map(\.amount) == [d("500000")])
        #expect(cohort2.payments?.first?.outcome?.value == d("0.1182"))
        let final = try Self.shipped("example-comparison-group", 2014)
        #expect(final.payments?.map(\.byRule) == [d("331100")])
        #expect(final.payments?.map(\.amount) == [d("300000")])
        #expect(final.payments?.first?.conditionsHeld == true)
        #expect(final.paymentTotals?.paidToDate == d("800000"))
    }

    @Test func perUnitThresholdExampleSettlesToItsArithmetic() throws {
        #expect(try Self.shipped("example-per-unit-threshold", 2025).payments?.map(\.amount) == [d("314500")])
        #expect(try Self.shipped("example-per-unit-threshold", 2026).payments?.map(\.amount) == [.zero])
        #expect(try Self.shipped("example-per-unit-threshold", 2027).payments?.map(\.amount) == [d("225000")])
    }

    @Test func conditionsAndTargetsExampleSettlesToItsArithmetic() throws {
        let first = try Self.shipped("example-conditions-targets", 2024)
        #expect(first.payments?.map(\.amount) == [d("3000")])
        #expect(first.targets?.map(\.achieved) == [true, true, true, true])
        let second = try Self.shipped("example-conditions-targets", 2025)
        #expect(second.payments?.map(\.amount) == [.zero, d("150")])
        #expect(second.payments?.map(\.conditionsHeld) == [false, true])
        #expect(second.targets?.map(\.achieved) == [true, false, false, false])
        let above = try #require(second.targets?.first { $0.id == "screening-above" })
        #expect(above.conditions.map(\.operand) == ["0.6", "0.59"])
        #expect(above.conditions.map(\.holds) == [false, false])
        #expect(above.conditions[0].text == "Health check-up rate actual 0.58 > National 0.60: does not hold")
    }

    /// A relative improvement is compared exactly with any mark of up to three decimals,
    /// including where the ratio has no finite decimal form (e.g. 1 ÷ 3).
    @Test func relativeImprovementThresholdsAreDecidedExactly() async {
        await propertyCheck(
            count: 120, input: Gen.int(in: 1...3000), Gen.int(in: 0...1000), Gen.int(in: 0...1000), Gen.bool
        ) { comparison, cut, mark, inclusive in
            let treatment = comparison - min(cut, comparison)
            let kpis = """
                <kpi id="events" direction="lower-is-better" unit="events"><name en="Events"/>
                <baseline year="2022" value="\(comparison)"/><actual year="2023" value="\(treatment)"/>
                <comparison-group><name en="Comparison"/><value year="2023" value="\(comparison)"/></comparison-group>
                </kpi>
                """
            let markText = String(format: "%d.%03d", mark / 1000, mark % 1000)
            let payments = """
                <payment id="p" payer="city" payee="provider" year="2023" kpi="events"
                  measure="relative-improvement" against="comparison"><name en="P"/>
                <threshold at="\(markText)" amount="100" inclusive="\(inclusive)"/></payment>
                """
            // (c − t) ÷ c against m ÷ 1000, cross-multiplied.
            let left = (comparison - treatment) * 1000
            let right = mark * comparison
            let reached = inclusive ? left >= right : left > right
            let settled = try? Self.settle(Self.contract(kpis: kpis, payments: payments))
            #expect(settled?.payments?.first?.amount == (reached ? d("100") : .zero))
        }
    }

    /// Per unit behind a threshold: nothing below it, every unit or the units beyond it at
    /// or above it, and never less for more units.
    @Test func perUnitBehindAThresholdPaysAsDeclared() async {
        await propertyCheck(count: 80, input: Gen.int(in: 0...500), Gen.int(in: 0...300), Gen.bool) {
            units, threshold, beyond in
            func paid(_ units: Int) -> ExactDecimal? {
                let kpis = """
                    <kpi id="events" direction="lower-is-better" unit="events"><name en="Events"/>
                    <baseline year="2022" value="1000"/><actual year="2023" value="\(1000 - units)"/>
                    <comparison-group><name en="Comparison"/><value year="2023" value="1000"/></comparison-group>
                    </kpi>
                    """
                let payments = """
                    <payment id="p" payer="city" payee="provider" year="2023" kpi="events"
                      measure="improvement" against="comparison"><name en="P"/>
                    <per-unit price="3" threshold="\(threshold)" pays="\(beyond ? "beyond" : "all")"/></payment>
                    """
                return (try? Self.settle(Self.contract(kpis: kpis, payments: payments)))?.payments?.first?.amount
            }
            let expected = units < threshold ? 0 : (beyond ? units - threshold : units) * 3
            #expect(paid(units) == ExactDecimal(expected))
            if units < 500, let now = paid(units), let more = paid(units + 1) { #expect(more >= now) }
        }
    }

    /// Conditions that ask for more of a higher-is-better KPI never stop holding when it rises.
    @Test func conditionsAreMonotoneInTheKPI() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...100), Gen.int(in: 0...100), Gen.int(in: 0...100)) {
            low, raise, national in
            func paid(_ rate: Int) -> ExactDecimal? {
                let kpis = """
                    <kpi id="rate" direction="higher-is-better" unit="%"><name en="Rate"/>
                    <baseline year="2022" value="50"/><actual year="2023" value="\(rate)"/>
                    <series id="national"><name en="National"/><value year="2023" value="\(national)"/></series>
                    </kpi>
                    """
                let payments = """
                    <payment id="p" payer="city" payee="provider" year="2023"><name en="P"/>
                    <when><condition kpi="rate" compare="ge" value="40"/>
                    <any-of><condition kpi="rate" compare="gt" series="national"/>
                    <condition kpi="rate" measure="improvement" against="baseline" compare="ge" value="10"/></any-of>
                    </when><fixed amount="10"/></payment>
                    """
                return (try? Self.settle(Self.contract(kpis: kpis, payments: payments)))?.payments?.first?.amount
            }
            let before = paid(low)
            let after = paid(min(100, low + raise))
            #expect(before != nil && after != nil)
            if let before, let after { #expect(after >= before) }
            let holds = low >= 40 && (low > national || low - 50 >= 10)
            #expect(before == (holds ? d("10") : .zero))
        }
    }

    @Test func savingsShareExampleSwitchesWithinFY2017() throws {
        let amounts = try (2014...2018).map { try Self.shipped("example-savings-share", $0).payments?.first?.amount }
        #expect(amounts == ["269954.85", "267478.20", "265001.55", "254906.94", "110536.80"].map { d($0) })
        let switched = try #require(try Self.shipped("example-savings-share", 2017).payments?.first?.repayment)
        #expect(switched.switchedAtSavings == "≈260595.1579")
        #expect((switched.paidBefore, switched.paidAfter) == (d("802434.60"), d("1057341.54")))
        #expect(try Self.shipped("example-savings-share", 2016).payments?.first?.repayment?.switchedAtSavings == nil)
    }

    /// However the savings fall across the years, the payments add up to the share of the
    /// savings in all: `rate` up to the mark, `then-rate` beyond it (money neither appears
    /// nor vanishes at the switch). Figures chosen so that nothing is rounded.
    @Test func savingsShareIsPathIndependent() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...400).array(of: 2...2), Gen.int(in: 1...500)) {
            yearly, half in
            // An even principal and savings in fours keep every amount whole.
            let principal = half * 2
            let improvements = yearly.map { $0 * 4 }
            let expected = improvements.map { _ in 1000 }
            var kpi = #"<kpi id="cost" direction="lower-is-better" unit="yen"><name en="Cost"/><money/>"#
            kpi += #"<baseline year="2022" value="1000"/>"#
            for (index, improvement) in improvements.enumerated() {
                let year = 2023 + index
                kpi += #"<expected year="\#(year)" value="\#(expected[index])"/>"#
                kpi += #"<actual year="\#(year)" value="\#(expected[index] - improvement)"/>"#
            }
            kpi += "</kpi>"
            let payments = (0..<improvements.count).map { index in
                """
                <payment id="p\(index)" payer="city" payee="provider" year="\(2023 + index)" kpi="cost"
                  measure="improvement" against="expected"><name en="P"/>
                <savings-share rate="0.5" then-rate="0.25" principal="\(principal)" account="a"/></payment>
                """
            }.joined()
            let text = Self.contract(kpis: kpi, payments: payments)
            let paid = (2023...2024).compactMap { try? Self.settle(text, year: $0).payments?.first?.amount }
            let total = improvements.reduce(0, +)
            let mark = principal
            // 0.5 × savings up to the mark (reached after 2 × mark of savings), 0.25 beyond.
            let share = 2 * total <= 4 * mark ? total * 2 : mark * 4 + (total - 2 * mark)
            #expect(paid.count == 2)
            #expect((try? ExactDecimal.sum(paid)) == (try? ExactDecimal(share).multiplied(by: d("0.25"))))
        }
    }

    @Test func rateCardExampleSettlesToItsArithmetic() throws {
        let first = try #require(try Self.shipped("example-rate-card", 2024).payments?.first?.rateCard)
        #expect((first.participants, first.participantsCapped) == (5, 2))
        #expect(try Self.shipped("example-rate-card", 2024).payments?.first?.amount == d("21800"))
        let second = try Self.shipped("example-rate-card", 2025)
        #expect(second.payments?.first?.amount == d("16700"))
        let cut = second.payments?.first?.rateCard?.lines.filter { $0.cut.signum > 0 }
        #expect(cut?.map { "\($0.participant) \($0.outcome) \($0.cut)" } == ["P001 sustained 1800"])
    }

    /// However achievements fall, no participant is paid more than the cap of a year or of
    /// the term, every line's cut and payment add up to its price, the outcome totals add
    /// up to the lines, and the amount is the lines' sum.
    @Test func rateCardCapsAreNeverExceededAndCutsAddUp() async {
        let outcomes = [("a", 60), ("b", 45), ("c", 20)]
        await propertyCheck(
            count: 60, input: Gen.int(in: 0...20).array(of: 1...30), Gen.int(in: 50...200), Gen.int(in: 0...2)
        ) { draws, yearCap, order in
            let orders = ["last-recorded-first", "lowest-price-first", "highest-price-first"]
            var records = ""
            for (index, draw) in draws.enumerated() {
                let outcome = outcomes[draw % 3].0
                records += #"<record participant="P\#(draw % 4)" outcome="\#(outcome)" year="\#(2023 + index % 2)"/>"#
            }
            let kpis =
                #"<kpi id="n" direction="higher-is-better" unit="n"><name en="N"/><baseline year="2022" value="0"/></kpi>"#
            let card = """
                <rate-card id="card" cap-per-year="\(yearCap)" cap-per-term="\(yearCap + yearCap / 2)" cut-order="\(orders[order])">
                <name en="Card"/>
                \(outcomes.map { #"<outcome id="\#($0.0)" price="\#($0.1)"><name en="\#($0.0)"/></outcome>"# }.joined())
                \(records)</rate-card>
                """
            let payments = (2023...2024).map { year in
                #"<payment id="p\#(year)" payer="city" payee="provider" year="\#(year)"><name en="P"/><by-rate-card card="card"/></payment>"#
            }.joined()
            let text = Self.contract(kpis: kpis, payments: card + payments)
            var term: [String: ExactDecimal] = [:]
            for year in 2023...2024 {
                let payment = try #require(try Self.settle(text, year: year).payments?.first, "\(year) settles")
                let result = try #require(payment.rateCard)
                var thisYear: [String: ExactDecimal] = [:]
                for line in result.lines {
                    #expect(try line.paid.adding(line.cut) == line.price)
                    #expect(line.cut.signum >= 0)
                    #expect(line.paid.signum >= 0)
                    thisYear[line.participant] = try thisYear[line.participant, default: .zero].adding(line.paid)
                }
                for (participant, paid) in thisYear {
                    #expect(paid <= ExactDecimal(yearCap))
                    let toDate = try term[participant, default: .zero].adding(paid)
                    term[participant] = toDate
                    #expect(toDate <= ExactDecimal(yearCap + yearCap / 2))
                }
                #expect(try ExactDecimal.sum(result.lines.map(\.paid)) == payment.amount)
                #expect(try ExactDecimal.sum(result.outcomes.map(\.paid)) == payment.amount)
                #expect(result.outcomes.map(\.achieved).reduce(0, +) == result.lines.count)
            }
        }
    }

    @Test func investorClassesExampleSettlesToItsArithmetic() throws {
        let last = try #require(try Self.shipped("example-investor-classes", 2017).sib)
        #expect(last.performance == "0.14")
        #expect(last.classes?.map(\.returnToDate) == [d("1150000"), d("769951")])
        #expect(last.classes?.map(\.principalToDate) == [d("5000000"), d("2000000")])
        #expect(last.residualThisYear == d("50049"))
        #expect(last.investors.map(\.party.id) == ["super-fund", "bank", "foundation"])
        #expect(last.investors.map(\.maximumReturn) == [nil, nil, nil])
        let fourth = try #require(try Self.shipped("example-investor-classes", 2016).sib?.classes?.last)
        #expect((fourth.rate, fourth.returnEarned) == ("≈0.120976", d("241951")))
    }

    /// Whatever is received and however the bond performs, money is conserved: received =
    /// fee + principal repaid + returns paid + residual, every class's principal = repaid +
    /// lost + outstanding, nothing is negative; at maturity a class at risk has lost exactly
    /// what it was not repaid, while a protected one loses nothing and still owes it.
    @Test func classWaterfallsConserveMoney() async {
        await propertyCheck(
            count: 50, input: Gen.int(in: 0...400).array(of: 2...2), Gen.int(in: 0...60).array(of: 2...2), Gen.bool
        ) { receipts, performance, principalFirst in
            let kpi = """
                <kpi id="k" direction="higher-is-better" unit="%"><name en="K"/><baseline year="2022" value="0"/>
                <actual year="2023" value="\(performance[0])"/><actual year="2024" value="\(performance[1])"/></kpi>
                """
            let payments = (0..<2).map { index in
                """
                <payment id="p\(index)" payer="city" payee="trust" year="\(2023 + index)"><name en="P"/>
                <fixed amount="\(receipts[index])"/></payment>
                """
            }.joined()
            let sib = """
                <sib intermediary="trust" residual="provider" fee-rate="0.05">
                <performance kpi="k"/>
                <class id="senior" rank="1" principal="200" protected="true"
                  repayment="\(principalFirst ? "principal-first" : "coupons")" max-return="0.2">
                  <name en="Senior"/><holder party="a" share="0.5"/><holder party="b" share="0.5"/>
                  <return at="0" rate="0.02"/><return at="30" rate="0.06"/></class>
                <class id="junior" rank="2" principal="150" interpolation="linear" loss-floor="20" total-loss-at="5">
                  <name en="Junior"/><holder party="b" share="0.3"/><holder party="c" share="0.7"/>
                  <return at="20" rate="0"/><return at="50" rate="0.25"/></class>
                </sib>
                """
            var text = Self.contract(kpis: kpi, payments: payments).replacingOccurrences(
                of: "</contract>", with: sib + "</contract>")
            text = text.replacingOccurrences(
                of: #"<party id="provider" role="provider">"#,
                with: """
                    <party id="trust" role="intermediary"><name en="Trust"/></party>
                    <party id="a" role="investor"><name en="A"/></party><party id="b" role="investor"><name en="B"/></party>
                    <party id="c" role="investor"><name en="C"/></party><party id="provider" role="provider">
                    """)
            let flows = try #require(try Self.settle(text, year: 2024).sib)
            let classes = try #require(flows.classes)
            let principal = try ExactDecimal.sum(classes.map(\.principalToDate))
            let returns = try ExactDecimal.sum(classes.map(\.returnToDate))
            #expect(try ExactDecimal.sum([flows.feeToDate, principal, returns, flows.residualToDate]) == flows.receivedToDate)
            for flow in classes {
                #expect(try ExactDecimal.sum([flow.principalToDate, flow.loss, flow.principalOutstanding]) == flow.principal)
                for value in [flow.loss, flow.principalOutstanding, flow.returnThisYear, flow.returnUnpaid] {
                    #expect(value.signum >= 0)
                }
            }
            #expect(try ExactDecimal.sum(flows.investors.map(\.principalToDate)) == principal)
            #expect(classes[0].loss == .zero)
            // At maturity (2024, the term's last year) the class at risk has lost whatever it was
            // not repaid, and owes nothing more; the protected class still owes its unrepaid principal.
            let (senior, junior) = (classes[0], classes[1])
            #expect(junior.loss == (try junior.principal.subtracting(junior.principalToDate)))
            #expect(junior.principalOutstanding == .zero)
            #expect(senior.principalOutstanding == (try senior.principal.subtracting(senior.principalToDate)))
        }
    }

    /// The register keeps a contract's own bytes: a rate card whose records are in a file
    /// beside it is refused, saying how to keep it in a register, and nothing is recorded.
    @Test func aRegisterRefusesRecordsKeptInAFile() throws {
        let folder = try TemporaryFolder.make()
        let register = folder.appendingPathComponent("register.sqlite").path
        #expect(try CommandRun.pfs(["register", "init", "--authority-key", "authority.key", "--register", register], in: folder.path).status == 0)
        let run = try CommandRun.pfs(
            ["settle", Repository.contracts + "/example-rate-card.xml", "--year", "2024", "--register", register],
            in: folder.path)
        #expect(run.status == 1)
        #expect(run.standardError.contains("[rate-card-records] rate card 'youth' keeps its records in"))
        #expect(run.standardError.contains("write the records into the contract as <record> elements"))
        let status = try CommandRun.pfs(["status", "--register", register], in: folder.path)
        #expect(!status.standardOutput.contains("example-rate-card"))
    }

    /// `pfs explain` walks every new kind of step back to the contract's figures: the
    /// comparison group's value is a leaf with its line and element, like any input.
    @Test func explainReachesTheComparisonGroupAndTheNewSteps() throws {
        let comparison = try CommandRun.pfs(
            ["explain", "Contracts/example-comparison-group.xml", "--year", "2013", "--lang", "en"])
        #expect(comparison.status == 0)
        #expect(comparison.standardOutput.contains("events-cohort-2 comparison group 2013-14 = 1480"))
        #expect(
            comparison.standardOutput.contains("/kpis/kpi[@id='events-cohort-2']/comparison-group/value[@year='2013']"))
        for (contract, year, text) in [
            ("example-savings-share", "2017", "the rate changes there"),
            ("example-rate-card", "2024", "rate card 'youth': 13 achievements of 5 participants"),
            ("example-investor-classes", "2017", "SIB class waterfall through 'trust' for 2017–18"),
            ("example-conditions-targets", "2025", "target 'screening-0.6' for screening-rate"),
            ("example-per-unit-threshold", "2027", "the 2500 units beyond it paid"),
        ] {
            let run = try CommandRun.pfs(["explain", "Contracts/\(contract).xml", "--year", year, "--lang", "en"])
            #expect(
                run.status == 0 && run.standardOutput.contains(text), "\(contract): \(run.standardOutput.prefix(400))")
        }
    }

    /// `pfs check` says which format a contract is written in.
    @Test func checkSaysTheFormatVersion() throws {
        let run = try CommandRun.pfs([
            "check", "Contracts/example-comparison-group.xml", "Contracts/maebashi-profit-share.xml",
        ])
        #expect(
            run.standardOutput
                == "Contracts/example-comparison-group.xml: ok (format 2)\nContracts/maebashi-profit-share.xml: ok (format 1)\n"
        )
    }
}
