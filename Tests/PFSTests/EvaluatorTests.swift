import Foundation
import PFS
import PFSChecks
import PFSEvaluator
import PFSLedger
import PFSModel
import PFSOutput
import PFSStatements
import PFSTestSupport
import PropertyBased
import Testing

@Suite struct SettlementRules {
    @Test func maebashiPublishedIllustration() throws {
        let result = PFS.settle(path: Repository.path("Contracts/maebashi-profit-share.xml"), year: 2024)
        let settlement = try result.get()
        let itemC = try #require(settlement.kpis.first { $0.id == "item-c" })
        #expect(itemC.improvement == d("300"))
        #expect(itemC.fiscalImprovement == d("300"))
        let project = try #require(settlement.projects.first)
        #expect(project.attributable == d("90"))
        #expect(project.providerReward == d("18"))
        #expect(project.publicShare == d("72"))
        #expect(settlement.totals.providerRewards == d("18"))
        #expect(settlement.totals.publicShare == d("72"))
        #expect(settlement.amounts.scale == d("1000"))
        #expect(settlement.kpis.filter { $0.status == .notMeasured }.map(\.id) == ["item-a", "item-b", "item-d"])
    }

    @Test func higherIsBetterReversesTheDifference() throws {
        let contract = ContractXML(
            kpis: ContractXML.moneyKPI("revenue", direction: "higher-is-better", expected: "1000", actual: "1400"),
            projects: ContractXML.project("p", credits: [("revenue", "1")], shares: [("provider", "0.5")]))
        let settlement = try #require(contract.settle())
        #expect(settlement.kpis[0].improvement == d("400"))
        #expect(settlement.projects[0].providerReward == d("200"))
    }

    @Test func valuePerUnitTurnsImprovementIntoMoney() throws {
        let kpi = """
            <kpi id="screened" direction="higher-is-better" unit="persons">
              <name en="People screened"/>
              <value-per-unit amount="12.5"/>
              <baseline year="2019" value="1000"/>
              <expected year="2024" value="1100"/>
              <actual year="2024" value="1187"/>
            </kpi>
            """
        let contract = ContractXML(
            kpis: kpi, projects: ContractXML.project("p", credits: [("screened", "0.5")], shares: [("provider", "0.4")])
        )
        let settlement = try #require(contract.settle())
        #expect(settlement.kpis[0].improvement == d("87"))
        #expect(settlement.kpis[0].fiscalImprovement == d("1087.5"))
        let project = settlement.projects[0]
        #expect(project.netAttributable == d("543.75"))
        #expect(project.attributable == d("543"))  // rounded down once, to the contract's increment of 1
        #expect(project.providerReward == d("217"))  // 543 × 0.4 = 217.2
        #expect(project.publicShare == d("326"))  // 543 × 0.6 = 325.8, +1 leftover (largest remainder)
    }

    @Test func negativeImprovementPaysNothingAndSaysSo() throws {
        let contract = ContractXML(
            kpis: ContractXML.moneyKPI("cost", expected: "2000", actual: "2300"),
            projects: ContractXML.project("p", credits: [("cost", "0.3")], shares: [("provider", "0.2")]))
        let settlement = try #require(contract.settle())
        let project = settlement.projects[0]
        #expect(project.netAttributable == d("-90"))
        #expect(project.flooredAtZero)
        #expect(project.attributable == .zero)
        #expect(project.allocations.allSatisfy { $0.amount == .zero })
        let text = Statement.render(settlement, as: .text)
        #expect(text.contains("Net attributable -90 is negative: nothing is paid this year."))
    }

