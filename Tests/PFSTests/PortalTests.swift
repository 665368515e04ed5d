import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import PFSModel
@testable import PFSPortal
import PFSRegister
import PFSTestSupport
import Testing

/// The access table walked route by route, role by role, on an own and another
/// organisation's contract and statement: each answer is the one the table gives.
@Suite("Portal access", .serialized)
struct PortalAccessTests {
    /// What a request is about.
    enum Target: Hashable, CustomStringConvertible {
        case none
        case contract(own: Bool)
        case statement(StatementTarget)

        var description: String {
            switch self {
            case .none: return "-"
            case .contract(let own): return own ? "own contract" : "another organisation's contract"
            case .statement(let kind): return "\(kind)"
            }
        }
    }

    enum StatementTarget: Hashable, CaseIterable {
        /// The annual settlement of the role's contract.
        case ownContractSettlement
        /// The payout statement of the role's own party (the provider's, for a role with no party).
        case ownPartyPayout
        /// The payout statement of another party of the same contract.
        case otherPartyPayout
        /// The annual settlement of the other organisation's contract.
        case otherContractSettlement
    }

    static func targets(_ rule: Access.Rule) -> [Target] {
        switch rule.scope {
        case .signedIn, .anyContract, .administration: return [.none]
        case .contract: return [.contract(own: true), .contract(own: false)]
        case .statement: return StatementTarget.allCases.map { .statement($0) }
        }
    }

    /// The status the table gives `role` for `rule` on `target`.
    static func expected(_ rule: Access.Rule, _ role: PortalRole, _ target: Target) -> HTTPResponse.Status {
        switch (rule.scope, target) {
        case (.signedIn, _): return .ok
        case (.anyContract, _): return rule.roles.contains(role) ? rule.route.success : .notFound
        case (.administration, _):
            return rule.roles.contains(role) ? rule.route.success : .notFound
        case (.contract, .contract(let own)):
            return own && rule.roles.union(rule.ownPayouts).contains(role) ? rule.route.success : .notFound
        case (.statement, .statement(let kind)):
            if kind == .otherContractSettlement { return .notFound }
            if rule.roles.contains(role) { return rule.route.success }
            return rule.ownPayouts.contains(role) && kind == .ownPartyPayout ? rule.route.success : .notFound
        default: preconditionFailure("no such target for \(rule.route)")
        }
    }

    /// The request for `route` about `target` as `role` would make it.
    static func request(
        _ browser: Browser, _ route: Route, _ role: PortalRole, _ target: Target, csrf: String, fixture: PortalFixture
    ) async throws -> Browser.Page {
        guard let subject = PortalFixture.subjects[role] else { preconditionFailure("no subject for \(role)") }
        let own = subject.contract
        let other = own == PortalFixture.contractA ? PortalFixture.contractB : PortalFixture.contractA
        var path = route.endpoint.path
        switch target {
        case .none: break
        case .contract(let isOwn):
            let contract = isOwn ? own : other
            path = path.replacingOccurrences(of: "{contract}", with: contract)
                .replacingOccurrences(of: "{year}", with: "\(PortalFixture.years[contract] ?? 0)")
        case .statement(let kind):
            let id: Int
            let ownParty = subject.party ?? "provider"
            switch kind {
            case .ownContractSettlement: id = try await fixture.statement(own, "settlement")
            case .ownPartyPayout: id = try await fixture.statement(own, "payout", party: ownParty)
            case .otherPartyPayout:
                let parties = try await fixture.register.statements(of: own).compactMap(\.party)
                let party = parties.first { $0 != ownParty } ?? ownParty
                id = try await fixture.statement(own, "payout", party: party)
            case .otherContractSettlement: id = try await fixture.statement(other, "settlement")
            }
            path = path.replacingOccurrences(of: "{statement}", with: "\(id)")
        }
        if route.isAPI && route.endpoint.method == .post {
            // A sign-off as the browser sends it, without a key yet.
            return try await browser.send(
                path, .post, body: "{}", contentType: "application/json",
                headers: [HTTPField.Name("X-CSRF-Token")!: csrf])
        }
        switch route.endpoint.method {
        case .get: return try await browser.get(path)
        default:
            let fields: [String: String]
            switch route {
            case .invite: fields = ["csrf": csrf, "member": "finance-b", "language": "en"]
            case .grantAuditor: fields = ["csrf": csrf, "account": "evaluator", "contract": PortalFixture.contractA]
            default: fields = ["csrf": csrf]
            }
            return try await browser.post(path, fields)
        }
    }

