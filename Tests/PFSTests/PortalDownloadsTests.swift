import Foundation
import HTTPTypes
import PFS
import PFSModel
import PFSOutput
@testable import PFSPortal
import PFSRegister
import PFSTestSupport
import Testing

/// Copies to work with: a statement as an Excel workbook or a PDF, made again from the
/// settled contract and handed over only when the same document's JSON, made with it, is the
/// one the register holds.
@Suite("Portal downloads", .serialized)
struct PortalDownloadsTests {
    @Test("a contractor downloads its payout statement as a workbook, the evaluator the audit workbook; another party's is 404; a copy that is not the signed figures is refused")
    func workbooks() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let contract = try await fixture.settleThroughTheRegister()
            let payout = try await fixture.htmlStatement(contract, "payout", party: "provider")
            let audit = try await fixture.htmlStatement(contract, "audit")

            let evaluator = newBrowser()
            try await evaluator.signIn("evaluator", clock: fixture.clock)
            let year = try await evaluator.get("/contracts/\(contract)/years/2021")
            #expect(year.body.contains("<a href=\"/statements/\(audit)/as/xlsx\">Excel ブック</a>"))
            #expect(year.body.contains("<a href=\"/statements/\(audit)/as/pdf\">PDF</a>"))
            let workbook = try await evaluator.get("/statements/\(audit)/as/xlsx")
            #expect(workbook.status == .ok)
            #expect(workbook.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(workbook.headers[.contentDisposition] == "attachment; filename=\"audit-FY2021.ja.xlsx\"")
            #expect(workbook.body.hasPrefix("PK"), "a zip archive, as every xlsx is")

            // A statement recorded as JSON only (as `pfs settle --register` records by default):
            // its copies in the viewer's language.
            let jsonAudit = try await fixture.statement(PortalFixture.contractB, "audit")
            let fromJSON = try await evaluator.get("/statements/\(jsonAudit)/as/xlsx")
            #expect(fromJSON.status == .ok)
            #expect(fromJSON.headers[.contentDisposition] == "attachment; filename=\"audit-FY2024.ja.xlsx\"")

            // The contractor sees its own payout statement's copies, nothing else's.
            let contractor = newBrowser()
            try await contractor.signIn("contractor-a", clock: fixture.clock)
            let own = try await contractor.get("/statements/\(payout)/as/xlsx")
            #expect(own.status == .ok)
            #expect(own.headers[.contentDisposition] == "attachment; filename=\"payout-provider-FY2021.ja.xlsx\"")
            #expect(try await contractor.get("/statements/\(audit)/as/xlsx").status == .notFound)
            #expect(try await contractor.get("/statements/\(payout)/as/docx").status == .notFound)
            // Nor does the finance officer of another city see this one's.
            let stranger = newBrowser()
            try await stranger.signIn("finance-b", clock: fixture.clock)
            #expect(try await stranger.get("/statements/\(payout)/as/xlsx").status == .notFound)

            // The register's JSON of the document no longer matches what the contract makes (its
            // database edited behind pfs's back): no copy is handed over that might not show the
            // signed figures.
            try await fixture.register.store.sql.raw("DROP TRIGGER statements_no_update").run()
            try await fixture.register.store.sql.raw(
                """
                UPDATE statements SET sha256 = \(bind: String(repeating: "0", count: 64))
                WHERE document = 'audit' AND format = 'json'
                AND run_id = (SELECT run_id FROM statements WHERE id = \(bind: audit))
                """
            ).run()
            let refused = try await evaluator.get("/statements/\(audit)/as/xlsx")
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("the statement cannot be made again as it was signed"))
        }
    }

    @Test("a payout statement as a PDF, through WeasyPrint", .enabled(if: PDFRenderer.unavailable() == nil))
    func pdf() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let (contractor, payout) = try await fixture.contractorsPayout(newBrowser())
            let pdf = try await contractor.get("/statements/\(payout)/as/pdf")
            #expect(pdf.status == .ok)
            #expect(pdf.headers[.contentType] == "application/pdf")
            #expect(pdf.body.hasPrefix("%PDF-"))
        }
    }
}

