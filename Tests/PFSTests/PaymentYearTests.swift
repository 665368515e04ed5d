import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSRegister
@testable import PFSStatements
import PFSTestSupport
import Testing

/// The year of the outcome and the year of payment (issue 29, item 1): Hachioji's FY2017
/// screening result was measured after the year and paid from FY2018's budget.
@Suite struct PaymentYears {
    static let hachioji = Repository.contracts + "/hachioji-colorectal-screening-sib.xml"
    static let maebashi = Repository.contracts + "/maebashi-profit-share.xml"

    static func settled(_ path: String, _ year: Int) throws -> Settlement {
        try PFS.settle(path: path, year: year).get()
    }

    static func text(_ settlement: Settlement, _ language: Language) throws -> String {
        String(decoding: Statement.bytes(AnnualSettlement.document(settlement), as: .text, language: language), as: UTF8.self)
    }

    /// The value of a fact line of a text statement (`成果対象年度   平成29年度（2017年度）`),
    /// whatever the padding; nil when no line has that label.
    static func fact(_ label: String, in text: String) -> String? {
        text.split(separator: "\n").lazy.compactMap { line -> String? in
            guard line.hasPrefix(label + " ") else { return nil }
            return line.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }.first
    }

    @Test func hachiojisOutcomesArePaidFromTheNextYearsBudget() throws {
        let screening = try Self.settled(Self.hachioji, 2017)
        #expect(screening.fiscalYear.year == 2017)
        #expect(screening.paymentYear.fiscalYear.year == 2018)
        #expect(screening.paymentYear.fiscalYear.labelJA == "平成30年度")
        #expect(screening.paymentYear.timing == .next)
        #expect(try Self.settled(Self.hachioji, 2018).paymentYear.fiscalYear.year == 2019)
        let ja = try Self.text(screening, .ja)
        #expect(Self.fact("成果対象年度", in: ja) == "平成29年度（2017年度）")
        #expect(Self.fact("支払年度（会計年度）", in: ja) == "平成30年度（2018年度）、成果対象年度の翌年度")
        #expect(ja.contains("平成29年度成果に係る支払額（平成30年度支出）\n"))
        #expect(!ja.contains("本年度支払額合計"))
        let en = try Self.text(screening, .en)
        #expect(Self.fact("Payment year (fiscal year)", in: en) == "FY2018 (平成30年度), the year after the outcomes")
        #expect(en.contains("Amounts due for the outcomes of FY2017 (平成29年度), paid in FY2018 (平成30年度)\n"))
        let json = String(decoding: JSONStatement.bytes(screening), as: UTF8.self)
        #expect(json.contains("\"timing\" : \"next\",\n    \"year\" : 2018\n"))
    }

    /// A contract that says nothing pays in the outcome year, as format 1 always meant.
    @Test func aContractThatSaysNothingPaysInTheOutcomeYear() throws {
        let settlement = try Self.settled(Self.maebashi, 2024)
        #expect(settlement.paymentYear.fiscalYear.year == 2024)
        #expect(settlement.paymentYear.timing == .same)
        #expect(!settlement.paymentYear.closingPeriod)
        #expect(Self.fact("支払年度（会計年度）", in: try Self.text(settlement, .ja)) == "令和6年度（2024年度）、成果対象年度と同じ")
    }

