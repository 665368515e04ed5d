import CSV
import Foundation
import PFSEvaluator
import PFSLedger
import PFSModel
import PFSOutput
import PFSTestSupport
import PropertyBased
import Testing

@testable import PFS
@testable import PFSStatements

/// The documents for each audience: what they show, what they must not, and that every
/// format carries the same figures.
@Suite struct Documents {
    static let maebashi = Repository.path("Contracts/maebashi-profit-share.xml")

    /// Every shipped contract's term, settled (the history behind each year's documents).
    static func shippedHistories() throws -> [[Settlement]] {
        try Portfolio.contractFiles([Repository.contracts]).files.map { path in
            try PFS.settleTerm(PFS.check(path: path), fileName: PFS.lastPathComponent(path)).get()
        }
    }

    @Test func maebashiFiguresInEveryFormatAndLanguage() throws {
        let history = try PFS.settleTerm(PFS.check(path: Self.maebashi), fileName: "maebashi-profit-share.xml").get()
        let document = AnnualSettlement.document(try #require(history.last))
        let ja = Statement.render(document, as: .md, language: .ja)
        #expect(ja.hasPrefix("# 成果連動支払額算定書 — 令和6年度（2024年度）\n"))
        #expect(ja.contains("| 前橋市 | 事業者（例） | 成果配分：スマートシティ事業 | 成果連動 | 18 | S5 |"))
        #expect(ja.contains("| 項目C | 300 | 30% | 90 | S2 |"))
        // The public sector's 72 is a fiscal benefit it keeps, not a payment (Maebashi's 72).
        #expect(ja.contains("| 前橋市 | 公共セクターに帰属する財政効果（支払なし） | 80% | 72 | 72 | S4 |"))
        let en = Statement.render(document, as: .text, language: .en)
        #expect(en.hasPrefix("Annual settlement — FY2024 (令和6年度)\n"))
        // Within 100 columns, long cells wrap onto a second line.
        #expect(
            en.contains(
                """
                City of Maebashi    Provider            Profit share:       outcome-linked                  18  S5
                                    (illustrative)      Smart-city project
                """))
        let csv = Statement.render(document, as: .csv, language: .ja)
        #expect(csv.contains("前橋市,事業者（例）,成果配分：スマートシティ事業,成果連動,18,S5\r\n"))
        let html = Statement.render(document, as: .html, language: .ja)
        #expect(html.contains("<html lang=\"ja\">"))
        #expect(html.contains("<td>成果配分：スマートシティ事業</td><td>成果連動</td><td class=\"num\">18</td><td>S5</td>"))
        let settlement = try JSONStatement.decode(Statement.render(document, as: .json, language: .ja))
        #expect(settlement.projects[0].allocations.map(\.amount) == [d("72"), d("18")])
    }