    /// FY2021 the cost rises (net −100 attributable), FY2022 it falls (+300): the policy
    /// decides what FY2022 pays.
    @Test(arguments: [
        ("floor", ["city=240", "provider=60"], nil as String?, nil as String?),
        ("carry-forward", ["city=160", "provider=40"], "-100", "0"),
        ("claw-back", ["city=260", "provider=40"], nil, nil),
    ])
    func negativeImprovementPolicies(
        _ policy: String, _ split: [String], _ carriedIn: String?, _ carriedOut: String?
    ) throws {
        let kpi = """
            <kpi id="cost" direction="lower-is-better" unit="yen"><name en="cost"/><money/>
              <baseline year="2019" value="1000"/>
              <expected year="2021" value="1000"/><actual year="2021" value="1100"/>
              <expected year="2022" value="1000"/><actual year="2022" value="700"/>
            </kpi>
            """
        var contract = ContractXML(
            kpis: kpi, projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.2")]))
        // The term starts with the first year of data: a year before it would be a gap.
        contract.term = (2021, 2024)
        let xml = contract.text.replacingOccurrences(
            of: "<projects>", with: "<projects negative-improvement=\"\(policy)\">")
        let checked = PFS.check(bytes: Array(xml.utf8), file: "inline.xml")
        let first = try PFS.settle(checked, fileName: "inline.xml", year: 2021).get().projects[0]
        #expect(first.flooredAtZero)
        #expect(first.allocations.allSatisfy { $0.amount == .zero })
        let second = try PFS.settle(checked, fileName: "inline.xml", year: 2022).get().projects[0]
        #expect(second.allocations.map { "\($0.party.id)=\($0.amount)" } == split)
        #expect(second.carriedIn?.description == carriedIn)
        #expect(second.carriedOut?.description == carriedOut)
        #expect(try ExactDecimal.sum(second.allocations.map(\.amount)) == second.attributable)
        if policy == "claw-back" {
            #expect(first.clawbackOwed?.map(\.amount) == [d("20")])
            #expect(second.clawbackOwed?.map(\.amount) == [.zero])
            #expect(second.allocations.map(\.clawback) == [d("20"), d("-20")])
        }
    }

    @Test func rewardMaximumCutsLaterRewardsInProportion() throws {
        let path = Repository.path("Contracts/example-reward-maximum.xml")
        let first = try PFS.settle(path: path, year: 2023).get()
        #expect(first.rewardCap?.remaining == d("40"))
        #expect(first.projects[0].providerReward == d("60"))
        let second = try PFS.settle(path: path, year: 2024).get()
        #expect(second.rewardCap?.paidBefore == d("60"))
        #expect(second.rewardCap?.cut == d("50"))
        #expect(
            second.projects[0].allocations.map { "\($0.party.id)=\($0.amount)" } == [
                "city=260", "lead=27", "partner=13",
            ])
        #expect(try ExactDecimal.sum(second.projects[0].allocations.map(\.amount)) == second.projects[0].attributable)
        #expect(second.totals.providerRewards == d("40"))
    }

    @Test func projectNetsItsKPIsBeforeTheFloor() throws {
        let kpis =
            ContractXML.moneyKPI("a", expected: "1000", actual: "800")
            + ContractXML.moneyKPI("b", expected: "500", actual: "550")
        let contract = ContractXML(
            kpis: kpis,
            projects: ContractXML.project("p", credits: [("a", "0.5"), ("b", "1")], shares: [("provider", "0.5")]))
        let settlement = try #require(contract.settle())
        #expect(settlement.projects[0].netAttributable == d("50"))  // 200 × 0.5 − 50 × 1
        #expect(settlement.projects[0].providerReward == d("25"))
    }

    @Test func severalProjectsShareOneKPI() throws {
        let projects =
            ContractXML.project("p1", credits: [("cost", "0.3")], shares: [("provider", "0.2")])
            + ContractXML.project("p2", credits: [("cost", "0.7")], shares: [("provider", "0.1")])
        let contract = ContractXML(
            kpis: ContractXML.moneyKPI("cost", expected: "2500", actual: "2200"), projects: projects)
        let settlement = try #require(contract.settle())
        #expect(settlement.projects.map(\.attributable) == [d("90"), d("210")])
        #expect(settlement.totals.attributable == d("300"))
        #expect(settlement.totals.providerRewards == d("39"))  // 18 + 21
        #expect(settlement.totals.publicShare == d("261"))
    }

