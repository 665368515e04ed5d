import Foundation
import PFS
import PFSChecks
import PFSModel
@testable import PFSStatements
import PFSTestSupport
import Testing

/// Documents a Japanese city can file (issue 29, items 2 and 4–7): the shipped Japanese
/// statements (Reports/), read as a finance officer, an evaluator and a contractor read them.
@Suite struct MunicipalDocuments {
    /// Every shipped Japanese text statement of a yen contract, by `folder/file`.
    static func yenStatements() throws -> [(name: String, text: String)] {
        try MunicipalTerms.japaneseStatements().filter { statement in
            let folder = String(statement.name.prefix { $0 != "/" })
            let contract = try String(contentsOfFile: Repository.contracts + "/\(folder).xml", encoding: .utf8)
            return contract.contains(#"currency="JPY""#)
        }
    }

    /// What a statement says before its technical annex (別紙 技術情報).
    static func body(_ text: String) -> String {
        text.components(separatedBy: "別紙 技術情報")[0]
    }

    static func statement(_ name: String) throws -> String {
        try String(contentsOfFile: Repository.reports + "/" + name, encoding: .utf8)
    }

    /// A statement's notes as sentences, without the line ends and spaces where the text
    /// renderer wrapped them at 100 cells; compare with ``squeezed(_:)`` text.
    static func sentences(_ name: String) throws -> String {
        squeezed(try statement(name))
    }

    static func squeezed(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
    }

    /// The KPI table's cells of a settled year, in Japanese, by KPI name.
    static func kpiCells(_ contract: String, _ year: Int) throws -> [String: [String]] {
        let settlement = try PFS.settle(path: Repository.contracts + "/" + contract, year: year).get()
        let table = Common.kpiTable(settlement)
        return Dictionary(uniqueKeysWithValues: table.rows.map { row in
            (row[0].display(.ja), row.map { $0.display(.ja) })
        })
    }

    @Test func theDocumentsAreNamedAsPFSPracticeNamesThem() throws {
        #expect(try Self.statement("maebashi-profit-share/settlement-FY2024.ja.txt").hasPrefix("成果連動支払額算定書 — "))
        #expect(try Self.statement("maebashi-profit-share/payout-provider-FY2024.ja.txt").hasPrefix("支払額確定通知書 — "))
        #expect(try Self.statement("maebashi-profit-share/audit-FY2024.ja.txt").hasPrefix("算定根拠書（計算過程の検証用） — "))
        #expect(try Self.statement("example-sib/payout-bank-FY2024.ja.txt").hasPrefix("分配金計算書 — "))
        let statements = try MunicipalTerms.japaneseStatements()
        let old = ["年度精算書", "支払明細書", "監査証跡", "支払者", "受取者", "留保", "配当", "帰属割合", "帰属額"]
        #expect(statements.filter { s in old.contains { s.text.contains($0) } }.map(\.name) == [])
    }

    /// Names, not ids (item 7): no id of a party, KPI, project or payment appears in the body
    /// of a Japanese settlement or payout statement of a yen contract; the annex keeps the
    /// contract's id and the audit trail's element paths keep theirs, to find values in the file.
    @Test func aJapaneseStatementNamesWhatItsIdsStandFor() throws {
        var leaks: [String] = []
        for statement in try Self.yenStatements() where !statement.name.contains("/audit") {
            let folder = String(statement.name.prefix { $0 != "/" })
            let contract = try #require(PFS.check(path: Repository.contracts + "/\(folder).xml").contract)
            let ids =
                contract.parties.map(\.id) + contract.kpis.map(\.id) + contract.projects.map(\.id)
                + contract.payments.map(\.id) + contract.targets.map(\.id)
            let body = Self.body(statement.text)
            for id in Set(ids) {
                let pattern = "(?<![A-Za-z0-9_-])" + NSRegularExpression.escapedPattern(for: id) + "(?![A-Za-z0-9_-])"
                if body.range(of: pattern, options: .regularExpression) != nil { leaks.append("\(statement.name): \(id)") }
            }
        }
        #expect(leaks == [])
    }

    /// One era system per table (item 4): a Japanese-year statement writes no FY label, no
    /// ISO date and no bare Western year outside its annex; base years are in era too.
    @Test func aJapaneseYearStatementKeepsOneEraSystem() throws {
        var mixed: [String] = []
        for statement in try Self.yenStatements() {
            // A contract's bilingual source (令和4年度決算（FY2022 settlement of accounts）) is the
            // contract's text, printed as written; the audit trail's element paths name years
            // as the file does (@year='2024').
            let body = Self.body(statement.text).replacingOccurrences(
                of: #"（FY\d{4}[^）\n]*"#, with: "", options: .regularExpression)
            for pattern in [#"FY\d{4}"#, #"\d{4}-\d{2}-\d{2}"#, #"(?<![\d（,'])\d{4}(?![\d年,'])"#]
            where body.range(of: pattern, options: .regularExpression) != nil {
                mixed.append("\(statement.name): \(pattern)")
            }
        }
        #expect(mixed == [])
        let maebashi = try Self.statement("maebashi-profit-share/settlement-FY2024.ja.txt")
        #expect(maebashi.contains("項目C  千円  減少が改善   2,000  令和元年度（   2,500   2,200  300"))
        let overseas = try Self.statement("example-investor-classes/settlement-FY2016.ja.txt")
        #expect(overseas.hasPrefix("成果連動支払額算定書 — 2016年7月～2017年6月（豪州会計年度）\n"))
        #expect(!overseas.contains("2016–17年度（豪州）"))
    }

    /// 約, not ≈; ratios as %; conditions first, then the result (item 2).
    @Test func figuresAreWrittenAsOfficialDocumentsWriteThem() throws {
        let statements = try MunicipalTerms.japaneseStatements()
        #expect(statements.filter { $0.text.contains("≈") }.map(\.name) == [])
        let conditions = try Self.sentences("example-conditions-targets/settlement-FY2025.ja.txt")
        #expect(
            conditions.contains(
                Self.squeezed("特定健診受診率 実績 58%（条件：60%以上）→ 未達成；特定健診受診率 実績 58%（条件：全国 60%超）→ 未達成")))
        #expect(!conditions.contains("不成立"))
        let payout = try Self.statement("maebashi-profit-share/payout-provider-FY2024.ja.txt")
        #expect(payout.contains("配分対象額 90（手順 S3）の20%"))
        let investor = try Self.statement("example-investor-classes/settlement-FY2016.ja.txt")
        #expect(investor.contains("本年度の成果率（改善率）：約12.9268%"))
        // Thousands grouped in formulas as in the amount columns; a rounding that changed
        // nothing is not repeated.
        let tiers = try Self.statement("example-fixed-and-tiers/payout-provider-FY2022.ja.txt")
        #expect(tiers.contains("固定額 7,400,000  "))
        #expect(!tiers.contains("7400000"))
    }

    @Test func groupingLeavesYearsIdsAndFractionsAlone() {
        #expect("2960 × 0.12345 = 365.4".groupingThousands == "2,960 × 0.12345 = 365.4")
        #expect(
            "令和6年度（2024年度）S1234 FY2024 2016–17 @year='2024' 1234567.891".groupingThousands
                == "令和6年度（2024年度）S1234 FY2024 2016–17 @year='2024' 1,234,567.891")
        #expect(Common.withoutUnchangedRounding("固定額 7,400,000 → 7,400,000") == "固定額 7,400,000")
        #expect(Common.withoutUnchangedRounding("90.5 → 90") == "90.5 → 90")
    }

    /// An indicator of another year is not assessed this year (未測定 would say its
    /// measurement failed); the final year says what was unused, not what remains.
    @Test func anotherYearsIndicatorAndTheLastYear() throws {
        let last = try Self.statement("hachioji-colorectal-screening-sib/settlement-FY2019.ja.txt")
        let cells = try Self.kpiCells("hachioji-colorectal-screening-sib.xml", 2019)
        #expect(cells["精密検査受診率"]?[7] == "本年度は評価対象外")
        #expect(cells["早期がん発見者数の増加"]?[7] == "―（支払額の算定に使用）")
        #expect(cells["精密検査受診率"]?[4] == "平成28年度（2016年度）")
        #expect(!last.contains("未測定"))
        #expect(PaymentYears.fact("執行率", in: last) == "55.3%")
        #expect(PaymentYears.fact("不用額", in: last) == "4,361")
        #expect(PaymentYears.fact("上限までの残額", in: last) == nil)
        let before = try Self.statement("hachioji-colorectal-screening-sib/settlement-FY2018.ja.txt")
        #expect(PaymentYears.fact("上限までの残額", in: before) == "4,361")
        #expect(PaymentYears.fact("不用額", in: before) == nil)
    }

    /// 支払上限額 per item as well as in total: Hachioji's follow-up payment was capped at
    /// 4,880千円 (its published 上限額 of 488万円), within the 9,762千円 of the contract.
    @Test func eachItemShowsItsOwnMaximum() throws {
        let settlement = try PFS.settle(path: PaymentYears.hachioji, year: 2018).get()
        let section = AnnualSettlement.outcomePayments(try #require(settlement.payments), settlement)
        let maxima = section.blocks.compactMap { block -> Table? in
            if case .table(let table) = block, table.key == "maxima" { return table } else { return nil }
        }
        #expect(maxima.map { $0.rows.map { $0.map { $0.display(.ja) } } } == [[["精密検査受診率に応じた支払（段階表は例示）", "4,880"]]])
        let text = try Self.statement("hachioji-colorectal-screening-sib/settlement-FY2018.ja.txt")
        #expect(PaymentYears.fact("支払上限額", in: text) == "9,762")
    }

    /// Maebashi's 72 is a fiscal benefit the city keeps, not money paid: outside the total
    /// due, and said so where the split shows it.
    @Test func thePublicSectorsShareIsNotAPayment() throws {
        let settlement = try PFS.settle(path: Repository.contracts + "/maebashi-profit-share.xml", year: 2024).get()
        let split = AnnualSettlement.profitShare(try #require(settlement.projects.first), settlement).blocks.compactMap {
            block -> Table? in if case .table(let table) = block, table.key == "split" { return table } else { return nil }
        }
        let rows = try #require(split.first).rows.map { $0.map { $0.display(.ja) } }
        #expect(rows.map { Array($0.prefix(3)) + [$0[4]] } == [
            ["前橋市", "公共セクターに帰属する財政効果（支払なし）", "80%", "72"], ["事業者（例）", "事業者への成果報酬", "20%", "18"],
        ])
        let text = try Self.statement("maebashi-profit-share/settlement-FY2024.ja.txt")
        let total = try #require(text.split(separator: "\n").first { $0.hasPrefix("本年度支払額合計") })
        #expect(total.split(separator: " ").last == "18")
        #expect(PaymentYears.fact("支払額合計（円単位）", in: text) == "18,000円")
    }