    @Test func payoutStatementsShowNoOtherContractorsNamesOrFigures() throws {
        var checked = 0
        for history in try Self.shippedHistories() {
            for end in history.indices {
                let years = Array(history[...end])
                let contractors = Payout.contractors(in: years)
                for party in contractors {
                    let document = try #require(Payout.document(party: party, history: years))
                    let others = contractors.filter { $0.id != party.id }
                    for format in StatementFormat.allCases {
                        for language in Language.allCases {
                            let text = Statement.render(document, as: format, language: language)
                            for other in others {
                                for name in [other.id, other.name.en, other.name.ja].compactMap({ $0 })
                                where !name.isEmpty {
                                    #expect(
                                        !text.contains("'\(name)'") && !text.contains(" \(name) ")
                                            && !text.contains(">\(name)<") && !text.contains(",\(name),"),
                                        """
                                        \(document.settlement.contract.id) \
                                        FY\(document.settlement.fiscalYear.year) payout for \(party.id) names \
                                        \(name) (\(format))
                                        """
                                    )
                                }
                            }
                        }
                    }
                    // Figures: no amount cell shows what another contractor alone receives
                    // this year (an amount the party itself also has would prove nothing).
                    let settlement = years[end]
                    // The contract's own limits and totals (its maximum, what remains) are no
                    // other contractor's figures, and may equal one by chance.
                    let limits = years.flatMap { s in
                        [
                            s.paymentTotals?.maximum, s.paymentTotals?.remaining, s.paymentTotals?.paidToDate,
                            s.paymentTotals?.paidBefore,
                            s.rewardCap?.maximum, s.rewardCap?.remaining,
                        ].compactMap { $0 }
                    }
                    let own = Set(years.flatMap { Self.amountsReceived(by: party.id, in: $0) } + limits)
                    let theirs = Set(others.flatMap { Self.amountsReceived(by: $0.id, in: settlement) }).subtracting(
                        own)
                    let shown = Set(Self.amountCells(document))
                    #expect(
                        shown.isDisjoint(with: theirs),
                        """
                        \(settlement.contract.id) FY\(settlement.fiscalYear.year) payout for \(party.id) shows \
                        \(shown.intersection(theirs).map(\.description).sorted())
                        """
                    )
                    checked += 1
                }
            }
        }
        #expect(checked > 20)
    }

    /// What `party` receives in the year, and its own SIB terms: profit-share allocations,
    /// payment parts, SIB flows, principal and maximum return.
    static func amountsReceived(by party: String, in s: Settlement) -> [ExactDecimal] {
        var amounts = s.projects.flatMap { $0.allocations.filter { $0.party.id == party }.map(\.amount) }
        amounts += (s.payments ?? []).flatMap { $0.payees.filter { $0.party.id == party }.map(\.amount) }
        if let sib = s.sib {
            for investor in sib.investors where investor.party.id == party {
                amounts += [
                    investor.principalThisYear, investor.returnThisYear, investor.principal,
                    investor.principalToDate, investor.returnToDate,
                ]
                if let most = investor.maximumReturn {
                    amounts += [most] + [try? most.subtracting(investor.returnToDate)].compactMap { $0 }
                }
            }
            if sib.residual.id == party { amounts += [sib.residualThisYear, sib.residualToDate] }
            if sib.intermediary.id == party { amounts += [sib.feeThisYear, sib.feeToDate] }
        }
        return amounts.filter { $0.signum != 0 }
    }

    /// Every amount cell of a document.
    static func amountCells(_ document: Document) -> [ExactDecimal] {
        var cells: [Cell] = document.header.map(\.value)
        for section in document.sections {
            for block in section.blocks {
                switch block {
                case .facts(let facts): cells += facts.map(\.value)
                case .table(let table): cells += (table.rows + table.totals).flatMap { $0 }
                case .note: break
                }
            }
        }
        return cells.compactMap { if case .amount(let value) = $0 { return value } else { return nil } }
    }

    @Test func payoutTotalsTieToTheSettlement() throws {
        for history in try Self.shippedHistories() {
            guard let settlement = history.last else { continue }
            for party in Payout.contractors(in: history) where party.role == .provider && settlement.sib == nil {
                let document = try #require(Payout.document(party: party, history: history))
                let table = try #require(
                    document.sections.first { $0.key == "amounts" }?.blocks.compactMap { block -> Table? in
                        if case .table(let table) = block { return table } else { return nil }
                    }.first)
                let profitShare = settlement.totals.byParty.first { $0.party.id == party.id }?.amount ?? .zero
                let payments = try ExactDecimal.sum(
                    (settlement.payments ?? []).flatMap { $0.payees.filter { $0.party.id == party.id }.map(\.amount) })
                #expect(
                    table.totals.first?[2] == .amount(try profitShare.adding(payments)),
                    "\(settlement.contract.id) \(party.id)")
            }
        }
    }

    @Test func auditTrailsTieOutAndNameEveryInputsLine() throws {
        for history in try Self.shippedHistories() {
            for settlement in history {
                let audit = AuditTrail.document(settlement)
                let text = Statement.render(audit, as: .text, language: .en)
                #expect(!text.contains("DOES NOT TIE OUT"), "\(settlement.contract.id) FY\(settlement.fiscalYear.year)")
                // The CSV holds each cell whole (the text statement wraps long paths).
                let csv = Statement.render(audit, as: .csv, language: .en)
                for kpi in settlement.kpis {
                    for figure in [kpi.baseline, kpi.expected, kpi.actual].compactMap({ $0 }) {
                        #expect(figure.line > 0 && figure.element != nil)
                        #expect(
                            csv.contains(",\(figure.line),\(figure.element ?? "")"), "\(kpi.id) line \(figure.line)")
                    }
                }
                // Every step uses only steps before it, so the trail can be redone in order.
                for (index, step) in settlement.steps.enumerated() {
                    let earlier = Set(settlement.steps[..<index].map(\.id))
                    #expect(
                        step.uses.allSatisfy(earlier.contains), "\(settlement.contract.id) \(step.id) uses \(step.uses)"
                    )
                }
            }
        }
    }

    static let hostileParties = """
        <party id="city" role="public-sector"><name ja="市" en="City"/></party>
        <party id="provider" role="provider"><name ja="事業者" en="=HYPERLINK(&quot;http://x&quot;)|&lt;script&gt;alert(1)&lt;/script&gt; *bold* [x](y)"/></party>
        """

    static func hostileSettlement() -> Settlement? {
        var contract = ContractXML(
            kpis: ContractXML.moneyKPI("cost", expected: "12000", actual: "2000"),
            projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.5")]))
        contract.parties = hostileParties
        return contract.settle()
    }

    @Test func csvOpensInSpreadsheetsAndRunsNoFormulas() throws {
        let settlement = try #require(Self.hostileSettlement())
        let csv = Statement.render(AnnualSettlement.document(settlement), as: .csv, language: .en)
        #expect(csv.hasPrefix("\u{FEFF}Annual settlement"))
        #expect(Array(csv.utf8).starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        let reader = try CSVReader(string: String(csv.dropFirst()))
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        let due = try #require(rows.first { $0.first == "City" && $0.count == 6 && $0[3] == "outcome-linked" })
        #expect(due[1] == "'=HYPERLINK(\"http://x\")|<script>alert(1)</script> *bold* [x](y)")
        #expect(due[4] == "5000")
        #expect(rows.contains { $0 == ["Total due this year", "", "", "", "5000", ""] })
        #expect(rows.contains(["Amounts in", "JPY (JPY × 1)"]), "\(rows.filter { $0.first == "Amounts in" })")
        let thousands = CSVRenderer.text(.amount(d("1234567.5")), .en, 0)
        #expect(thousands == "1234567.5")
        #expect(CSVRenderer.text(.amount(d("-300")), .en, 0) == "-300")
        // Amounts in a currency with cents show them; other numbers keep their own digits.
        #expect(CSVRenderer.text(.amount(d("1234567.5")), .en, 2) == "1234567.50")
        #expect(CSVRenderer.text(.number(d("0.6")), .en, 2) == "0.6")
        #expect(Cell.amount(d("-35910")).display(.en, amountDigits: 2) == "-35,910.00")
        #expect(CSVRenderer.text(.text("-1+1"), .en, 0) == "'-1+1")
    }

    @Test func markdownAndHTMLEscapeTheContractsText() throws {
        let settlement = try #require(Self.hostileSettlement())
        let document = AnnualSettlement.document(settlement)
        let markdown = Statement.render(document, as: .md, language: .en)
        #expect(!markdown.contains("<script>"))
        #expect(
            markdown.contains("=HYPERLINK(\"http://x\")\\|&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\[x\\](y)"))
        let html = Statement.render(document, as: .html, language: .en)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func anOrganisationsTemplateSeesTheSameValues() throws {
        let template = try HTMLTemplate(
            text: """
                <html lang="{{lang}}"><h1>{{title}}</h1>{{#sections}}<h2>{{title}}</h2>{{#blocks}}{{#table}}{{#rows}}<p>{{#cells}}{{value}};{{/cells}}</p>{{/rows}}{{/table}}{{/blocks}}{{/sections}}</html>
                """)
        let history = try PFS.settleTerm(PFS.check(path: Self.maebashi), fileName: "maebashi-profit-share.xml").get()
        let html = try template.render(AnnualSettlement.document(try #require(history.last)), language: .ja)
        #expect(html.hasPrefix("<html lang=\"ja\"><h1>成果連動支払額算定書 — 令和6年度（2024年度）</h1><h2>2 成果指標と評価結果</h2>"))
        #expect(
            html.contains(
                "<h2>4 支払額（確定額）</h2><h2>本年度の支払額</h2><p>前橋市;事業者（例）;成果配分：スマートシティ事業;成果連動;18;S5;</p>"))
        #expect(throws: HTMLTemplate.Problem.self) { try HTMLTemplate(text: "<p>\n{{#sections}}<h2>{{title}}</h2>\n") }
        let problem = #expect(throws: HTMLTemplate.Problem.self) {
            try HTMLTemplate(text: "<p>\n  {{#sections}}\n{{/blocks}}")
        }
        #expect(problem?.line == 3)
        #expect(problem?.message == "a section is closed with a different name than it was opened with")
    }

    @Test func brokenTemplateIsReportedAtItsLine() throws {
        let directory = try HostileInput.temporaryDirectory()
        let path = directory.path + "/statement.mustache"
        try "<html>\n<h1>{{title}</h1>\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "html", "--template", path,
        ])
        #expect(run.status == 64)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.hasPrefix("\(path):2:"))
        #expect(
            run.standardError.contains(
                ": error: [template-syntax] the HTML template is not valid Mustache: a tag is not closed\n"))
        let missing = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "html", "--template",
            directory.path + "/none.mustache",
        ])
        #expect(missing.status == 64)
        #expect(
            missing.standardError.hasPrefix(
                "\(directory.path)/none.mustache: error: [template-unreadable] cannot read the HTML template\n"))
    }

    /// A template that walks `sections` inside `sections` twenty deep is stopped at its
    /// budget in well under a second; 3,000 levels are refused before parsing (they
    /// overflowed the parser's stack); --template without HTML is a usage error.
    @Test func hostileTemplatesAreStoppedNeverRunForMinutes() throws {
        let directory = try HostileInput.temporaryDirectory().path
        let exponential = directory + "/exponential.mustache"
        try
            (String(repeating: "{{#sections}}", count: 14) + "{{title}}" + String(repeating: "{{/sections}}", count: 14))
            .write(toFile: exponential, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "html", "--template",
            exponential,
        ])
        #expect(run.status == 64)
        #expect(run.standardOutput.isEmpty)
        #expect(
            run.standardError.contains(
                "error: [template-limit] the HTML template was stopped: the template renders its sections more than "))

        // Writing: refused the same way, and nothing is written.
        let written = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "html", "--template",
            exponential,
            "--output", directory + "/out",
        ])
        #expect(written.status == 64)
        #expect(written.standardError.contains("[template-limit]"))
        #expect(
            (try? FileManager.default.contentsOfDirectory(atPath: directory + "/out/maebashi-profit-share"))?.isEmpty
                ?? true)

        let deep = directory + "/deep.mustache"
        try (String(repeating: "{{#sections}}", count: 3_000) + String(repeating: "{{/sections}}", count: 3_000))
            .write(toFile: deep, atomically: true, encoding: .utf8)
        let crash = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--format", "html", "--template", deep,
        ])
        #expect(crash.status == 64)
        #expect(
            crash.standardError.hasPrefix(
                """
                \(deep):1:209: error: [template-syntax] the HTML template is not valid Mustache: sections are \
                nested more than 16 deep
                """
            ))
        let nested = #expect(throws: HTMLTemplate.Problem.self) {
            try HTMLTemplate(text: "{{=<% %>=}}\n" + String(repeating: "<%#a%>", count: 17))
        }
        #expect(nested?.line == 2 && nested?.column == 97)

        let ignored = try CommandRun.pfs([
            "settle", "Contracts/maebashi-profit-share.xml", "--year", "2024", "--template", exponential,
        ])
        #expect(ignored.status == 64)
        #expect(ignored.standardError.contains("--template applies to HTML and PDF statements only; add --format html"))
    }

    /// An organisation's template renders as the bundled one does, list transforms included.
    @Test func anOrdinaryOwnTemplateRendersUnderItsLimits() throws {
        let template = try HTMLTemplate(
            text:
                "{{#sections}}{{title}}: {{count(blocks)}} {{#blocks}}{{#table}}{{#rows}}{{#cells}}{{value}};{{/cells}}{{/rows}}{{/table}}{{/blocks}}\n{{/sections}}"
        )
        let settlement = try PFS.settle(path: Repository.path("Contracts/maebashi-profit-share.xml"), year: 2024).get()
        let document = try #require(Statement.document(.settlement, history: [settlement]))
        let html = try template.render(document, language: .en)
        #expect(html.contains("KPI outcomes: 3 Item A;"))
        #expect(html.contains("300"))
    }

    @Test func unknownPartyNamesTheContractors() throws {
        let run = try CommandRun.pfs(["settle", "Contracts/example-sib.xml", "--year", "2024", "--party", "nobody"])
        #expect(run.status == 1)
        #expect(
            run.standardError == """
                Contracts/example-sib.xml: error: [unknown-party] no payout statement for party 'nobody': it receives nothing under this contract in the years settled
                  hint: contractors: trust, bank, foundation, provider

                """)
    }
}