    @Test("every route × every role × own and another organisation's contract answers as the access table says", arguments: Backend.available)
    func theMatrix(_ backend: Backend) async throws {
        let fixture = try await PortalFixture.make(backend)
        try await fixture.run { fixture, newBrowser in
            var walked = 0
            for role in PortalRole.allCases {
                let browser = newBrowser()
                let account = try #require(PortalFixture.subjects[role]).account
                let signedIn = try await browser.signIn(account, clock: fixture.clock)
                #expect(signedIn.status == .seeOther, "\(role) signs in")
                let csrf = try #require(try await browser.get("/").csrf)
                for rule in Access.table {
                    for target in Self.targets(rule) {
                        let page = try await Self.request(browser, rule.route, role, target, csrf: csrf, fixture: fixture)
                        #expect(
                            page.status == Self.expected(rule, role, target),
                            "\(rule.route.rawValue) as \(role.rawValue) on \(target)")
                        walked += 1
                    }
                }
            }
            // Signed out: pages send to sign-in, the API answers 401, whatever the route.
            let anonymous = newBrowser()
            for rule in Access.table {
                for target in Self.targets(rule) {
                    let page = try await Self.request(anonymous, rule.route, .financeOfficer, target, csrf: "", fixture: fixture)
                    #expect(page.status == (rule.route.isAPI ? .unauthorized : .seeOther), "\(rule.route.rawValue) signed out")
                }
            }
            #expect(walked == PortalRole.allCases.count * Access.table.map { Self.targets($0).count }.reduce(0, +))
        }
    }

    @Test("a contractor sees only its own amounts due and its own payout statements on its contract's page")
    func contractorSeesItsOwn() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn("investor-bank", clock: fixture.clock)
            let api = try await browser.get("/api/contracts/\(PortalFixture.contractA)")
            #expect(api.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
            let statements = try #require(json["statements"] as? [[String: Any]])
            #expect(Set(statements.map { "\($0["document"] ?? "")/\($0["party"] ?? "")" }) == ["payout/bank"])
            #expect(json["roles"] as? [String] == ["investor"])
            let home = try await browser.get("/api/contracts")
            let contracts = try #require(
                (try JSONSerialization.jsonObject(with: Data(home.body.utf8)) as? [String: Any])?["contracts"] as? [[String: Any]])
            #expect(contracts.map { $0["id"] as? String } == [PortalFixture.contractA])
        }
    }
}