    @Test func paidInTheClosingPeriodIsSaidWithItsLastDay() throws {
        let text = try String(contentsOfFile: Self.maebashi, encoding: .utf8).replacingOccurrences(
            of: #"<term first="2020" last="2024"/>"#,
            with: #"<term first="2020" last="2024"/><payment-timing year="same" closing-period="true"/>"#)
        let checked = PFS.check(bytes: Array(text.utf8), file: "m.xml")
        let settlement = try PFS.settle(checked, fileName: "m.xml", year: 2024).get()
        #expect(settlement.paymentYear.fiscalYear.year == 2024)
        #expect(settlement.paymentYear.closingPeriod)
        #expect(try Self.text(settlement, .ja).contains("令和6年度（2024年度）、出納整理期間（2025年5月31日まで）に支払\n"))
        #expect(try Self.text(settlement, .en).contains("FY2024 (令和6年度), paid in its closing period (to 31 May 2025)\n"))
    }

    /// The ledger's per-payer totals are the payment year's: a 会計課 officer finds 2,441千円
    /// in FY2018's accounts, none in FY2017's.
    @Test func theLedgerTotalsPerPayerAreThePaymentYears() throws {
        let checked = PFS.check(path: Self.hachioji)
        let history = try PFS.settleTerm(checked, fileName: "hachioji-colorectal-screening-sib.xml").get()
        let rows = try Ledger.rows(history)
        #expect(rows.map { "\($0.fiscalYear)→\($0.paymentYear) \($0.clause) \($0.amount)" } == [
            "2017→2018 screening 2441", "2018→2019 follow-up 2960",
        ])
        var summary = LedgerSummary()
        try summary.add(rows, nil)
        #expect(summary.payerYears.map { "\($0.payer) \($0.fiscalYear) \($0.total)" } == [
            "hachioji 2018 2441000", "hachioji 2019 2960000",
        ])
    }

    /// The budget envelope of the years after the last settled counts each in the year that pays it.
    @Test func theEnvelopeIsPerPaymentYear() throws {
        let checked = PFS.check(path: Self.hachioji)
        let contract = try #require(checked.contract)
        let history = try PFS.settleHistory(
            checked, provenance: PFS.provenance(of: checked, fileName: "h.xml"), through: 2017
        ).get()
        let bounds = try Envelope.bounds(contract, after: history)
        #expect(bounds.map { "\($0.fiscalYear)→\($0.paymentYear)" } == ["2018→2019", "2019→2020"])
        var totals = EnvelopeTotals()
        try totals.add(bounds)
        #expect(totals.totals.map(\.fiscalYear) == [2019, 2020])
    }

    /// The register records both years, and `pfs status` adds up per payment year.
    @Test func theRegisterRecordsBothYearsAndStatusUsesThePaymentYear() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite)
        defer { Task { await register.close() } }
        let input = try contractInput("hachioji-colorectal-screening-sib.xml")
        try await recordYear(register, input, year: 2017, keys: keys)
        try await register.review(input, year: 2017, signer: keys.evaluator)
        try await register.approve(input, year: 2017, signer: keys.finance)
        _ = try await register.issue(input, year: 2017, signer: keys.finance)
        let record = try #require(try await register.record(of: input.contract.id, year: 2017))
        #expect(record.year == 2017)
        #expect(record.paymentYear == 2018)
        let status = try await register.status()
        #expect(status.byPayer.map { "\($0.payer) \($0.year) \($0.issued)" } == ["hachioji 2018 2441"])
        #expect(status.text.contains("  hachioji  FY2018  issued 2441  paid 0  outstanding 2441\n"))
    }
}

/// One era system per table, as municipalities write it (issue 29, item 4).
@Suite struct JapaneseYears {
    @Test(arguments: [
        ("2024-04-01", "令和6年4月1日"), ("2019-04-30", "平成31年4月30日"), ("2019-05-01", "令和元年5月1日"),
        ("1989-01-07", nil), ("1989-01-08", "平成元年1月8日"), ("2025-03-31", "令和7年3月31日"), ("2024-4", nil),
    ] as [(String, String?)])
    func aDateIsWrittenInTheEraInForceThatDay(_ iso: String, _ japanese: String?) {
        #expect(FiscalYear.japaneseDate(iso) == japanese)
    }

    @Test func aJapaneseStatementNamesItsYearsAndDatesInOneSystem() throws {
        let settlement = try PaymentYears.settled(PaymentYears.hachioji, 2017)
        let ja = try PaymentYears.text(settlement, .ja)
        #expect(ja.hasPrefix("成果連動支払額算定書 — 平成29年度（2017年度）\n"))
        #expect(PaymentYears.fact("期間", in: ja) == "平成29年4月1日～平成30年3月31日")
        // No Western fiscal-year label (FY2017) and no ISO date in the Japanese text.
        #expect(!ja.contains("(FY"))
        #expect(ja.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression) == nil)
        // The English keeps its own: FY and ISO dates.
        let en = try PaymentYears.text(settlement, .en)
        #expect(PaymentYears.fact("Period", in: en) == "2017-04-01 – 2018-03-31")
    }

    @Test func aYearWithoutAnEraIsWrittenInWesternYears() throws {
        let checked = PFS.check(path: Repository.contracts + "/example-investor-classes.xml")
        let history = try PFS.settleTerm(checked, fileName: "c.xml").get()
        let settlement = try #require(history.first)
        let ja = try PaymentYears.text(settlement, .ja)
        #expect(!ja.contains("令和"))
        #expect(ja.range(of: #"期間 +\d{4}年\d{1,2}月\d{1,2}日～\d{4}年\d{1,2}月\d{1,2}日\n"#, options: .regularExpression) != nil)
    }
}