/// Invariants of the documents over generated contracts.
@Suite struct DocumentProperties {
    /// Three-year profit shares with two providers under each negative-improvement policy
    /// and an optional reward maximum: every audit tie-out holds, each payout statement's
    /// years add up to what the settlements give that provider, and no payout names the
    /// other provider.
    @Test func auditTieOutsAndPayoutsHoldOverGeneratedContracts() async {
        await propertyCheck(
            count: 60, input: Gen.int(in: -300...800).array(of: 3), Gen.int(in: 0...2), Gen.int(in: 0...49),
            Gen.int(in: 0...49), Gen.int(in: 0...600)
        ) { gains, policyIndex, shareA, shareB, maximum in
            let policy = ["floor", "carry-forward", "claw-back"][policyIndex]
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
                    "p", credits: [("cost", "1")],
                    shares: [
                        ("provider", "0.\(String(format: "%02d", shareA))"),
                        ("partner", "0.\(String(format: "%02d", shareB))"),
                    ]))
            contract.term = (2020, 2022)
            // Names that are not also the role's word (事業者), so that a name found is a name leaked.
            contract.parties =
                contract.parties.replacingOccurrences(of: #"ja="事業者""#, with: #"ja="甲社""#)
                + #"<party id="partner" role="provider"><name en="Partner" ja="乙社"/></party>"#
            let cap = maximum > 500 ? "" : #" reward-maximum="\#(maximum)""#
            let xml = contract.text.replacingOccurrences(
                of: "<projects>", with: #"<projects negative-improvement="\#(policy)"\#(cap)>"#)
            let checked = PFS.check(bytes: Array(xml.utf8), file: "generated.xml")
            guard case .success(let history) = PFS.settleTerm(checked, fileName: "generated.xml") else {
                Issue.record("not settled: \(checked.diagnostics.map(\.rendered))")
                return
            }
            #expect(history.count == 3)
            for end in history.indices {
                let years = Array(history[...end])
                let settlement = years[end]
                let audit = Statement.render(AuditTrail.document(settlement), as: .text, language: .en)
                #expect(!audit.contains("DOES NOT TIE OUT"))
                for party in Payout.contractors(in: years) {
                    guard let payout = Payout.document(party: party, history: years) else { continue }
                    let byYear = payout.sections.first { $0.key == "byYear" }.flatMap { section in
                        section.blocks.compactMap { block -> Table? in
                            if case .table(let table) = block { return table } else { return nil }
                        }.first
                    }
                    let paid = years.flatMap { $0.totals.byParty.filter { $0.party.id == party.id }.map(\.amount) }
                    #expect(byYear?.totals.first?[2] == .amount((try? ExactDecimal.sum(paid)) ?? .zero))
                    let other = party.id == "provider" ? ["partner", "Partner", "乙社"] : ["'provider'", "Provider", "甲社"]
                    for language in Language.allCases {
                        let text = Statement.render(payout, as: .text, language: language)
                        let named = other.filter { text.contains($0) }
                        #expect(named == [], "\(party.id)'s payout names the other provider:\n\(text)")
                    }
                }
            }
        }
    }