    /// A shortfall is said as a shortfall, never with a minus (no double negative).
    @Test func aShortfallHasNoMinusSign() throws {
        let text = try Self.statement("example-usd-per-unit/settlement-FY2023.ja.txt")
        #expect(text.contains("欠損額の引継ぎ：前年度から引き継いだ欠損額 35,910.00、契約期間終了時に残る欠損額"))
        #expect(!text.contains("欠損額 -"))
    }

    /// A funder's statement is the intermediary's, not the city's spending; the city's set
    /// says so where it shows the waterfall.
    @Test func fundersStatementsAreNotCitySpending() throws {
        let bank = try Self.statement("example-sib/payout-bank-FY2024.ja.txt")
        #expect(bank.contains("本明細は市の支出ではありません（中間支援組織による分配の計算です）。"))
        #expect(bank.contains("SIB：分配金"))
        let provider = try Self.statement("example-sib/payout-provider-FY2024.ja.txt")
        #expect(!provider.contains("本明細は市の支出ではありません"))
        let settlement = try Self.sentences("example-sib/settlement-FY2024.ja.txt")
        #expect(settlement.contains(Self.squeezed("以下は中間支援組織による資金提供者への分配の計算であり、市の支出ではありません。")))
    }

    /// 1 事業概要, 2 成果指標と評価結果, 3 支払額の算定, 4 支払額（確定額）, 以上, then the annex.
    @Test func thePartsRunInMunicipalOrder() throws {
        for name in ["maebashi-profit-share/settlement-FY2024.ja.txt", "maebashi-profit-share/payout-provider-FY2024.ja.txt"] {
            let text = try Self.statement(name)
            let parts = ["\n1 事業概要\n", "\n2 成果指標と評価結果\n", "\n3 支払額の算定\n", "\n4 支払額（確定額）\n", "\n以上\n", "\n別紙 技術情報（検証用）\n"]
            let positions = try parts.map { try #require(text.range(of: $0), "\(name): \($0)").lowerBound }
            #expect(positions == positions.sorted(), "\(name)")
            #expect(try #require(text.range(of: "ファイルSHA-256")).lowerBound > positions[5])
        }
    }
}

/// The fields a payment (支出) document needs (item 5), from `<administration>`.
@Suite struct AdministrativeRecord {
    static let contract = Repository.contracts + "/example-conditions-targets.xml"

