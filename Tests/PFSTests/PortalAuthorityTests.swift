import Foundation
import HTTPTypes
import PFSModel
@testable import PFSPortal
import PFSRegister
import PFSTestSupport
import Testing

/// The authority's changes made in the administrator's browser: organisations, members,
/// keys, bindings and revocations, each signed there with the authority's key file (the
/// certificate first where there is one, then the event), never with another key.
@Suite("Portal authority", .serialized)
struct PortalAuthorityTests {
    typealias SignOff = PortalSignOffTests

    @Test("the administrator records an organisation, a member, its key and a contract's bindings, and revokes, each signed with the authority's key in the browser; the register verifies", arguments: Backend.available)
    func authorityChanges(_ backend: Backend) async throws {
        let fixture = try await PortalFixture.make(backend)
        try await fixture.run { fixture, newBrowser in
            let admin = newBrowser()
            try await admin.signIn(Portal.administratorName, clock: fixture.clock)
            let page = try await admin.get("/admin/organisations")
            #expect(page.status == .ok)
            // One task per page: the list links to each change's own page, which holds its form.
            for action in AuthorityAction.allCases {
                #expect(page.body.contains("<li><a href=\"\(action.page.endpoint.path)\">"))
                let form = try await admin.get(action.page.endpoint.path)
                #expect(form.status == .ok)
                #expect(form.body.contains("id=\"task-\(action.rawValue)\" data-url=\"\(action.route.endpoint.path)\""))
                #expect(form.body.components(separatedBy: "<section class=\"task\"").count == 2, "one form")
            }
            let authority = fixture.authority
            #expect(page.body.contains("<code>\(try #require(try await fixture.register.trust().authority).fingerprint)</code>"))
            let csrf = try #require(page.csrf)

            let organisation = try await SignOff.signOff(
                admin, "/api/admin/organisations", authority, csrf: csrf,
                extra: ["fields": ["id": "clinic", "kind": "provider", "nameJa": "診療所", "nameEn": "Clinic"]])
            #expect(organisation.answer.status == .ok)
            #expect(organisation.answer.json["recorded"] as? String == "organisation")
            #expect(organisation.rounds == 2, "the event to sign, then recorded")
            let member = try await SignOff.signOff(
                admin, "/api/admin/members", authority, csrf: csrf,
                extra: ["fields": ["id": "nurse", "organisation": "clinic", "nameJa": "看護師", "nameEn": "Nurse"]])
            #expect(member.answer.status == .ok)
            let nurseKey = Signer.generated()
            let key = try await SignOff.signOff(
                admin, "/api/admin/keys", authority, csrf: csrf,
                extra: ["fields": ["member": "nurse", "publicKey": nurseKey.publicKeyPEM, "publicKeyName": "nurse.pem.pub"]])
            #expect(key.answer.status == .ok)
            #expect(key.rounds == 3, "the key's certificate, then the event, then recorded")

            // A contract the register does not hold yet: its parties are bound from its file.
            let growing = Adjustments.contract(actuals: [2020: 900], last: 2022)
            for (party, body) in [("city", "city-a"), ("provider", "clinic"), ("evaluator", "firm")] {
                let binding = try await SignOff.signOff(
                    admin, "/api/admin/bindings", authority, csrf: csrf,
                    extra: [
                        "fields": ["contractFile": growing, "contractFileName": "c.xml", "party": party, "organisation": body]
                    ])
                #expect(binding.answer.status == .ok, "\(binding.answer.json)")
            }
            // One the register holds, chosen by id.
            let byID = try await SignOff.signOff(
                admin, "/api/admin/bindings", authority, csrf: csrf,
                extra: ["fields": ["contract": PortalFixture.contractB, "party": "maebashi", "organisation": "clinic"]])
            #expect(byID.answer.status == .conflict)
            #expect(
                byID.answer.json["error"] as? String
                    == "party 'maebashi' of contract 'maebashi-profit-share' is already bound to organisation 'city-b'")
            // The city's finance officer settles the contract's first year with its file.
            let finance = newBrowser()
            try await finance.signIn("finance-a", clock: fixture.clock)
            let home = try await finance.get("/")
            #expect(home.body.contains("id=\"task-first-corrected\" data-url=\"/api/contracts/corrected/years/{year}/settle\""))
            let financeCSRF = try #require(home.csrf)
            let financeKey = try #require(fixture.keys["finance-a"])
            let settle = "/api/contracts/corrected/years/2020/settle"
            let withoutFile = try await SignOff.signOff(finance, settle, financeKey, csrf: financeCSRF)
            #expect(withoutFile.answer.status == .badRequest)
            #expect(
                withoutFile.answer.json["error"] as? String
                    == "the register holds no version of contract 'corrected' yet: choose its file")
            let otherFile = try await SignOff.signOff(
                finance, settle, financeKey, csrf: financeCSRF,
                extra: ["fields": ["contractFile": try String(contentsOfFile: Repository.contracts + "/maebashi-profit-share.xml", encoding: .utf8), "contractFileName": "m.xml"]])
            #expect(otherFile.answer.status == .badRequest)
            #expect(otherFile.answer.json["error"] as? String == "the file is contract 'maebashi-profit-share', not 'corrected'")
            let first = try await SignOff.signOff(
                finance, settle, financeKey, csrf: financeCSRF,
                extra: ["fields": ["contractFile": growing, "contractFileName": "../c.xml"]])
            #expect(first.answer.status == .ok, "\(first.answer.json)")
            #expect(first.answer.json["state"] as? String == "settled")
            let settledHome = try await finance.get("/")
            #expect(settledHome.body.contains("<a href=\"/contracts/corrected\">"))
            #expect(!settledHome.body.contains("task-first-corrected"))
            let newest = try #require(try await fixture.register.newestVersions().first { $0.contractID == "corrected" })
            #expect(try await fixture.register.contractVersion(newest.id)?.fileName == "c.xml")