/// 円 on payment documents, and the rounding in words (issue 29, item 3).
@Suite struct AmountsInYen {
    @Test func aPayoutInThousandYenAlsoStatesTheAmountInYen() throws {
        let settlement = try PaymentYears.settled(PaymentYears.hachioji, 2018)
        let history = try PFS.settleHistory(
            PFS.check(path: PaymentYears.hachioji),
            provenance: PFS.provenance(of: PFS.check(path: PaymentYears.hachioji), fileName: "h.xml"), through: 2018
        ).get()
        let provider = try #require(Payout.contractors(in: history).first { $0.id == "provider" })
        let payout = try #require(Payout.document(party: provider, history: history))
        let ja = String(decoding: Statement.bytes(payout, as: .text, language: .ja), as: UTF8.self)
        #expect(ja.contains("本年度合計（円単位）  2,960,000円\n"))
        let en = String(decoding: Statement.bytes(payout, as: .text, language: .en), as: UTF8.self)
        #expect(en.contains("JPY 2,960,000"))
        let annual = try PaymentYears.text(settlement, .ja)
        #expect(annual.contains("支払額合計（円単位）  2,960,000円\n"))
    }

    /// A contract written in yen has nothing to convert: no second line.
    @Test func aContractInYenGetsNoSecondAmount() throws {
        let settlement = try PaymentYears.settled(Repository.contracts + "/example-fixed-and-tiers.xml", 2022)
        #expect(settlement.amounts.scale == ExactDecimal(1))
        #expect(!(try PaymentYears.text(settlement, .ja)).contains("（円単位）"))
    }

    @Test func theRoundingSaysWhatItMeansInMoney() throws {
        let ja = try PaymentYears.text(try PaymentYears.settled(PaymentYears.hachioji, 2018), .ja)
        #expect(ja.contains("支払額の千円未満の端数は切捨て（事業ごと・支払ごとに1回）。"))
        #expect(!ja.contains("1単位で"))
        #expect(Common.yenStep(ExactDecimal(1)) == "1円")
        #expect(Common.yenStep(ExactDecimal(1000)) == "千円")
        #expect(Common.yenStep(ExactDecimal(10_000)) == "1万円")
        #expect(Common.yenStep(ExactDecimal(1_000_000)) == "100万円")
        #expect(Common.yenStep(ExactDecimal(500)) == "500円")
    }
}

/// Municipal terms (issue 29, item 2, first part): 返還 only where money is paid back to the
/// city; netting against later fees is 控除, saying no payment to the city is needed.
@Suite struct MunicipalTerms {
    static func japaneseStatements() throws -> [(name: String, text: String)] {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Repository.reports)
        return try folders.flatMap { folder -> [(String, String)] in
            let path = Repository.reports + "/" + folder
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return try names.filter { $0.hasSuffix(".ja.txt") }.map {
                ("\(folder)/\($0)", try String(contentsOfFile: path + "/" + $0, encoding: .utf8))
            }
        }
    }

    @Test func henkanAppearsOnlyWhereMoneyIsPaidBack() throws {
        let statements = try Self.japaneseStatements()
        #expect(statements.count > 100)
        // The shipped contracts net claw-backs against later fees: nothing is paid back.
        #expect(statements.filter { $0.text.contains("返還") }.map(\.name) == [])
        let clawBack = try #require(statements.first { $0.name == "example-claw-back/settlement-FY2022.ja.txt" })
        #expect(clawBack.text.contains("控除：過去の不足分として事業者の成果報酬から 20 を差し引く（市への納付は不要）。"))
        #expect(clawBack.text.contains("本年度末時点の控除未済額（次年度以降の成果報酬から差し引く額。市への納付は不要）："))
    }

    @Test func paymentItemsAndPaymentMaximaAreNamedAsMunicipalitiesNameThem() throws {
        let statements = try Self.japaneseStatements()
        #expect(statements.filter { $0.text.contains("条項") || $0.text.contains("契約上限額") }.map(\.name) == [])
        let hachioji = try #require(
            statements.first { $0.name == "hachioji-colorectal-screening-sib/settlement-FY2018.ja.txt" })
        #expect(PaymentYears.fact("支払上限額", in: hachioji.text) == "9,762")
        #expect(hachioji.text.contains("支払項目"))
    }
}
