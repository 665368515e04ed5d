import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PFS
import PFSModel
@testable import PFSPortal
import PFSRegister
import PFSStatements
import PFSTestSupport
import Testing

/// The API's OpenAPI document, kept by hand, held to the routes.
@Suite("Portal API document")
struct PortalAPIDocumentTests {
    @Test("the OpenAPI document lists every API route with its method, and no other")
    func documentMatchesRoutes() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPI.document.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let components = try #require(document["components"] as? [String: Any])
        let pathItems = components["pathItems"] as? [String: [String: Any]] ?? [:]
        var documented: Set<String> = []
        for (path, item) in paths {
            var operations = item
            if let reference = item["$ref"] as? String {
                operations = try #require(pathItems[String(reference.split(separator: "/").last ?? "")])
            }
            for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        let routes = Set(
            Route.allCases.filter(\.isAPI).map { "\($0.endpoint.method.rawValue) \($0.endpoint.path)" })
        #expect(documented == routes)
    }

    @Test("the document and the signing script are served to anyone, as they are")
    func servedWithoutSignIn() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { _, newBrowser in
            let browser = newBrowser()
            let document = try await browser.get("/api/openapi.json")
            #expect(document.status == .ok)
            #expect(document.body == OpenAPI.document)
            let script = try await browser.get("/assets/sign.js")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(try await browser.get("/api/no-such-thing").body == "{\n  \"error\" : \"not found\"\n}")
        }
    }
}

/// The finance officer's budget page.
@Suite("Portal budget")
struct PortalBudgetTests {
    @Test("the finance officer sees the envelope of future years, and what remains to each contract's maximum")
    func budget() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            // Two years to come (FY2022, FY2023), a profit share with no cap.
            try await fixture.recordGrowingContract()
            let browser = newBrowser()
            try await browser.signIn("finance-a", clock: fixture.clock)
            let page = try await browser.get("/budget")
            #expect(page.status == .ok)
            #expect(page.body.contains("<a href=\"/budget\">予算の見通し</a>"))
            #expect(page.body.contains("発行済の支払はまだありません。"))
            #expect(page.body.contains("<td>city</td><td>2022</td><td class=\"amount\">0 JPY</td><td class=\"amount\">上限の定めなし</td>"))
            #expect(page.body.contains("<td>city</td><td>2023</td><td class=\"amount\">0 JPY</td>"))
            #expect(page.body.contains("<svg"), "the envelope drawn")
            #expect(page.body.contains("<h3>修正</h3>\n<p>支払上限額までの残額: <strong>上限の定めなし</strong></p>"))
            #expect(!page.body.contains("maebashi"), "only the finance officer's own contracts")
            let contractor = newBrowser()
            try await contractor.signIn("contractor-a", clock: fixture.clock)
            let refused = try await contractor.get("/budget")
            #expect(refused.status == .notFound)
            #expect(!(try await contractor.get("/")).body.contains("/budget"))
        }
    }
}


/// What the administrator is told when a grant cannot be made.
@Suite("Portal administration")
struct PortalAdministrationTests {
    @Test("granting an auditor: an account that is no member's, or a contract the register lacks, is refused")
    func grantRefusals() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn(Portal.administratorName, clock: fixture.clock)
            let csrf = try #require(try await browser.get("/admin/accounts").csrf)
            let notMember = try await browser.post(
                "/admin/auditors", ["csrf": csrf, "account": Portal.administratorName, "contract": PortalFixture.contractA])
            #expect(notMember.status == .badRequest)
            #expect(notMember.body.contains("アカウント「administrator」はメンバーのものではありません"))
            let noContract = try await browser.post(
                "/admin/auditors", ["csrf": csrf, "account": "evaluator", "contract": "no-such-contract"])
            #expect(noContract.status == .badRequest)
            #expect(noContract.body.contains("契約「no-such-contract」は登録簿にありません"))
            let granted = try await browser.post(
                "/admin/auditors", ["csrf": csrf, "account": "evaluator", "contract": PortalFixture.contractA])
            #expect(granted.status == .seeOther)
            let evaluator = newBrowser()
            try await evaluator.signIn("evaluator", clock: fixture.clock)
            let roles = try await evaluator.get("/api/contracts")
            #expect(roles.body.contains("\"auditor\""), "the grant gives read access to contract A")
        }
    }
}