    @Test func theOverviewPrintsTheContractsRecord() throws {
        let payout = try MunicipalDocuments.statement("example-conditions-targets/payout-provider-FY2025.ja.txt")
        let fact = { (label: String) in PaymentYears.fact(label, in: payout) }
        #expect(fact("契約番号") == "健づ第101号")
        #expect(fact("契約締結日") == "令和6年4月1日")
        #expect(fact("支払条件の根拠規定") == "第8条・別紙2（成果指標及び支払条件）")
        #expect(fact("支出負担行為") == "支出負担行為 第315号")
        #expect(fact("債務負担行為") == "令和5年度（2023年度）設定、期間 令和6年度（2024年度）～令和7年度（2025年度）")
        // The figure a 財政課 checks first: what remains under the authorisation.
        #expect(fact("限度額") == "6,300")
        #expect(fact("執行済額（本件を含む）") == "3,150")
        #expect(fact("残額") == "3,150")
        #expect(fact("消費税及び地方消費税") == "含む（金額は税込）")
        #expect(fact("評価確定日") == "令和8年5月15日")
        #expect(fact("請求書提出期限") == "令和8年5月22日")
        #expect(fact("支払期日") == "適法な請求書を受理した日から30日以内（政府契約の支払遅延防止等に関する法律）")
        #expect(fact("公印") == "公印省略")
        #expect(fact("作成課") == "健康福祉部 健康づくり課")
        #expect(payout.contains("本通知を受けた後、上記の金額により請求書を提出してください。"))
        let first = try MunicipalDocuments.statement("example-conditions-targets/payout-provider-FY2024.ja.txt")
        #expect(PaymentYears.fact("支払期日", in: first) == "令和7年5月30日")
        // The budget year is the payment year; the English statement has the same record.
        let settlement = try PFS.settle(path: Self.contract, year: 2025).get()
        let header = AnnualSettlement.document(settlement).header
        let budget = try #require(header.first { $0.key == "budget" })
        #expect(
            budget.value.display(.en)
                == "一般会計 款4 衛生費・項1 保健衛生費・目2 予防費・節12 委託料, budget of FY2025 (令和7年度)")
        #expect(header.first { $0.key == "debtRemaining" }?.value == .amount(ExactDecimal(3150)))
    }