    /// Changing any one value of a JSON statement is found by `pfs verify`'s comparison,
    /// at that value's path.
    @Test func anyAlteredValueIsFound() async throws {
        let history = try PFS.settleTerm(PFS.check(path: Documents.maebashi), fileName: "maebashi-profit-share.xml")
            .get()
        let settlement = try #require(history.last)
        let documents = Statement.documents(history: history)
        for document in documents {
            let text = Statement.render(document, as: .json, language: .ja)
            let original = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            var leaves: [[Any]] = []
            collectLeaves(original, path: [], into: &leaves)
            #expect(leaves.count > 20)
            await propertyCheck(count: 40, input: Gen.int(in: 0..<leaves.count)) { index in
                let altered = replacing(original, at: leaves[index]) as? [String: Any] ?? [:]
                var differences: [Verification.Difference] = []
                Verification.compare(altered, original, path: "", into: &differences)
                #expect(differences.count == 1, "\(document.kind) leaf \(leaves[index])")
            }
        }
        _ = settlement
    }

    private func collectLeaves(_ value: Any, path: [Any], into leaves: inout [[Any]]) {
        if let object = value as? [String: Any] {
            for (key, child) in object { collectLeaves(child, path: path + [key], into: &leaves) }
        } else if let array = value as? [Any] {
            for (index, child) in array.enumerated() { collectLeaves(child, path: path + [index], into: &leaves) }
        } else {
            leaves.append(path)
        }
    }