    @Test func severalProvidersSplitByLargestRemainderInPartyOrder() throws {
        var contract = ContractXML(
            kpis: ContractXML.moneyKPI("cost", expected: "1000", actual: "999"),
            projects: ContractXML.project(
                "p", credits: [("cost", "1")], shares: [("second", "0.25"), ("first", "0.25")]))
        contract.parties = """
            <party id="city" role="public-sector"><name en="City"/></party>
            <party id="first" role="provider"><name en="First"/></party>
            <party id="second" role="provider"><name en="Second"/></party>
            """
        let settlement = try #require(contract.settle())
        // 1 × (0.5 city, 0.25, 0.25): the city's remainder 0.5 is largest and takes the one unit.
        let amounts = settlement.projects[0].allocations.map { "\($0.party.id)=\($0.amount)" }
        #expect(amounts == ["city=1", "first=0", "second=0"])
        var tie = contract
        tie.projects = ContractXML.project(
            "p", credits: [("cost", "1")], shares: [("second", "0.5"), ("first", "0.5")])
        let tied = try #require(tie.settle())
        #expect(
            tied.projects[0].allocations.map { "\($0.party.id)=\($0.amount)" } == ["city=0", "first=1", "second=0"])
    }

    @Test func roundingIsAppliedOnceWithTheDeclaredMode() throws {
        for (mode, expected) in [("down", "1000"), ("half-up", "2000"), ("up", "2000"), ("half-even", "2000")] {
            var contract = ContractXML(
                kpis: ContractXML.moneyKPI("cost", expected: "10000", actual: "8500"),
                projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.5")]))
            contract.rounding = #"<rounding increment="1000" mode="\#(mode)"/>"#
            let settlement = try #require(contract.settle())
            #expect(settlement.projects[0].attributable == d(expected), "\(mode)")
            #expect(try ExactDecimal.sum(settlement.projects[0].allocations.map(\.amount)) == d(expected))
        }
    }

    @Test func projectedExpectedValuesAreDerivedAndShown() throws {
        let settlement = try PFS.settle(path: Repository.path("Contracts/example-projection.xml"), year: 2023).get()
        let expected = Dictionary(uniqueKeysWithValues: settlement.kpis.map { ($0.id, $0.expected?.value) })
        #expect(expected == ["medical": d("53045"), "care": d("20800"), "welfare": d("317200")])
        #expect(
            settlement.kpis[0].expected?.source
                == """
                derived (中期財政計画): 50000 × (1 + 0.03) per year for 2 years, each year rounded half-up to 1 = \
                53045
                """
        )
        #expect(settlement.projects[0].netAttributable == d("1372.5"))
        #expect(settlement.projects[0].attributable == d("1372"))  // half-even: 1372.5 → 1372
        #expect(settlement.projects[0].allocations.map(\.amount) == [d("1029"), d("343")])
        #expect(
            settlement.steps.contains {
                $0.words.description == "KPI 'care' expected FY2023, derived from the baseline (linear)"
            })
        // A declared expected value wins over the projection.
        let growth = Projection(
            method: .growth(rate: d("0.1"), rounding: RoundingRule(increment: d("0.1"), mode: .halfUp)),
            location: SourceLocation(file: "t", line: 1, column: 1))
        let baseline = Observation(
            year: 2020, value: d("100"), source: nil, location: SourceLocation(file: "t", line: 1, column: 1))
        #expect(try growth.value(in: 2023, from: baseline)?.0 == d("133.1"))
        #expect(try growth.value(in: 2019, from: baseline) == nil)
    }

    @Test func everyAmountNamesItsStep() throws {
        let settlement = try PFS.settle(path: Repository.path("Contracts/maebashi-profit-share.xml"), year: 2024).get()
        let stepIDs = Set(settlement.steps.map(\.id))
        let referenced =
            settlement.kpis.compactMap(\.step)
            + settlement.projects.flatMap { project in
                [project.step] + project.attributions.map(\.step) + project.allocations.map(\.step)
            }
        #expect(!referenced.isEmpty)
        #expect(referenced.allSatisfy(stepIDs.contains))
        #expect(settlement.steps.map(\.words.formula).contains("expected − actual = 2500 − 2200 = 300"))
    }

    @Test func jsonStatementRoundTrips() throws {
        let settlement = try PFS.settle(path: Repository.path("Contracts/maebashi-profit-share.xml"), year: 2024).get()
        let json = JSONStatement.render(settlement)
        #expect(try JSONStatement.decode(json) == StepWords.written(settlement))
        #expect(json.contains(#""format" : "pfs-settlement/1""#))
        #expect(json.contains(#""sha256" : ""#))
    }

    /// Money never appears or vanishes: over generated contracts, every project's split sums
    /// to its attributable amount, the totals tie out, and nothing negative is paid.
    @Test func moneyIsConservedOverGeneratedContracts() async {
        let shares = Gen.int(in: 0...100)
        await propertyCheck(
            count: 200, input: Gen.int(in: -500_000...500_000), Gen.int(in: 0...100_000), shares, shares, shares,
            Gen.int(in: 0...3)
        ) {
            improvement, expected, attribution, providerA, providerB, modeIndex in
            let mode = ["down", "up", "half-up", "half-even"][modeIndex]
            var contract = ContractXML(
                kpis: ContractXML.moneyKPI("cost", expected: String(expected), actual: String(expected - improvement)),
                projects: ContractXML.project(
                    "p", credits: [("cost", "0.\(String(format: "%02d", attribution % 100))")],
                    shares: [
                        ("provider", "0.\(String(format: "%02d", providerA / 2))"),
                        ("partner", "0.\(String(format: "%02d", providerB / 2))"),
                    ]))
            contract.rounding = #"<rounding increment="10" mode="\#(mode)"/>"#
            contract.parties += #"<party id="partner" role="provider"><name en="Partner"/></party>"#
            guard let settlement = contract.settle() else { return }
            for project in settlement.projects {
                #expect((try? ExactDecimal.sum(project.allocations.map(\.amount))) == project.attributable)
                #expect(project.attributable.signum >= 0)
                #expect(project.allocations.allSatisfy { $0.amount.signum >= 0 })
            }
            #expect(
                (try? settlement.totals.providerRewards.adding(settlement.totals.publicShare))
                    == settlement.totals.attributable)
        }
    }

    /// Over generated three-year profit shares with a reward maximum: the rewards paid to
    /// date never exceed it, and every split still sums to its amount.
    @Test func rewardsNeverExceedTheRewardMaximum() async {
        await propertyCheck(
            count: 100, input: Gen.int(in: -300...800).array(of: 3), Gen.int(in: 0...400), Gen.int(in: 1...60)
        ) {
            gains, maximum, share in
            var observations = ""
            for (offset, gain) in gains.enumerated() {
                observations +=
                    #"<expected year="\#(2020 + offset)" value="1000"/><actual year="\#(2020 + offset)" value="\#(1000 - gain)"/>"#
            }
            let kpi =
                #"<kpi id="cost" direction="lower-is-better" unit="yen"><name en="c"/><money/><baseline year="2019" value="1000"/>\#(observations)</kpi>"#
            var contract = ContractXML(
                kpis: kpi,
                projects: ContractXML.project(
                    "p", credits: [("cost", "1")], shares: [("provider", "0.\(String(format: "%02d", share))")]))
            contract.term = (2020, 2022)
            let xml = contract.text.replacingOccurrences(
                of: "<projects>", with: "<projects reward-maximum=\"\(maximum)\">")
            let checked = PFS.check(bytes: Array(xml.utf8), file: "generated.xml")
            var paid = ExactDecimal.zero
            for year in 2020...2022 {
                guard case .success(let settlement) = PFS.settle(checked, fileName: "generated.xml", year: year) else {
                    Issue.record("did not settle: \(checked.diagnostics.map(\.rendered))")
                    return
                }
                paid = (try? paid.adding(settlement.totals.providerRewards)) ?? paid
                #expect(paid <= ExactDecimal(maximum))
                #expect((try? settlement.rewardCap?.paidBefore.adding(settlement.totals.providerRewards)) == paid)
                for project in settlement.projects {
                    #expect((try? ExactDecimal.sum(project.allocations.map(\.amount))) == project.attributable)
                }
            }
        }
    }
}