    /// The JSON statement carries the record, with the settled year's dates only.
    @Test func theSettlementCarriesItsYearsRecord() throws {
        let settlement = try PFS.settle(path: Self.contract, year: 2025).get()
        let admin = try #require(settlement.administration)
        #expect(admin.years.map(\.year) == [2025])
        #expect(admin.debtBurden?.limit == ExactDecimal(6300))
        #expect(admin.location == nil)
        let json = JSONStatement.render(settlement)
        #expect(json.contains("\"invoiceBy\" : \"2026-05-22\""))
        #expect(!json.contains("2025-05-23"))
        #expect(try JSONStatement.decode(json) == StepWords.written(settlement))
    }

    /// A statement signed in the register says so in words, not by a command's name.
    @Test func anElectronicSealIsSaidInWords() throws {
        let text = try String(contentsOfFile: Self.contract, encoding: .utf8).replacingOccurrences(
            of: #"seal="omitted""#, with: #"seal="electronic""#)
        let checked = PFS.check(bytes: Array(text.utf8), file: "t.xml")
        let settlement = try PFS.settle(checked, fileName: "t.xml", year: 2024).get()
        let seal = try #require(AnnualSettlement.document(settlement).header.first { $0.key == "seal" })
        #expect(seal.value.display(.ja) == "電子署名（Ed25519）による。署名者・署名日時は署名ファイル及び台帳の記録による")
    }

    /// Amounts without consumption tax: the amount both ways, the tax cut to the yen.
    @Test func amountsWithoutTaxShowTheTaxAndTheTotal() throws {
        let text = try String(contentsOfFile: Self.contract, encoding: .utf8).replacingOccurrences(
            of: #"<tax included="true"/>"#, with: #"<tax included="false" rate="0.10"/>"#)
        let checked = PFS.check(bytes: Array(text.utf8), file: "t.xml")
        let settlement = try PFS.settle(checked, fileName: "t.xml", year: 2024).get()
        let ja = String(
            decoding: Statement.bytes(AnnualSettlement.document(settlement), as: .text, language: .ja), as: UTF8.self)
        #expect(PaymentYears.fact("消費税及び地方消費税", in: ja) == "含まない（金額は税抜、税率10%）")
        #expect(PaymentYears.fact("税抜額", in: ja) == "3,000,000円")
        #expect(PaymentYears.fact("消費税及び地方消費税（10%、1円未満切捨て）", in: ja) == "300,000円")
        #expect(PaymentYears.fact("税込額", in: ja) == "3,300,000円")
        let facts = Common.taxFacts(ExactDecimal(plain: "0.333")!, settlement)
        #expect(facts.map(\.value) == [.phrase(Phrase("JPY 333", "333円")), .phrase(Phrase("JPY 33", "33円")), .phrase(Phrase("JPY 366", "366円"))])
    }

    /// `pfs check --lang ja` warns, with the place, where a Japanese statement would print
    /// the contract's English; plain `pfs check` does not, and the warnings fail nothing.
    @Test func checkInJapaneseWarnsOfEnglish() throws {
        let folder = try TemporaryFolder.make()
        let text = try String(contentsOfFile: Self.contract, encoding: .utf8)
            .replacingOccurrences(of: #"<name ja="事業者" en="Provider"/>"#, with: #"<name en="Provider"/>"#)
        try text.write(to: folder.appendingPathComponent("c.xml"), atomically: false, encoding: .utf8)
        let japanese = try LostDataDefects.run(["check", "c.xml", "--lang", "ja"], in: folder, expect: 0)
        let index = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains(#"<name en="Provider"/>"#) })
        let line = index + 1
        #expect(
            japanese.standardOutput.contains(
                """
                c.xml:\(line):5: warning: [japanese-text] party 'provider' has no Japanese name: Japanese statements print "Provider"
                """), "\(japanese.standardOutput)")
        // Its sources are in both languages: nothing to say about them.
        #expect(!japanese.standardOutput.contains("the source"))
        #expect(japanese.standardOutput.hasSuffix("c.xml: ok (format 2)\n"))
        let plain = try LostDataDefects.run(["check", "c.xml"], in: folder, expect: 0)
        #expect(plain.standardOutput == "c.xml: ok (format 2)\n")
        // The real contracts the city wrote are Japanese throughout.
        for name in ["maebashi-profit-share.xml", "hachioji-colorectal-screening-sib.xml"] {
            let checked = try #require(PFS.check(path: Repository.contracts + "/" + name).contract)
            #expect(JapaneseTextCheck.run(checked).map(\.message) == [])
        }
    }

    @Test func englishSourcesAndUnknownUnitsAreNamed() throws {
        let text = try String(contentsOfFile: Repository.contracts + "/example-investor-classes.xml", encoding: .utf8)
        let contract = try #require(PFS.check(bytes: Array(text.utf8), file: "c.xml").contract)
        let messages = JapaneseTextCheck.run(contract).map(\.message)
        #expect(messages.contains { $0.hasPrefix("KPI 'entries' is counted in \"entries into out-of-home care\"") })
        #expect(messages.contains { $0.hasPrefix("KPI 'entries': the source \"") && $0.contains(" more) is only in English") })
        let jail = try #require(PFS.check(path: Repository.contracts + "/example-usd-per-unit.xml").contract)
        let reasons = JapaneseTextCheck.run(jail).filter { $0.message.contains("reason") }
        #expect(
            reasons.map(\.rendered) == [
                """
                \(Repository.contracts)/example-usd-per-unit.xml:33:7: warning: [japanese-text] KPI 'jail-days': the reason not measured "courts \
                closed for most of the year; no comparable data" is only in English: Japanese statements print it as written
                  element: /contract[@id='example-usd-per-unit']/kpis/kpi[@id='jail-days']/not-measured[@year='2021']
                  hint: write it in Japanese, or in both languages
                """
            ])
    }
}
