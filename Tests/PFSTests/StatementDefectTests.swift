import Foundation
import PFS
import PFSModel
import PFSEvaluator
import PFSOutput
import PFSRegister
import PFSStatements
import PFSTestSupport
import SQLKit
import Testing

/// Statements that misled a reader (issue 28, items 15 and 17 to 21).
@Suite struct MisleadingStatements {
    /// A document of `year` as Markdown (a table row on one line) of the contract `text`,
    /// read as if from `path` (files it names are found beside it).
    static func render(
        _ text: String, year: Int, _ kind: DocumentKind = .settlement, language: Language = .en,
        path: String = Repository.contracts + "/c.xml"
    ) throws -> String {
        let file = PFS.lastPathComponent(path)
        let checked = PFS.check(bytes: Array(text.utf8), file: path)
        #expect(!checked.hasErrors, "\(checked.diagnostics.map(\.rendered))")
        let history = try PFS.settleHistory(
            checked, provenance: PFS.provenance(of: checked, fileName: file), through: year
        ).get()
        let document = try #require(Statement.document(kind, history: history))
        return Statement.render(document, as: .md, language: language)
    }

    static func contract(_ name: String) throws -> String {
        try String(contentsOfFile: Repository.contracts + "/" + name, encoding: .utf8)
    }

    /// A contract with nothing but KPI targets is settled by `--all` in every year with data.
    @Test func settleAllSettlesATargetsOnlyContract() throws {
        var text = try Self.contract("example-conditions-targets.xml")
        let payments = try #require(text.range(of: "<payments>")?.lowerBound)
        let end = try #require(text.range(of: "</payments>")?.upperBound)
        text.removeSubrange(payments..<end)
        let folder = try TemporaryFolder.make()
        try text.write(to: folder.appendingPathComponent("t.xml"), atomically: false, encoding: .utf8)
        let run = try LostDataDefects.run(["settle", "t.xml", "--all", "--lang", "en"], in: folder, expect: 0)
        #expect(run.standardOutput.contains("Annual settlement — FY2024 (令和6年度)"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("Annual settlement — FY2025 (令和7年度)"))
        #expect(!run.standardError.contains("not settled"), "\(run.standardError)")
    }

    /// A fixed sum whose conditions fail is not "fixed": the rule and "conditions not met".
    @Test func aPaymentWhoseConditionsFailSaysSo() throws {
        let text = try Self.render(try Self.contract("example-conditions-targets.xml"), year: 2025)
        #expect(text.contains("| City | Provider | success-2025 — Success fee, FY2025 | outcome-linked (fixed sum, conditions not met) | 0 | S1 |"), "\(text)")
        #expect(text.contains("| success-2025 — Success fee, FY2025 | fixed, conditions not met |  |  | 0 | 0 | 0 | S1 |"), "\(text)")
        #expect(!text.contains("of which fixed"))
        let ja = try Self.render(try Self.contract("example-conditions-targets.xml"), year: 2025, language: .ja)
        #expect(ja.contains("| 固定額（条件未達成） |"), "\(ja)")
    }