@Suite struct JSONLayout {
    /// The fast JSON writer produces exactly what Foundation's JSONEncoder does, for every
    /// shipped contract's statements and a generated contract with awkward strings.
    @Test func fastWriterMatchesFoundationByteForByte() throws {
        let all = try FileManager.default.contentsOfDirectory(atPath: Repository.contracts).filter {
            $0.hasSuffix(".xml")
        }.sorted().flatMap { name in
            let checked = PFS.check(path: Repository.contracts + "/" + name)
            return try PFS.settleableYears(try #require(checked.contract)).map { year in
                try PFS.settle(checked, fileName: name, year: year).get()
            }
        }
        // Amounts in a currency with cents are written to the cent (267472.50), which
        // Foundation's encoder does not do: those statements are compared by value.
        let plain = all.filter { $0.amounts.currency == "JPY" || $0.amounts.scale != .one }
        #expect(plain.count > 15 && plain.count < all.count, "\(plain.count) of \(all.count)")
        for settlement in plain {
            #expect(JSONStatement.render(settlement) == JSONStatement.renderWithFoundation(settlement))
        }
        #expect(JSONStatement.render(plain) == JSONStatement.renderWithFoundation(plain))
        for settlement in all where !plain.contains(settlement) {
            #expect(try JSONStatement.decode(JSONStatement.render(settlement)) == StepWords.written(settlement))
        }
        // A negative amount in cents, as the writer must spell it.
        let carried = try #require(all.first { $0.contract.id == "example-usd-per-unit" && $0.fiscalYear.year == 2023 })
        #expect(JSONStatement.render(carried).contains("\"carriedIn\" : \"-35910.00\""))
        var contract = ContractXML(
            kpis: ContractXML.moneyKPI("cost", expected: "10", actual: "3"),
            projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.5")]))
        contract.parties =
            #"<party id="city" role="public-sector"><name ja="市 &quot;東&quot; \ / ‘tab’" en="A&amp;B &lt;x&gt; &#xA0; &#x2003;"/></party><party id="provider" role="provider"><name en="é ü 😀"/></party>"#
        let awkward = try #require(contract.settle())
        #expect(JSONStatement.render(awkward) == JSONStatement.renderWithFoundation(awkward))
    }
}

/// A year of the term without data cannot silently count as zero (issue 11, item 16).
@Suite struct EarlierYearGaps {
    static let kpi = """
        <kpi id="cost" direction="lower-is-better" unit="yen"><name en="cost"/><money/>
          <baseline year="2019" value="1000"/>
          <expected year="2020" value="1000"/><actual year="2020" value="1100"/>
          NOT-MEASURED
          <expected year="2022" value="1000"/><actual year="2022" value="700"/>
        </kpi>
        """