/// The explain tree in the portal.
@Suite("Portal explain")
struct PortalExplainTests {
    @Test("the evaluator reads where each amount came from, as pfs explain prints it")
    func explain() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn("evaluator", clock: fixture.clock)
            let year = try await browser.get("/contracts/\(PortalFixture.contractB)/years/2024")
            #expect(year.body.contains("/contracts/\(PortalFixture.contractB)/years/2024/explain"))
            let page = try await browser.get("/contracts/\(PortalFixture.contractB)/years/2024/explain")
            #expect(page.status == .ok)
            let run = try CommandRun.pfs([
                "explain", Repository.contracts + "/maebashi-profit-share.xml", "--year", "2024", "--lang", "ja",
            ])
            #expect(run.status == 0)
            let escaped = run.standardOutput.replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
            #expect(page.body.contains("<pre id=\"explanation\">" + escaped + "</pre>"))
        }
    }
}

/// What `pfs serve` says before it serves.
@Suite("Portal command")
struct PortalCommandTests {
    @Test("a listening address that is not HOST:PORT is a usage error")
    func badListen() throws {
        let run = try CommandRun.pfs(["serve", "--listen", "nonsense"])
        #expect(run.status == 64)
        #expect(run.standardError.contains("--listen takes HOST:PORT, e.g. 127.0.0.1:8080 (got 'nonsense')"))
    }

    @Test("listening beyond this machine without --secure-cookies warns; a register that is not there stops it")
    func warnsBeyondLoopback() throws {
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            ["serve", "--listen", "0.0.0.0:0", "--register", "missing.sqlite"], in: folder.path)
        #expect(run.status == 1)
        #expect(
            run.standardError.contains(
                "pfs: warning: listening on 0.0.0.0, beyond this machine, without --secure-cookies: passwords and sessions cross the network in clear unless a TLS terminator (a reverse proxy with a certificate) is in front. Put one in front and give --secure-cookies."
            ))
        #expect(
            run.standardError.contains(
                "pfs: no register at missing.sqlite; create one with `pfs register init --register missing.sqlite`"))
    }
}

/// An investor's view of a year: its own holding, and the classes of capital it holds part of.
@Suite("Portal investors", .serialized)
struct PortalInvestorTests {
    @Test("an investor sees its holding and its class of capital, not another class nor another holder's share")
    func holdingsAndClasses() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let register = fixture.register
            try await register.addOrganisation(
                "pension", kind: .investor, nameJa: "年金基金", nameEn: "Pension fund", authority: fixture.authority)
            let input = try contractInput("example-investor-classes.xml")
            for (party, organisation) in [
                ("government", "city-a"), ("trust", "trust"), ("provider", "provider-a"), ("super-fund", "pension"),
                ("bank", "bank"), ("foundation", "foundation"),
            ] {
                try await register.bind(input.contract, party: party, organisation: organisation, authority: fixture.authority)
            }
            let checked = PFS.check(bytes: input.bytes, file: input.fileName, canonical: true)
            _ = try await register.settle(
                checked, fileName: input.fileName, year: 2013,
                selection: StatementSelection(formats: [.json], languages: [.ja]), signer: fixture.keys["finance-a"])
            let investor = newBrowser()
            try await investor.signIn("investor-bank", clock: fixture.clock)
            let page = try await investor.get("/contracts/example-investor-classes/years/2013")
            #expect(page.status == .ok)
            // The bank holds 40% of class P (AUD 5,000,000.00): 2,000,000.00, of which 192,000.00
            // repaid in FY2013 (its distribution statement's figure, to the cent as it prints it);
            // class P repaid 480,000.00 of its principal.
            #expect(
                page.body.contains(
                    "<tr><td>銀行</td><td class=\"amount\">2,000,000.00</td><td class=\"amount\">192,000.00 / 192,000.00</td><td class=\"amount\">0.00 / 0.00</td><td class=\"amount\">0.00</td></tr>"
                ))
            #expect(
                page.body.contains(
                    "<tr><td>Pクラス（元本保護）</td><td>1</td><td class=\"amount\">5,000,000.00</td><td>0.03</td><td class=\"amount\">0.00 / 0.00</td><td class=\"amount\">480,000.00</td><td class=\"amount\">0.00</td><td class=\"amount\">4,520,000.00</td></tr>"
                ))
            #expect(!page.body.contains("Eクラス"), "a class the bank holds no part of is not shown")
            #expect(!page.body.contains("年金基金"), "nor the other holder of its class")
            // The intermediary's contract without classes: the holding only.
            let sib = try await investor.get("/contracts/\(PortalFixture.contractA)/years/2023")
            #expect(sib.body.contains("id=\"holdings\""))
            #expect(!sib.body.contains("id=\"classes\""))
            // The finance officer sees the annual settlement, not an investor's view.
            let finance = newBrowser()
            try await finance.signIn("finance-a", clock: fixture.clock)
            #expect(!(try await finance.get("/contracts/example-investor-classes/years/2013")).body.contains("id=\"holdings\""))
        }
    }
}