            let revocation = try await SignOff.signOff(
                admin, "/api/admin/revocations", authority, csrf: csrf,
                extra: ["fields": ["subject": "binding", "id": "corrected/provider", "reason": "契約解除"]])
            #expect(revocation.answer.status == .ok)

            let trust = try await fixture.register.trust()
            #expect(trust.organisations["clinic"]?.kind == .provider)
            #expect(trust.members["nurse"]?.organisation == "clinic")
            #expect(trust.keys[nurseKey.keyID]?.member == "nurse")
            #expect(trust.binding("corrected", "city")?.organisation == "city-a")
            #expect(trust.binding("corrected", "provider") == nil)
            let kinds = try await fixture.eventKinds().filter { !$0.hasPrefix("sign") }.suffix(8)
            #expect(
                Array(kinds) == [
                    "organisation-added", "member-added", "key-added", "binding-added", "binding-added", "binding-added",
                    "settled", "binding-revoked",
                ])
            let (_, findings) = try await fixture.register.verify()
            #expect(findings.isEmpty, "\(findings)")
            let listed = try await admin.get("/admin/organisations")
            #expect(listed.body.contains("<tr><td>clinic</td><td>診療所</td><td>受託事業者</td><td>有効</td></tr>"))
            #expect(listed.body.contains("<td>corrected</td><td>provider</td><td>受託者</td><td>clinic</td><td>失効（イベント"))
        }
    }

    @Test("an authority change signed with a member's key, or without what it needs, is refused and records nothing", arguments: Backend.available)
    func refusals(_ backend: Backend) async throws {
        let fixture = try await PortalFixture.make(backend)
        try await fixture.run { fixture, newBrowser in
            let admin = newBrowser()
            try await admin.signIn(Portal.administratorName, clock: fixture.clock)
            let csrf = try #require(try await admin.get("/admin/organisations").csrf)
            let before = try await fixture.eventKinds().filter { !$0.hasPrefix("sign") }.count
            let financeKey = try #require(fixture.keys["finance-a"])
            let cases: [(path: String, signer: Signer, fields: [String: String], status: HTTPResponse.Status, error: String)] = [
                (
                    "/api/admin/organisations", financeKey,
                    ["id": "clinic", "kind": "provider", "nameJa": "診療所", "nameEn": "Clinic"], .forbidden,
                    "the key \(financeKey.keyID.prefix(16)) is not this register's authority (fingerprint"
                ),
                (
                    "/api/admin/organisations", fixture.authority,
                    ["id": "clinic", "kind": "hospital", "nameJa": "診療所", "nameEn": "Clinic"], .badRequest,
                    "the kind of organisation is one of public-body, provider, evaluation-firm, investor, intermediary"
                ),
                (
                    "/api/admin/organisations", fixture.authority,
                    ["id": "clinic", "kind": "provider", "nameJa": "", "nameEn": "Clinic"], .badRequest,
                    "the organisation's name is empty in Japanese: give it in Japanese and in English"
                ),
                (
                    "/api/admin/members", fixture.authority,
                    ["id": "9nurse", "organisation": "city-a", "nameJa": "看護師", "nameEn": "Nurse"], .badRequest,
                    "the member id '9nurse' is not an id: letters, digits, '.', '_' and '-', starting with a letter"
                ),
                (
                    "/api/admin/keys", fixture.authority, ["member": "finance-a", "publicKey": "not a key"], .badRequest,
                    "the public key file "
                ),
                (
                    "/api/admin/bindings", fixture.authority,
                    ["contractFile": "<contract>", "contractFileName": "broken.xml", "party": "city", "organisation": "city-a"],
                    .badRequest, "broken.xml:1:"
                ),
                (
                    "/api/admin/bindings", fixture.authority,
                    ["contract": "nowhere", "party": "city", "organisation": "city-a"], .badRequest,
                    "choose a contract file, or a contract the register holds ('nowhere' is not one)"
                ),
                (
                    "/api/admin/revocations", fixture.authority, ["subject": "binding", "id": "corrected", "reason": "x"],
                    .badRequest, "a binding is named CONTRACT/PARTY, not 'corrected'"
                ),
                (
                    "/api/admin/revocations", fixture.authority, ["subject": "member", "id": "finance-a", "reason": " "],
                    .badRequest, "the reason is empty: say why it is revoked"
                ),
                (
                    "/api/admin/revocations", fixture.authority, ["subject": "member", "id": "", "reason": "x"],
                    .badRequest, "name what is revoked (id)"
                ),
                (
                    "/api/admin/revocations", fixture.authority, ["subject": "contract", "id": "growing", "reason": "x"],
                    .badRequest, "what is revoked is a key, a member, an organisation or a binding"
                ),
            ]
            for refused in cases {
                let answer = try await SignOff.signOff(
                    admin, refused.path, refused.signer, csrf: csrf, extra: ["fields": refused.fields])
                #expect(answer.answer.status == refused.status, "\(refused.path) \(refused.fields)")
                #expect(
                    (answer.answer.json["error"] as? String)?.hasPrefix(refused.error) == true,
                    "\(answer.answer.json["error"] ?? "")")
            }
            // A certificate signed by something else than the key offered: refused, not recorded.
            let keyFields: [String: Any] = ["fields": ["member": "finance-a", "publicKey": Signer.generated().publicKeyPEM]]
            var forged = SignOff.Offer(fixture.authority)
            forged.extra = keyFields
            let asked = try await SignOff.send(admin, "/api/admin/keys", forged, csrf: csrf)
            #expect(asked.status == .preconditionRequired)
            let certificate = try #require(((asked.json["sign"] as? [String: Any])?["statements"] as? [[String: String]])?.first)
            forged.statements[certificate["sha256"] ?? ""] = Data(repeating: 7, count: 64).base64EncodedString()
            let refused = try await SignOff.send(admin, "/api/admin/keys", forged, csrf: csrf)
            #expect(refused.status == .conflict)
            #expect(
                refused.json["error"] as? String
                    == "a certificate's signature does not verify with key \(fixture.authority.keyID.prefix(16))")
            // Without a key: the administrator is told to choose the authority's key file.
            let keyless = try await admin.send(
                "/api/admin/members", .post, body: #"{"fields": {"id": "x"}}"#, contentType: "application/json",
                headers: [HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(keyless.status == .badRequest)
            let after = try await fixture.eventKinds().filter { !$0.hasPrefix("sign") }.count
            #expect(after == before, "nothing refused was recorded")
        }
    }
}