    static func checked(policy: String, declaration: String = "") -> PFS.CheckResult {
        var contract = ContractXML(
            kpis: kpi.replacingOccurrences(of: "NOT-MEASURED", with: declaration),
            projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.2")]))
        contract.term = (2020, 2022)
        let xml = contract.text.replacingOccurrences(
            of: "<projects>", with: "<projects negative-improvement=\"\(policy)\">")
        return PFS.check(bytes: Array(xml.utf8), file: "inline.xml")
    }

    static func diagnostics(_ checked: PFS.CheckResult, settling year: Int) -> [Diagnostic] {
        guard !checked.hasErrors else { return checked.diagnostics }
        if case .failure(let failure) = PFS.settle(checked, fileName: "inline.xml", year: year) {
            return failure.diagnostics
        }
        return []
    }

    @Test func aGapBeforeTheYearIsRefusedWhereEarlierYearsCount() {
        let diagnostics = Self.diagnostics(Self.checked(policy: "carry-forward"), settling: 2022)
        #expect(diagnostics.map(\.check) == ["settle-year-gap"])
        #expect(
            diagnostics.first?.message
                == """
                KPI 'cost' has no data for FY2021, before FY2022; the carry-forward policy carries every earlier \
                year's shortfall, so FY2022 cannot be settled over it
                """
        )
        // Under the floor policy each year stands alone: the gap does not matter.
        #expect(Self.diagnostics(Self.checked(policy: "floor"), settling: 2022).isEmpty)
    }