    /// The caps per participant of a rate card are in "Payments by rule": priced 23,300,
    /// cut 1,500, paid 21,800 — and one participant is "1 participant".
    @Test func aRateCardsCapsPerParticipantShowAsCuts() throws {
        let text = try Self.render(try Self.contract("example-rate-card.xml"), year: 2024)

        #expect(text.contains("| outcomes-2024 — Outcomes 2024-25 | rate card |  |  | 23,300.00 | 1,500.00 | 21,800.00 | S1 |"), "\(text)")
        #expect(text.contains("the cap per participant (8,000.00 a year and 11,700.00 over the term)"), "\(text)")
        // The records of one participant only: "1 participant", not "1 participants".
        let folder = try TemporaryFolder.make()
        let records = "participant,outcome,year\nP001,attitude,2024\nP001,attendance,2024\n"
        try records.write(to: folder.appendingPathComponent("one.csv"), atomically: false, encoding: .utf8)
        let sha = PFS.sha256Hex(Array(records.utf8))
        let source = try Self.contract("example-rate-card.xml")
        let one = try #require(
            source.range(of: #"<records file="example-rate-card-participants.csv" sha256="[0-9a-f]{64}"/>"#, options: .regularExpression))
        let lone = source.replacingCharacters(in: one, with: #"<records file="one.csv" sha256="\#(sha)"/>"#)
        let single = try Self.render(lone, year: 2024, path: folder.path + "/c.xml")
        #expect(single.contains("Payment outcomes-2024: 1 participant achieved outcomes this year;"), "\(single)")
    }

    /// The text on one line, runs of spaces as one: a sentence as it reads, whatever the
    /// width it was wrapped to.
    static func flat(_ text: String) -> String {
        text.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }

    /// A class that loses principal at maturity says how much and why, in the annual
    /// settlement and in its holder's payout statement.
    @Test func aLossOfPrincipalIsShownWithItsReason() throws {
        let source = try Self.contract("example-investor-classes.xml")
        // 2017–18: 390 entries against the control group's 400, a performance of 0.025,
        // below class E's floor of 0.05: half its 2,000,000 is written down.
        let text = source.replacingOccurrences(
            of: #"<actual year="2017" value="344""#, with: #"<actual year="2017" value="390""#)
        #expect(text != source)
        let annual = try Self.render(text, year: 2017)
        #expect(
            Self.flat(annual).contains(
                "Class Class E (principal at risk) lost 1,000,000.00 of its principal at maturity: 1,000,000.00 because the performance 0.025 was below its loss floor 0.05 (all of it at 0 or below)."
            ), "\(annual)")
        let payout = try Self.render(text, year: 2017, .payout(party: "foundation"))
        let flat = Self.flat(payout)
        #expect(payout.contains("| Principal lost | 1,000,000.00 |"), "\(payout)")
        #expect(payout.contains("| Principal not yet repaid | 0.00 |"), "\(payout)")
        #expect(flat.contains("because the performance 0.025 was below its loss floor 0.05"), "\(payout)")
        #expect(payout.contains("| principal 2,000,000.00, repaid by class rank |"), "\(payout)")
    }

    /// An investor may have no cap on its return (`max-return="none"`): it takes the return
    /// tier that a cap would have left to the residual party.
    @Test func anUncappedInvestorTakesWhatACapWouldHaveLeft() throws {
        let source = try Self.contract("example-sib.xml")
        let text = source.replacingOccurrences(
            of: #"<investor party="foundation" principal="1000" max-return="0.1"/>"#,
            with: #"<investor party="foundation" principal="1000" max-return="none"/>"#)
        #expect(text != source)
        let checked = PFS.check(bytes: Array(text.utf8), file: "c.xml")
        #expect(!checked.hasErrors, "\(checked.diagnostics.map(\.rendered))")
        let history = try PFS.settleTerm(checked, fileName: "c.xml").get()
        let sib = try #require(history.last?.sib)
        #expect(sib.residualToDate == .zero)
        let foundation = try #require(sib.investors.first { $0.party.id == "foundation" })
        #expect(foundation.maximumReturn == nil)
        // Money is conserved: received = fee + principal + returns + residual.
        let out = try sib.feeToDate.adding(ExactDecimal.sum(sib.investors.map(\.principalToDate)))
            .adding(ExactDecimal.sum(sib.investors.map(\.returnToDate))).adding(sib.residualToDate)
        #expect(out == sib.receivedToDate)
        let bank = try #require(sib.investors.first { $0.party.id == "bank" })
        #expect(bank.returnToDate <= (bank.maximumReturn ?? .zero))
        let payout = try Self.render(text, year: try #require(history.last?.fiscalYear.year), .payout(party: "foundation"))
        #expect(payout.contains("no cap on the return"), "\(payout)")
        #expect(!payout.contains("Left for"))
    }
}

/// An adjustment restates the whole division, the public sector's share included, and is
/// written to --output in any format (issue 28, item 27).
@Suite(.serialized) struct AdjustmentStatements {
    @Test func theAdjustmentRestatesTheDivisionAndIsWrittenInEveryFormatAsked() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        try "kpi,year,value\nitem-c,2024,2250\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        _ = try LostDataDefects.run(
            ["actuals", "m.xml", "--from", "a.csv", "--register", register, "--key", "finance.key", "--correction", "R6 restated"],
            in: folder, expect: 0)
        let settled = try LostDataDefects.run(
            ["settle", "m.xml", "--key", "finance.key", "--year", "2024", "--register", register, "--output", "adjusted", "--format", "md",
             "--format", "html", "--lang", "en", "--lang", "ja"],
            in: folder, expect: 0)
        #expect(settled.standardOutput.contains("adjustment 1 settled"), "\(settled.standardOutput)")
        let base = folder.path + "/adjusted/maebashi-profit-share/"
        for name in ["adjustment-1-FY2024.en.md", "adjustment-1-FY2024.ja.md", "adjustment-1-FY2024.en.html",
            "adjustment-1-FY2024.ja.html"]
        {
            #expect(FileManager.default.fileExists(atPath: base + name), "\(name)")
        }
        let markdown = try String(contentsOfFile: base + "adjustment-1-FY2024.en.md", encoding: .utf8)
        // Improvement 300 → 250: attributable 90 → 75, the provider 18 → 15, the city 72 → 60.
        #expect(markdown.contains("| Smart-city project | attributable improvement | 90 | 75 | -15 |"), "\(markdown)")
        #expect(markdown.contains("| Smart-city project | kept by City of Maebashi | 72 | 60 | -12 |"), "\(markdown)")
        #expect(markdown.contains("| Smart-city project | share of Provider (illustrative) | 18 | 15 | -3 |"), "\(markdown)")
    }
}

/// `pfs issue` writes the formats asked on its own command line (default PDF, HTML and
/// JSON), each party's statements in a folder of its own, adjustments in every format
/// (issue 28, item 23).
@Suite(.serialized) struct IssuedFormats {
    @Test func eachPartyGetsItsOwnFolderInTheFormatsAsked() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let base = folder.path + "/handed/maebashi-profit-share/"
        _ = try LostDataDefects.run(
            ["issue", "m.xml", "--key", "finance.key", "--year", "2024", "--output", "handed", "--format", "html", "--format", "json",
             "--format", "md", "--lang", "en", "--register", register], in: folder, expect: 0)
        let city = try FileManager.default.contentsOfDirectory(atPath: base + "maebashi").sorted()
        #expect(
            city == [
                "audit-FY2024.en.html", "audit-FY2024.en.md", "audit-FY2024.json", "audit-FY2024.json.evaluator.sig",
                "audit-FY2024.json.maebashi.sig", "settlement-FY2024.en.html", "settlement-FY2024.en.md",
                "settlement-FY2024.json", "settlement-FY2024.json.evaluator.sig", "settlement-FY2024.json.maebashi.sig",
            ])
        let provider = try FileManager.default.contentsOfDirectory(atPath: base + "provider").sorted()
        #expect(
            provider == [
                "payout-provider-FY2024.en.html", "payout-provider-FY2024.en.md", "payout-provider-FY2024.json",
                "payout-provider-FY2024.json.evaluator.sig", "payout-provider-FY2024.json.maebashi.sig",
            ])
        // Each signer's key certificate and binding certificate, each with the authority's signature.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: base + "keys").sorted() == [
                "evaluator.binding", "evaluator.binding.sig", "evaluator.pem", "evaluator.pem.sig", "maebashi.binding",
                "maebashi.binding.sig", "maebashi.pem", "maebashi.pem.sig",
            ])
        #expect(FileManager.default.fileExists(atPath: base + "authority.pem"))
        // The signed JSON is the one the register holds, byte for byte.
        let signed = try Data(contentsOf: URL(fileURLWithPath: base + "maebashi/settlement-FY2024.json"))
        let settled = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/out/maebashi-profit-share/maebashi/settlement-FY2024.json"))
        #expect(signed == settled)
    }

    /// What the register holds as signed must be what the contract settles to: otherwise
    /// nothing is issued (here the held JSON was edited behind pfs's back).
    @Test func aSettlementThatNoLongerMatchesTheSignedOneIsNotIssued() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        try await IssueOutputDefects.edit(
            register, "UPDATE statements SET bytes = CAST('{}' AS BLOB) WHERE document = 'settlement' AND format = 'json'")
        let refused = try LostDataDefects.run(
            ["issue", "m.xml", "--key", "finance.key", "--year", "2024", "--output", "handed", "--format", "json", "--register", register],
            in: folder, expect: 1)
        #expect(
            refused.standardError.hasPrefix(
                "m.xml: error: [statement-exists] FY2024 settles now to another settlement than the one the register holds and its signers approved; nothing was written"
            ), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/handed"))
    }

    @Test func byDefaultIssueWritesPDFHTMLAndJSON() async throws {
        guard PDFStatements.available else { return }
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        _ = try LostDataDefects.run(
            ["issue", "m.xml", "--key", "finance.key", "--year", "2024", "--output", "handed", "--register", register], in: folder, expect: 0)
        let provider = try FileManager.default.contentsOfDirectory(
            atPath: folder.path + "/handed/maebashi-profit-share/provider"
        ).filter { !$0.hasSuffix(".sig") }.sorted()
        #expect(provider == ["payout-provider-FY2024.ja.html", "payout-provider-FY2024.ja.pdf", "payout-provider-FY2024.json"])
    }

    @Test func anAdjustmentIsIssuedInEveryFormatAsked() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        try "kpi,year,value\nitem-c,2024,2250\n".write(
            to: folder.appendingPathComponent("a.csv"), atomically: false, encoding: .utf8)
        let year = ["--year", "2024", "--register", register]
        for step in [
            ["actuals", "m.xml", "--from", "a.csv", "--register", register, "--key", "finance.key", "--correction", "R6 restated"],
            ["settle", "m.xml", "--key", "finance.key"] + year, ["review", "m.xml", "--key", "evaluator.key"] + year,
            ["approve", "m.xml", "--key", "finance.key"] + year,
            ["issue", "m.xml", "--key", "finance.key", "--output", "adjusted", "--format", "xlsx", "--format", "html", "--lang", "en"] + year,
        ] {
            _ = try LostDataDefects.run(step, in: folder, expect: 0)
        }
        let city = try FileManager.default.contentsOfDirectory(
            atPath: folder.path + "/adjusted/maebashi-profit-share/maebashi"
        ).sorted()
        #expect(
            city == [
                "adjustment-1-FY2024.en.html", "adjustment-1-FY2024.en.html.evaluator.sig",
                "adjustment-1-FY2024.en.html.maebashi.sig", "adjustment-1-FY2024.en.xlsx",
                "adjustment-1-FY2024.en.xlsx.evaluator.sig", "adjustment-1-FY2024.en.xlsx.maebashi.sig",
            ])
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/adjusted/maebashi-profit-share/provider"))
    }
}