/// Attacks and bad input get a clear refusal and change nothing.
@Suite("Portal refusals", .serialized)
struct PortalRefusalTests {
    @Test("an administrator's form without its token changes nothing; one with it makes a one-time link")
    func csrfOnAdministration() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn(Portal.administratorName, clock: fixture.clock)
            let page = try await browser.get("/admin/accounts")
            let csrf = try #require(page.csrf)
            let forged = try await browser.post("/admin/accounts", ["member": "finance-b", "language": "ja"])
            #expect(forged.status == .forbidden)
            let invitations = { () async throws -> Int in
                try await fixture.register.store.sql.raw("SELECT COUNT(*) AS n FROM portal_invitations").first()?
                    .decode(column: "n", as: Int.self) ?? -1
            }
            let before = try await invitations()
            #expect(try await browser.post("/admin/accounts", ["member": "finance-b", "csrf": "x"]).status == .forbidden)
            #expect(try await invitations() == before)
            let made = try await browser.post("/admin/accounts", ["member": "finance-b", "language": "ja", "csrf": csrf])
            #expect(made.status == .ok)
            #expect(made.body.contains("http://127.0.0.1:8080/invitation/"))
            #expect(try await invitations() == before + 1)
            let unknown = try await browser.post("/admin/accounts", ["member": "nobody", "csrf": csrf])
            #expect(unknown.status == .badRequest)
            #expect(unknown.body.contains("メンバー「nobody」は登録簿にないか、失効しています"))
            #expect(!unknown.body.contains("invitation-link"))
        }
    }

    @Test("a contract title holding <script> is shown escaped")
    func scriptInTitle() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let folder = try TemporaryFolder.make()
            let original = try String(
                contentsOfFile: Repository.contracts + "/maebashi-profit-share.xml", encoding: .utf8)
            let hostile = original.replacingOccurrences(
                of: "id=\"maebashi-profit-share\">", with: "id=\"hostile-title\">"
            ).replacingOccurrences(
                of: "ja=\"前橋市 スマートシティ事業 プロフィットシェア（公表例）\"",
                with: "ja=\"&lt;script&gt;alert(1)&lt;/script&gt;\"")
            let path = folder.appendingPathComponent("hostile.xml").path
            try hostile.write(toFile: path, atomically: true, encoding: .utf8)
            let input = try ContractInput.load(path: path).get()
            #expect(input.contract.title.ja == "<script>alert(1)</script>")
            for (party, organisation) in [("maebashi", "city-a"), ("provider", "provider-b"), ("evaluator", "firm")] {
                try await fixture.register.bind(
                    input.contract, party: party, organisation: organisation, authority: fixture.authority)
            }
            let settled = try settledYear(input, year: 2024)
            let finance = Signer.generated()
            _ = try await fixture.register.addKey(
                member: "finance-a", publicKeyPEM: finance.publicKeyPEM, authority: fixture.authority)
            _ = try await fixture.register.recordSettlement(
                input, settlement: settled.settlement, settlementJSON: settled.json, statements: settled.statements,
                signer: finance)
            let browser = newBrowser()
            try await browser.signIn("finance-a", clock: fixture.clock)
            for path in ["/", "/contracts/hostile-title"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok)
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
                #expect(!page.body.contains("<script>alert"), "\(path)")
            }
        }
    }

    @Test("a statement path with .., a guessed id, a form too large or not a form: refused, nothing changed")
    func hostileRequests() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn("contractor-a", clock: fixture.clock)
            for path in [
                "/statements/..%2F..%2Fetc%2Fpasswd", "/statements/../../etc/passwd", "/statements/-1",
                "/statements/999999", "/statements/1e3", "/contracts/..%2Fmaebashi-profit-share",
                "/statements/1/files/..%2F..%2Fetc%2Fpasswd", "/statements/1/files/-1", "/statements/1/files/99",
            ] {
                #expect(try await browser.get(path).status == .notFound, "\(path)")
            }
            let events = try await fixture.eventKinds().count
            let huge = try await browser.post("/sign-out", ["csrf": String(repeating: "x", count: 70 * 1024)])
            #expect(huge.status == .contentTooLarge)
            let notAForm = try await browser.send("/sign-out", .post, body: "{}", contentType: "application/json")
            #expect(notAForm.status == .badRequest)
            #expect(try await browser.get("/").status == .ok, "still signed in")
            #expect(try await fixture.eventKinds().count == events)
        }
    }

    @Test("a statement is served as the register holds it, HTML in a sandbox with no script")
    func statementBytes() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn("contractor-a", clock: fixture.clock)
            let id = try await fixture.statement(PortalFixture.contractA, "payout", party: "provider")
            let page = try await browser.get("/statements/\(id)")
            #expect(page.status == .ok)
            let (recorded, bytes) = try #require(try await fixture.register.statement(id))
            #expect(Array(page.body.utf8) == bytes)
            #expect(page.headers[.contentType] == "application/json")
            #expect(page.headers[.contentDisposition] == "inline; filename=\"payout-provider-FY2023.json\"")
            #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("sandbox; default-src 'none'") == true)
            #expect(page.headers[HTTPField.Name("X-PFS-SHA256")!] == recorded.sha256)
            #expect(page.headers[.cacheControl] == "no-store")
        }
    }
}