    @Test func aYearDeclaredNotMeasuredIsSkippedAndSaidSo() throws {
        let checked = Self.checked(
            policy: "carry-forward", declaration: #"<not-measured year="2021" reason="survey suspended"/>"#)
        let settlement = try PFS.settle(checked, fileName: "inline.xml", year: 2022).get()
        // The FY2020 shortfall (−100) is carried over the year not measured.
        #expect(settlement.projects[0].carriedIn?.description == "-100")
        #expect(settlement.kpis[0].notMeasured?.map(\.year) == [2021])
        let text = Statement.render(AnnualSettlement.document(settlement), as: .md, language: .en)
        #expect(
            text.contains(
                """
                KPI cost was not measured in FY2021 (令和3年度), contract line 16: survey suspended. That year is \
                skipped: nothing is carried from it.
                """
            ))
        let json = JSONStatement.render(settlement)
        #expect(json.contains("\"reason\" : \"survey suspended\""))
    }
}

/// The term's last year carries nothing forward, and its statement says so (issue 11, item 22).
@Suite struct LastYearOfTheTerm {
    @Test(arguments: ["carry-forward", "claw-back"])
    func aShortfallInTheLastYearIsNotSaidToBeCarried(_ policy: String) throws {
        var contract = ContractXML(
            kpis: """
                <kpi id="cost" direction="lower-is-better" unit="yen"><name en="cost"/><money/>
                  <baseline year="2019" value="1000"/>
                  <expected year="2021" value="1000"/><actual year="2021" value="900"/>
                  <expected year="2022" value="1000"/><actual year="2022" value="1100"/>
                </kpi>
                """, projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.2")]))
        contract.term = (2021, 2022)
        let xml = contract.text.replacingOccurrences(
            of: "<projects>", with: "<projects negative-improvement=\"\(policy)\">")
        let checked = PFS.check(bytes: Array(xml.utf8), file: "inline.xml")
        let first = try PFS.settle(checked, fileName: "inline.xml", year: 2021).get()
        let last = try PFS.settle(checked, fileName: "inline.xml", year: 2022).get()
        #expect(first.fiscalYear.lastOfTerm == nil && last.fiscalYear.lastOfTerm == true)
        let formulas = last.steps.map(\.words.formula).joined(separator: "\n")
        #expect(formulas.contains("the term ends with this year"))
        #expect(!formulas.contains("later gains") && !formulas.contains("from their later rewards"))
        let text = Statement.render(AnnualSettlement.document(last), as: .md, language: .en)
        #expect(!text.contains("carried to next year"))
        if policy == "carry-forward" {
            #expect(text.contains("shortfall left at the end of the term 100 (the term has no later year)"))
        }
    }
}

/// Contracts too large to settle in seconds are refused by name (issue 11, item 13).
@Suite struct SizeLimits {
    @Test func tooManyProjectsOrCreditsAreRefused() {
        let projects = (0...ContractSize.Thing.projects.limit).map { index in
            ContractXML.project("p\(index)", credits: [("cost", "0")], shares: [("provider", "0.1")])
        }.joined(separator: "\n")
        let contract = ContractXML(kpis: ContractXML.moneyKPI("cost", expected: "10", actual: "5"), projects: projects)
        let diagnostics = contract.diagnostics().filter { $0.check == "contract-size" }
        #expect(diagnostics.map(\.message) == ["the contract has 2001 projects; pfs settles at most 2000"])
        #expect(
            diagnostics.first?.hint
                == "split it into several contracts, or check that the file was generated as intended")
    }