extension PortalDownloadsTests {
    /// A renderer that cannot run, as on a machine without WeasyPrint.
    struct RendererMissing: PDFMaking {
        func pdfs(_ pages: [(path: String, html: String)]) -> Result<[[UInt8]], PDFFailure> {
            .failure(
                PDFFailure(
                    diagnostic: Diagnostic(
                        check: .pdfRenderer,
                        message: "PDF statements are made by WeasyPrint, which is not installed (no `weasyprint` on PATH)",
                        hint: "install it: apt-get install -y weasyprint (Debian, Ubuntu); nothing was written",
                        at: .file("weasyprint"))))
        }
    }

    @Test("without the PDF renderer a PDF copy is 503 saying what to install; a workbook is still made")
    func rendererMissing() async throws {
        let fixture = try await PortalFixture.make(.sqlite) { $0.pdf = RendererMissing() }
        try await fixture.run { fixture, newBrowser in
            let (contractor, payout) = try await fixture.contractorsPayout(newBrowser())
            let pdf = try await contractor.get("/statements/\(payout)/as/pdf")
            #expect(pdf.status == .serviceUnavailable)
            let answer = try JSONSerialization.jsonObject(with: Data(pdf.body.utf8)) as? [String: String]
            #expect(
                answer == [
                    "error": """
                    weasyprint: error: [pdf-renderer] PDF statements are made by WeasyPrint, which is not installed \
                    (no `weasyprint` on PATH)
                      hint: install it: apt-get install -y weasyprint (Debian, Ubuntu); nothing was written
                    """
                ])
            #expect(try await contractor.get("/statements/\(payout)/as/xlsx").status == .ok)
        }
    }
}

/// Copies are made two at a time at most, however many are asked for at once.
@Suite("Render slots")
struct RenderSlotsTests {
    @Test("six pieces of work through two slots: two at a time, every one done")
    func twoAtATime() async {
        let slots = Slots(2)
        let done = await withTaskGroup(of: Int.self) { group in
            for index in 0..<6 {
                group.addTask {
                    await slots.run {
                        try? await Task.sleep(nanoseconds: 50_000_000)
                        return index
                    }
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(done.sorted() == Array(0..<6))
        #expect(await slots.most == 2)
    }
}

extension PortalFixture {
    /// FY2021 settled through the register, and contractor-a signed in `browser`: the
    /// browser and the id of its HTML payout statement.
    func contractorsPayout(_ browser: Browser) async throws -> (Browser, Int) {
        try await browser.signIn("contractor-a", clock: clock)
        return (browser, try await htmlStatement(try await settleThroughTheRegister(), "payout", party: "provider"))
    }

    /// City-a's growing contract, its parties bound and FY2021 settled as `pfs settle
    /// --register` and the portal settle (statements in JSON and HTML, both languages, naming
    /// the register's authority); returns its id.
    func settleThroughTheRegister() async throws -> String {
        let input = try Adjustments.input(Adjustments.contract(actuals: [2020: 900, 2021: 800], last: 2023))
        for (party, organisation) in [("city", "city-a"), ("provider", "provider-a"), ("evaluator", "firm")] {
            try await register.bind(input.contract, party: party, organisation: organisation, authority: authority)
        }
        let checked = PFS.check(bytes: input.bytes, file: input.fileName, canonical: true)
        _ = try await register.settle(
            checked, fileName: input.fileName, year: 2021,
            selection: StatementSelection(formats: [.json, .html], languages: [.ja, .en]), signer: keys["finance-a"])
        return input.contract.id
    }

    /// The Japanese HTML statement of `contract` for `document` (and `party`).
    func htmlStatement(_ contract: String, _ document: String, party: String? = nil) async throws -> Int {
        let found = try await register.statements(of: contract).first {
            $0.document == document && $0.party == party && $0.format == "html" && $0.language == "ja"
        }
        return try #require(found).id
    }
}