    private func replacing(_ value: Any, at path: [Any]) -> Any {
        guard let head = path.first else {
            if let text = value as? String { return text + "0" }
            return "altered"
        }
        if var object = value as? [String: Any], let key = head as? String, let child = object[key] {
            object[key] = replacing(child, at: Array(path.dropFirst()))
            return object
        }
        if var array = value as? [Any], let index = head as? Int, array.indices.contains(index) {
            array[index] = replacing(array[index], at: Array(path.dropFirst()))
            return array
        }
        return value
    }
}

/// Texts the shipped contracts never produce: a shortfall carried forward, a year without
/// outcome payments, a contractor paid only in an earlier year, and explain's shortened branches.
@Suite struct RarerStatementTexts {
    static let contract: String = {
        var contract = ContractXML(
            kpis:
                #"<kpi id="cost" direction="lower-is-better" unit="yen"><name en="Cost"/><money/><baseline year="2022" value="1000"/>"#
                + #"<expected year="2023" value="1000"/><actual year="2023" value="1100"/><expected year="2024" value="1000"/><actual year="2024" value="700"/></kpi>"#,
            projects: ContractXML.project("p", credits: [("cost", "1")], shares: [("provider", "0.2")]))
        contract.term = (2023, 2024)
        contract.parties += #"<party id="consultant" role="provider"><name en="Consultant"/></party>"#
        return contract.text
            .replacingOccurrences(of: "<projects>", with: #"<projects negative-improvement="carry-forward">"#)
            .replacingOccurrences(
                of: "</projects>",
                with:
                    #"</projects><payments><payment id="advice" payer="city" payee="consultant" year="2023"><name en="Advice"/><fixed amount="50"/></payment></payments>"#
            )
    }()

    @Test func carryForwardAYearWithoutPaymentsAndAnEarlierPayout() throws {
        let checked = PFS.check(bytes: Array(Self.contract.utf8), file: "rare.xml")
        #expect(checked.diagnostics.isEmpty, "\(checked.diagnostics.map(\.rendered))")
        let history = try PFS.settleTerm(checked, fileName: "rare.xml").get()
        #expect(history.map(\.fiscalYear.year) == [2023, 2024])
        let settlement = Statement.render(
            AnnualSettlement.document(try #require(history.last)), as: .text, language: .en)
        // FY2024 ends the term: nothing is "carried to next year".
        #expect(
            settlement.contains(
                """
                Carry-forward: shortfall brought from earlier years 100; shortfall left at the end of the term \
                0\n(the term has no later year).\n
                """
            ))
        #expect(settlement.contains("No outcome payment falls due this year.\n"))
        let consultant = try #require(Payout.contractors(in: history).first { $0.id == "consultant" })
        let payout = Statement.render(
            try #require(Payout.document(party: consultant, history: history)), as: .text, language: .en)
        #expect(payout.contains("Nothing is due to you this year.\n"))
        #expect(payout.contains("FY2023 (令和5年度)  advice — Advice            50\n"))
        #expect(payout.contains("FY2024 (令和6年度)  nothing due                 0\n"))
    }

    @Test func explainShortensRepeatedAndUnrelatedBranches() throws {
        let repeated = try CommandRun.pfs(["explain", "Contracts/example-sib.xml", "--year", "2024", "--lang", "en"])
        #expect(
            repeated.standardOutput.contains(
                """
                └─ S1  payment 'employment-2024' (band (linear)) from 'city' to 'trust' = 2,880
                       (expanded above)
                """))
        let path = try HostileInput.temporaryDirectory().path + "/two-kpis.xml"
        let contract = ContractXML(
            kpis: ContractXML.moneyKPI("a", expected: "1000", actual: "800")
                + ContractXML.moneyKPI("b", expected: "500", actual: "400"),
            projects: ContractXML.project("p", credits: [("a", "0.5"), ("b", "0.5")], shares: [("provider", "0.2")]))
        try contract.text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs(["explain", path, "--year", "2024", "--kpi", "a", "--lang", "en"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardOutput.contains("S4  project 'p' attributable from KPI 'b' = 50 (other inputs, not expanded)"),
            "\(run.standardOutput)")
        #expect(run.standardOutput.contains("a actual FY2024 = 800"))
        #expect(!run.standardOutput.contains("b actual FY2024"))
    }
}

/// Text statements stay within 100 terminal cells, wrapping long cells (issue 11, item 26).
@Suite struct TextWidth {
    @Test func everyTextStatementFitsInOneHundredColumns() throws {
        let files = try ReportSet.generate(contractsDirectory: Repository.contracts).get().filter {
            $0.path.hasSuffix(".txt")
        }
        #expect(files.count >= 100)
        for file in files {
            let widest = file.content.split(separator: "\n").map { TextTableProbe.width(String($0)) }.max() ?? 0
            #expect(widest <= 100, "\(file.path): \(widest) columns")
        }
    }

    @Test func wrappingKeepsWordsAndBreaksOnlyWhatCannotFit() {
        #expect(
            TextTableProbe.wrap("down (toward zero) to a multiple of 1", width: 12) == [
                "down (toward", "zero) to a", "multiple of", "1",
            ])
        #expect(TextTableProbe.wrap("健診受診者数", width: 5) == ["健診", "受診", "者数"])
        #expect(TextTableProbe.wrap("short", width: 12) == ["short"])
        #expect(TextTableProbe.wrap("abcdefghijklmnop", width: 6) == ["abcdef", "ghijkl", "mnop"])
    }
}

/// A payout statement shows every step it cites (issue 11, item 20).
@Suite struct PayoutSteps {
    @Test func everyCitedStepIsShownAndEveryAmountHasTerms() throws {
        var payouts = 0
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let history = try PFS.settleTerm(PFS.check(path: path), fileName: PFS.lastPathComponent(path)).get()
            for end in history.indices {
                let settled = Array(history[...end])
                for party in Payout.contractors(in: settled) {
                    guard let document = Payout.document(party: party, history: settled) else { continue }
                    payouts += 1
                    var cited: Set<String> = [], shown: Set<String> = []
                    for section in document.sections {
                        for case .table(let table) in section.blocks {
                            for row in table.rows {
                                for (column, cell) in zip(table.columns, row) where column.key == "step" {
                                    if case .text(let id) = cell, !id.isEmpty {
                                        if table.key == "calculation" { shown.insert(id) } else { cited.insert(id) }
                                    }
                                }
                            }
                            if table.key == "amounts" {
                                for row in table.rows {
                                    #expect(
                                        row[1] != .phrase(Phrase(verbatim: "")),
                                        "\(path) \(party.id): an amount without terms")
                                }
                            }
                        }
                    }
                    #expect(
                        cited.isSubset(of: shown),
                        """
                        \(path) FY\(settled[end].fiscalYear.year) \(party.id) cites \
                        \(cited.subtracting(shown).sorted())
                        """
                    )
                }
            }
        }
        #expect(payouts > 20)
    }
}