    @Test func theShippedContractsAndTheBenchmarksShapeAreWellInside() {
        let kpis = (0..<1_000).map { ContractXML.moneyKPI("k\($0)", expected: "10", actual: "5") }.joined(
            separator: "\n")
        let projects = (0..<3).map { project in
            ContractXML.project(
                "p\(project)", credits: (0..<1_000).map { ("k\($0)", "0.3") }, shares: [("provider", "0.2")])
        }.joined(separator: "\n")
        #expect(!ContractXML(kpis: kpis, projects: projects).diagnostics().contains { $0.check == "contract-size" })
    }
}

/// What a year hands to the next is what the next year starts from (issue 12, item 1).
@Suite struct CarriedForwardState {
    @Test func eachYearStartsFromWhatTheYearBeforeCarried() throws {
        var checkedYears = 0
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let history = try PFS.settleTerm(PFS.check(path: path), fileName: PFS.lastPathComponent(path)).get()
            for (index, settlement) in history.enumerated() {
                guard let carried = settlement.carriedForward else { continue }
                checkedYears += 1
                if let paid = carried.paymentsPaid { #expect(paid == settlement.paymentTotals?.paidToDate, "\(path)") }
                if let rewards = carried.rewardsPaid, let cap = settlement.rewardCap {
                    #expect(
                        rewards
                            == (try cap.paidBefore.adding(ExactDecimal.sum(settlement.projects.map(\.providerReward)))),
                        "\(path)")
                }
                for shortfall in carried.shortfalls ?? [] {
                    #expect(
                        settlement.projects.first { $0.id == shortfall.project }?.carriedOut == shortfall.amount,
                        "\(path)")
                    // The next settled year (consecutive, with data) starts from it.
                    if index + 1 < history.count, history[index + 1].fiscalYear.year == settlement.fiscalYear.year + 1 {
                        #expect(
                            history[index + 1].projects.first { $0.id == shortfall.project }?.carriedIn
                                == shortfall.amount, "\(path)")
                    }
                }
                for owed in carried.clawbacksOwed ?? [] {
                    let reported = settlement.projects.first { $0.id == owed.project }?.clawbackOwed?.first {
                        $0.party.id == owed.party
                    }
                    #expect(reported?.amount == owed.amount, "\(path) \(owed.project) \(owed.party ?? "")")
                }
            }
        }
        #expect(checkedYears > 10)
    }
}

/// A payment counts as made only in a year that has a statement (issue 12, item 8): the fold
/// skips the payments of a year some project has no data for, and a later year waits for it.
@Suite struct PaymentsInYearsThatCannotBeSettled {
    static let fixture = Repository.fixtures + "/invalid/payment-in-unsettled-year@2023.xml"

    static func checked(actual2022: Bool) throws -> PFS.CheckResult {
        var text = try String(contentsOfFile: fixture, encoding: .utf8)
        if actual2022 {
            text = text.replacingOccurrences(
                of: #"<expected year="2023""#,
                with: #"<actual year="2022" value="950" source="FY2022 accounts"/><expected year="2023""#)
        }
        return PFS.check(bytes: Array(text.utf8), file: "inline.xml")
    }

    @Test func theFoldNeverCountsAPaymentOfAYearWithoutAStatement() throws {
        let contract = try #require(try Self.checked(actual2022: false).contract)
        let provenance = Provenance(file: "inline.xml", sha256: "", digest: "", engineVersion: "test")
        // Settled without the checks (as a library user could): FY2021 and FY2022 paid nothing.
        let settlement = try Evaluator.settle(contract, year: 2023, provenance: provenance)
        let totals = try #require(settlement.paymentTotals)
        #expect(totals.paidBefore == d("0"))
        #expect(totals.paidToDate == d("100"))
    }

    @Test func onceTheYearHasItsDataItsPaymentIsCountedAndTheSkippedYearStillIsNot() throws {
        let checked = try Self.checked(actual2022: true)
        #expect(checked.diagnostics.map(\.check) == ["payment-year-skipped"])
        let year2022 = try PFS.settle(checked, fileName: "inline.xml", year: 2022).get()
        #expect(year2022.payments?.map(\.id) == ["fee-2022"])
        let year2023 = try PFS.settle(checked, fileName: "inline.xml", year: 2023).get()
        #expect(year2023.paymentTotals?.paidBefore == d("100"))
        #expect(year2023.paymentTotals?.paidToDate == d("200"))
    }
}