/// Page 1 of an annual settlement and of a payout statement leads with the amounts, as an
/// invoice does; Japanese charts name units and KPIs in Japanese (issue 28, item 22).
@Suite struct FirstPages {
    static func html(_ contract: String, year: Int, _ kind: DocumentKind, _ language: Language) throws -> String {
        let checked = PFS.check(path: Repository.contracts + "/" + contract)
        let history = try PFS.settleHistory(
            checked, provenance: PFS.provenance(of: checked, fileName: contract), through: year
        ).get()
        let curves = Evaluator.paymentCurves(try #require(checked.contract), year: year)
        let document = try #require(Statement.document(kind, history: history, curves: curves))
        return Statement.render(document, as: .html, language: language)
    }

    /// As municipal documents run (issue 29, item 6): 1 事業概要, 2 成果指標と評価結果,
    /// 3 支払額の算定, 4 支払額（確定額）, 「以上」, then the technical annex with the hashes —
    /// no digest before the end of the body.
    @Test(arguments: [
        (
            DocumentKind.settlement, Language.ja,
            ["<h2>1 事業概要</h2>", "<h2>2 成果指標と評価結果</h2>", "<h2>3 支払額の算定</h2>", "<h2>4 支払額（確定額）</h2>",
             "<h2>本年度の支払額</h2>", "<p class=\"note\">以上</p>", "<h2>別紙 技術情報（検証用）</h2>"]
        ),
        (
            .settlement, .en,
            ["<h2>1 Overview</h2>", "<h2>2 Outcomes and their evaluation</h2>", "<h2>3 How the amounts were calculated</h2>",
             "<h2>4 Amounts (confirmed)</h2>", "<h2>Amounts due this year</h2>", "<p class=\"note\">End of statement.</p>",
             "<h2>Annex: technical information</h2>"]
        ),
        (
            .payout(party: "provider"), .ja,
            ["<h2>1 事業概要</h2>", "<h2>2 成果指標と評価結果</h2>", "<h2>3 支払額の算定</h2>", "<h2>4 支払額（確定額）</h2>",
             "<h2>本年度の支払額（確定額）</h2>", "<p class=\"note\">以上</p>", "<h2>別紙 技術情報（検証用）</h2>"]
        ),
    ])
    func theDocumentRunsAsMunicipalDocumentsDo(_ kind: DocumentKind, _ language: Language, _ parts: [String]) throws {
        let page = try Self.html("maebashi-profit-share.xml", year: 2024, kind, language)
        let body = try #require(page.range(of: "<body>")?.upperBound)
        let positions = try parts.map { part in try #require(page.range(of: part, range: body..<page.endIndex), "\(part)") }
        #expect(positions.map(\.lowerBound) == positions.map(\.lowerBound).sorted())
        let annex = try #require(positions.last)
        let digest = try #require(page.range(of: "91133d6843c8", range: body..<page.endIndex))
        #expect(annex.lowerBound < digest.lowerBound)
    }

    @Test func japaneseChartsNameUnitsAndKPIsInJapanese() throws {
        let page = try Self.html("example-fixed-and-tiers.xml", year: 2022, .settlement, .ja)
        #expect(!page.contains("persons"), "\(page)")
        #expect(!page.contains("成果（指標 checkup-takers）"))
        #expect(page.contains("成果（健診受診者数）"), "\(page)")
    }
}

/// PDF statements need WeasyPrint and the template's fonts; several are made in one
/// renderer run (issue 28, item 24).
@Suite(.serialized) struct PDFPrerequisites {
    /// A folder of programs: `weasyprint` whose Python is a wrapper logging each run, and an
    /// `fc-list` that knows only `families`.
    static func bin(families: [String]) throws -> (bin: URL, log: URL) {
        let bin = try TemporaryFolder.make().appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let log = bin.appendingPathComponent("runs.log")
        let real = try String(contentsOfFile: "/usr/bin/weasyprint", encoding: .utf8)
        let python = String(real.split(separator: "\n")[0].dropFirst(2).split(separator: " ")[0])
        let wrapper = bin.appendingPathComponent("python")
        try "#!/bin/sh\necho run >> \(log.path)\nexec \(python) \"$@\"\n".write(
            to: wrapper, atomically: true, encoding: .utf8)
        try "#!\(wrapper.path)\n# WeasyPrint, through the logging wrapper\n".write(
            to: bin.appendingPathComponent("weasyprint"), atomically: true, encoding: .utf8)
        try "#!/bin/sh\n\(families.map { "echo '\($0)'" }.joined(separator: "\n"))\n".write(
            to: bin.appendingPathComponent("fc-list"), atomically: true, encoding: .utf8)
        for name in ["python", "weasyprint", "fc-list"] {
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent(name).path)
        }
        return (bin, log)
    }

    @Test func missingFontsAreRefusedWithTheInstallCommand() throws {
        guard PDFStatements.available else { return }
        let (bin, _) = try Self.bin(families: ["DejaVu Sans", "Noto Sans CJK JP"])
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            ["settle", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf",
             "--output", "out"], in: folder.path, environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(run.status == 70)
        #expect(
            run.standardError == """
                fc-list: error: [pdf-renderer] PDF statements are set in IPAexGothic and DejaVu Sans, and fontconfig \
                does not find IPAexGothic; WeasyPrint would fall back to another font, slowly and not as tested
                  hint: install them: apt-get install -y fonts-ipaexfont-gothic; nothing was written

                """, "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func theStatementsOfARunAreMadeInOneRendererRun() throws {
        guard PDFStatements.available else { return }
        let (bin, log) = try Self.bin(families: ["IPAexGothic", "DejaVu Sans"])
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            ["settle", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--format", "pdf",
             "--lang", "ja", "--lang", "en", "--output", "out"], in: folder.path,
            environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.standardError)")
        let pdfs = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("out/maebashi-profit-share").path
        ).filter { $0.hasSuffix(".pdf") }
        #expect(pdfs.count == 6)
        #expect(try String(contentsOf: log, encoding: .utf8) == "run\n")
    }
}