/// What a Japanese reader sees is Japanese, except identifiers and the contract's own
/// texts (issue 11, item 21).
@Suite struct JapaneseStatements {
    static let englishFormulaWords = [
        "whole multiples", "paid before", "expected − actual", "actual − expected", "× share",
        "value per unit", "reaches", "carried from earlier", "net attributable", "band (", "fixed amount",
        "rounded down", "rounded half", "received ", "(expanded above)",
    ]

    @Test func japaneseStatementsAndExplainHaveNoEnglishFormulas() throws {
        let files = try ReportSet.generate(contractsDirectory: Repository.contracts).get().filter {
            $0.path.contains(".ja.")
        }
        #expect(files.count > 100)
        for file in files where !file.path.contains("example-projection/") {
            for word in Self.englishFormulaWords {
                #expect(!file.content.contains(word), "\(file.path) contains '\(word)'")
            }
        }
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let checked = PFS.check(path: path)
            guard let contract = checked.contract, let year = PFS.settleableYears(contract).last else { continue }
            let settlement = try PFS.settle(checked, fileName: PFS.lastPathComponent(path), year: year).get()
            let roots = try Explanation.roots(.everything, in: settlement).get()
            let text = Explanation.render(settlement, roots: roots, language: .ja)
            for word in Self.englishFormulaWords { #expect(!text.contains(word), "explain \(path): '\(word)'") }
        }
    }
}