/// KPI targets as a municipal plan publishes them (issue 28, item 16): a target year ahead,
/// each KPI judged on its latest result with that result's year, a KPI without a baseline,
/// targets not measured counted apart, KPIs by name, figures as written.
@Suite struct PlanKPITables {
    static let contract = "example-plan-kpi-table.xml"

    static func markdown(_ year: Int, _ language: Language = .en) throws -> String {
        try MisleadingStatements.render(
            try MisleadingStatements.contract(Self.contract), year: year, language: language)
    }

    @Test func eachTargetIsJudgedOnItsKPIsLatestResultWithItsYear() throws {
        let text = try Self.markdown(2022)
        #expect(
            text.contains(
                "| Health check-up rate | at least 0.50 | FY2024 (令和6年度) | 0.45 | 0.55 | FY2022 (令和4年度) | achieved | Health check-up rate actual 0.55 ≥ 0.50: holds | S1 |"
            ), "\(text)")
        // Measured every other year: R3's 77.0, as the plan wrote it.
        #expect(
            text.contains(
                "| Residents' satisfaction | at least 80.0% | FY2024 (令和6年度) | 72.0 | 77.0 | FY2021 (令和3年度) | not achieved | Residents' satisfaction actual 77.0 ≥ 80.0: does not hold | S2 |"
            ), "\(text)")
        // No baseline: none is invented.
        #expect(text.contains("| Registered volunteers | at least 1,200 | FY2024 (令和6年度) | none | 1,250 |"))
        #expect(!text.contains("| volunteers | Registered volunteers | persons | higher | 0 |"))
        #expect(
            text.contains(
                "| Daily walking distance | at least 4.0 km | FY2024 (令和6年度) | 3.2 |  |  | not assessed yet | Daily walking distance actual not measured ≥ 4.0: not measured | S4 |"
            ), "\(text)")
        #expect(text.contains("2 of 3 targets measured achieved; 1 not assessed yet."))
        // A contract of targets only owes nothing, and says so.
        #expect(text.contains("Nothing is due: this contract's KPI targets carry no payment."))
        #expect(!text.contains("## Payments by rule"))
    }

    @Test func japaneseStatementsNameKPIsInJapanese() throws {
        let text = try Self.markdown(2022, .ja)
        #expect(text.contains("| 市民満足度 | 80.0%以上 | 令和6年度（2024年度） | 72.0 | 77.0 | 令和3年度（2021年度） | 未達成 | 市民満足度 実績 77.0%（条件：80.0%以上）→ 未達成 | S2 |"), "\(text)")
        #expect(text.contains("測定済みの目標 3 件のうち 2 件を達成。未評価 1 件"), "\(text)")
    }
}
