import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PFSModel
@testable import PFSPortal
import PFSRegister
import PFSTestSupport
import Testing

/// Signing in the browser, done here as the page's script does it: the server asks for the
/// exact bytes, the key signs them where it is, and the register records the change.
@Suite("Portal sign-offs", .serialized)
struct PortalSignOffTests {
    /// One answer of the sign-off API.
    struct Answer {
        let status: HTTPResponse.Status
        let json: [String: Any]
    }

    /// What the page's script sends, and keeps adding signatures to.
    struct Offer {
        var publicKey: String
        var statements: [String: String] = [:]
        var event: String?
        var at: String?
        var extra: [String: Any] = [:]

        init(_ signer: Signer) {
            publicKey = Data(signer.key.publicKey.rawRepresentation).base64EncodedString()
        }

        var json: String {
            var object: [String: Any] = ["statements": statements]
            if !publicKey.isEmpty { object["publicKey"] = publicKey }
            if let event { object["event"] = event }
            if let at { object["at"] = at }
            object.merge(extra) { own, _ in own }
            return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
    }

    static func send(_ browser: Browser, _ path: String, _ offer: Offer, csrf: String) async throws -> Answer {
        let page = try await browser.send(
            path, .post, body: offer.json, contentType: "application/json",
            headers: [HTTPField.Name("X-CSRF-Token")!: csrf])
        let json = (try? JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]) ?? [:]
        return Answer(status: page.status, json: json)
    }

    /// Signs what the server asks until it records the change (the script's loop); returns the last answer.
    static func signOff(
        _ browser: Browser, _ path: String, _ signer: Signer, csrf: String, extra: [String: Any] = [:]
    ) async throws -> (answer: Answer, rounds: Int, offer: Offer) {
        var offer = Offer(signer)
        offer.extra = extra
        for round in 1...6 {
            let answer = try await send(browser, path, offer, csrf: csrf)
            guard answer.status == .preconditionRequired, let sign = answer.json["sign"] as? [String: Any] else {
                return (answer, round, offer)
            }
            for statement in sign["statements"] as? [[String: String]] ?? [] {
                let bytes = try #require(Data(base64Encoded: statement["bytes"] ?? ""))
                offer.statements[statement["sha256"] ?? ""] = Data(SigningKeys.sign(Array(bytes), with: signer.key))
                    .base64EncodedString()
            }
            if let event = sign["event"] as? String, let bytes = Data(base64Encoded: event) {
                offer.event = Data(SigningKeys.sign(Array(bytes), with: signer.key)).base64EncodedString()
                offer.at = sign["at"] as? String
            }
        }
        Issue.record("the sign-off did not finish in 6 rounds")
        return (Answer(status: .internalServerError, json: [:]), 6, offer)
    }

    @Test("a year is reviewed, approved, issued and paid by signatures made where the keys are; the register verifies", arguments: Backend.available)
    func aWholeYear(_ backend: Backend) async throws {
        let fixture = try await PortalFixture.make(backend)
        try await fixture.run { fixture, newBrowser in
            let contract = PortalFixture.contractB
            let base = "/api/contracts/\(contract)/years/2024/"
            let evaluator = newBrowser()
            try await evaluator.signIn("evaluator", clock: fixture.clock)
            let queue = try await evaluator.get("/")
            #expect(
                queue.body.contains(
                    "<td><a href=\"/contracts/\(contract)/years/2024\">令和6年度</a></td><td>検証して帳票に署名する</td>"),
                "the year waits in the evaluator's review queue")
            let evaluatorPage = try await evaluator.get("/contracts/\(contract)/years/2024")
            #expect(evaluatorPage.body.contains("id=\"task-review\""))
            #expect(evaluatorPage.body.contains("id=\"task-reject\""))
            #expect(!evaluatorPage.body.contains("id=\"task-approve\""))
            let evaluatorCSRF = try #require(evaluatorPage.csrf)
            let evaluatorKey = try #require(fixture.keys["evaluator"])
            let review = try await Self.signOff(evaluator, base + "review", evaluatorKey, csrf: evaluatorCSRF)
            #expect(review.answer.status == .ok)
            #expect(review.answer.json["state"] as? String == "reviewed")
            #expect(review.rounds == 3, "statements first, then the event, then recorded")

            let finance = newBrowser()
            try await finance.signIn("finance-b", clock: fixture.clock)
            let financeHome = try await finance.get("/")
            #expect(financeHome.body.contains("<td>承認して帳票に署名する</td>"), "then in the finance officer's")
            #expect(!(try await evaluator.get("/")).body.contains("id=\"queue\""), "and no longer in the evaluator's")
            let financeCSRF = try #require(financeHome.csrf)
            let financeKey = try #require(fixture.keys["finance-b"])
            let approve = try await Self.signOff(finance, base + "approve", financeKey, csrf: financeCSRF)
            #expect(approve.answer.json["state"] as? String == "approved")
            // Replayed: the same signed request once more changes nothing.
            let replay = try await Self.send(finance, base + "approve", approve.offer, csrf: financeCSRF)
            #expect(replay.status == .conflict)
            #expect((replay.json["error"] as? String)?.contains("it is approved") == true)

            let issue = try await Self.signOff(finance, base + "issue", financeKey, csrf: financeCSRF)
            #expect(issue.answer.json["state"] as? String == "issued")
            // A second issue, from a page that was not reloaded: refused, nothing recorded twice.
            let again = try await Self.signOff(finance, base + "issue", financeKey, csrf: financeCSRF)
            #expect(again.answer.status == .conflict)
            #expect(again.answer.json["error"] as? String == "contract '\(contract)' FY2024 was issued already")
            let record = try #require(try await fixture.register.record(of: contract, year: 2024))
            let due = try #require(record.dues.first)
            let pay = try await Self.signOff(
                finance, base + "pay", financeKey, csrf: financeCSRF,
                extra: [
                    "payment": [
                        "payer": due.payer, "payee": due.payee, "amount": due.amount.description, "date": "2025-06-30",
                        "reference": "振込 2025-0630",
                    ]
                ])
            #expect(pay.answer.json["state"] as? String == "paid")
            let budget = try await finance.get("/budget")
            #expect(
                budget.body.contains(
                    "<td>maebashi</td><td>2024</td><td class=\"amount\">18</td><td class=\"amount\">18</td><td class=\"amount\">0</td>"),
                "issued, paid and outstanding per payer and year")
            let kinds = try await fixture.eventKinds().filter { !$0.hasPrefix("sign") }.suffix(4)
            #expect(Array(kinds) == ["reviewed", "approved", "issued", "paid"])
            let (_, findings) = try await fixture.register.verify()
            #expect(findings.isEmpty, "\(findings)")
            // Every statement carries the evaluator's and the finance officer's signatures, which verify.
            let statements = try await fixture.register.statements(of: contract)
            for statement in statements {
                let rows = try await fixture.register.store.sql.raw(
                    "SELECT key_id, signature FROM signatures WHERE statement_id = \(bind: statement.id) ORDER BY id"
                ).all()
                #expect(
                    try rows.map { try $0.decode(column: "key_id", as: String.self) }
                        == [evaluatorKey.keyID, financeKey.keyID])
                let (_, bytes) = try #require(try await fixture.register.statement(statement.id))
                for (row, key) in zip(rows, [evaluatorKey, financeKey]) {
                    let signature = try #require(Data(base64Encoded: try row.decode(column: "signature", as: String.self)))
                    #expect(SigningKeys.isValid(Array(signature), of: bytes, by: key.key.publicKey))
                }
            }
        }
    }

    @Test("another member's key, a forged or stale signature, a backdated time: refused or asked again, nothing recorded")
    func refusedSignatures() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let path = "/api/contracts/\(PortalFixture.contractB)/years/2024/review"
            let evaluator = newBrowser()
            try await evaluator.signIn("evaluator", clock: fixture.clock)
            let csrf = try #require(try await evaluator.get("/").csrf)
            let events = try await fixture.eventKinds().count
            // The finance officer's key is registered, but not to the evaluator.
            let foreign = try await Self.send(evaluator, path, Offer(try #require(fixture.keys["finance-b"])), csrf: csrf)
            #expect(foreign.status == .forbidden)
            #expect((foreign.json["error"] as? String)?.contains("is not a key of yours") == true)
            // A key nobody registered.
            let stranger = try await Self.send(evaluator, path, Offer(Signer.generated()), csrf: csrf)
            #expect(stranger.status == .forbidden)
            // Signatures made by another key over the right bytes.
            let key = try #require(fixture.keys["evaluator"])
            var offer = Offer(key)
            let first = try await Self.send(evaluator, path, offer, csrf: csrf)
            #expect(first.status == .preconditionRequired)
            let wanted = try #require((first.json["sign"] as? [String: Any])?["statements"] as? [[String: String]])
            #expect(wanted.count == 3, "the settlement, the audit trail and the provider's payout")
            let other = Signer.generated()
            for statement in wanted {
                let bytes = try #require(Data(base64Encoded: statement["bytes"] ?? ""))
                offer.statements[statement["sha256"] ?? ""] = Data(SigningKeys.sign(Array(bytes), with: other.key))
                    .base64EncodedString()
            }
            let forged = try await Self.send(evaluator, path, offer, csrf: csrf)
            #expect(forged.status == .conflict)
            #expect((forged.json["error"] as? String)?.contains("does not verify") == true)
            // Right statement signatures; the event signed, then another event comes first.
            for statement in wanted {
                let bytes = try #require(Data(base64Encoded: statement["bytes"] ?? ""))
                offer.statements[statement["sha256"] ?? ""] = Data(SigningKeys.sign(Array(bytes), with: key.key))
                    .base64EncodedString()
            }
            let second = try await Self.send(evaluator, path, offer, csrf: csrf)
            let event = try #require(Data(base64Encoded: (second.json["sign"] as? [String: Any])?["event"] as? String ?? ""))
            offer.event = Data(SigningKeys.sign(Array(event), with: key.key)).base64EncodedString()
            offer.at = (second.json["sign"] as? [String: Any])?["at"] as? String
            let other2 = newBrowser()
            try await other2.signIn("finance-a", clock: fixture.clock)
            let stale = try await Self.send(evaluator, path, offer, csrf: csrf)
            #expect(stale.status == .preconditionRequired, "the chain moved (a sign-in): the event is asked for again")
            let newEvent = try #require((stale.json["sign"] as? [String: Any])?["event"] as? String)
            #expect(newEvent != Data(event).base64EncodedString())
            // Signed, but for a time 10 minutes ago: asked again, not recorded backdated.
            let backdated = fixture.clock
            offer.event = Data(SigningKeys.sign(Array(Data(base64Encoded: newEvent) ?? Data()), with: key.key))
                .base64EncodedString()
            offer.at = (stale.json["sign"] as? [String: Any])?["at"] as? String
            backdated.advance(10 * 60)
            let late = try await Self.send(evaluator, path, offer, csrf: csrf)
            #expect(late.status == .preconditionRequired)
            #expect(try await fixture.register.record(of: PortalFixture.contractB, year: 2024)?.state == .settled)
            let kinds = try await fixture.eventKinds()
            #expect(kinds.count == events + 1, "only the other member's sign-in was recorded")
            // Without the session's token, nothing is even read.
            let noToken = try await evaluator.send(path, .post, body: offer.json, contentType: "application/json")
            #expect(noToken.status == .forbidden)
        }
    }

    @Test("the finance officer takes in a department's table, sees what changes, and settles the year signed in the browser")
    func settleWithActuals() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let input = try await fixture.recordGrowingContract()
            let key = try #require(fixture.keys["finance-a"])
            let browser = newBrowser()
            try await browser.signIn("finance-a", clock: fixture.clock)
            let page = try await browser.get("/contracts/corrected")
            #expect(page.body.contains("<option value=\"2022\">"))
            #expect(!page.body.contains("<option value=\"2021\">"), "settled years are not offered again")
            let csrf = try #require(page.csrf)
            let table = Data("kpi,year,value,source\ncost,2022,700,department\n".utf8).base64EncodedString()
            let path = "/api/contracts/corrected/years/2022/settle"
            var preview = Offer(key)
            preview.extra = ["preview": true, "actuals": ["name": "2022.csv", "bytes": table]]
            preview.publicKey = ""
            let shown = try await Self.send(browser, path, preview, csrf: csrf)
            #expect(shown.status == .ok)
            let lines = (shown.json["preview"] as? [String: Any])?["lines"] as? [String]
            #expect(lines == ["+ KPI cost FY2022 actual 700  (source: department; row 2)"])
            #expect(try await fixture.register.record(of: "corrected", year: 2022) == nil, "a preview records nothing")
            let done = try await Self.signOff(
                browser, path, key, csrf: csrf, extra: ["actuals": ["name": "2022.csv", "bytes": table]])
            #expect(done.answer.status == .ok)
            #expect(done.answer.json["state"] as? String == "settled")
            let recorded = try #require(try await fixture.register.contracts().first { $0.contract.id == "corrected" })
            #expect(String(decoding: recorded.bytes, as: UTF8.self).contains("<actual year=\"2022\" value=\"700\""))
            // A table that names no KPI of the contract: refused with pfs actuals' own message.
            var bad = Offer(key)
            bad.extra = ["actuals": ["name": "bad.csv", "bytes": Data("kpi,year,value\nnone,2023,1\n".utf8).base64EncodedString()]]
            let refused = try await Self.send(browser, "/api/contracts/corrected/years/2023/settle", bad, csrf: csrf)
            #expect(refused.status == .badRequest)
            #expect((refused.json["error"] as? String)?.contains("none") == true)
            #expect(try await fixture.register.record(of: "corrected", year: 2023) == nil)
            // A table that changes a value of an issued year: a correction, with its reason, of
            // the earliest issued year it reaches, recorded as `pfs actuals --correction` and
            // `pfs settle` record it (a `corrected` event, then the adjustment).
            let evaluatorKey = try #require(fixture.keys["evaluator"])
            try await fixture.register.review(input, year: 2021, signer: evaluatorKey)
            try await fixture.register.approve(input, year: 2021, signer: key)
            _ = try await fixture.register.issue(input, year: 2021, signer: key)
            let issuedPage = try await browser.get("/contracts/corrected")
            #expect(issuedPage.body.contains("（発行済年度の修正）</option>"), "an issued year is offered for correction")
            let fix = ["name": "fix.csv", "bytes": Data("kpi,year,value,source\ncost,2021,790,audit\n".utf8).base64EncodedString()]
            var correction = Offer(key)
            correction.extra = ["preview": true, "actuals": fix]
            correction.publicKey = ""
            let previewed = try await Self.send(browser, "/api/contracts/corrected/years/2021/settle", correction, csrf: csrf)
            #expect(previewed.status == .ok)
            #expect((previewed.json["preview"] as? [String: Any])?["corrects"] as? [Int] == [2021])
            let noReason = try await Self.signOff(
                browser, "/api/contracts/corrected/years/2021/settle", key, csrf: csrf, extra: ["actuals": fix])
            #expect(noReason.answer.status == .conflict)
            #expect(
                noReason.answer.json["error"] as? String
                    == "FY2021 was issued: its figures change only with the reason for the correction")
            let laterYear = try await Self.signOff(
                browser, "/api/contracts/corrected/years/2023/settle", key, csrf: csrf,
                extra: ["actuals": fix, "reason": "監査で判明した計上誤り"])
            #expect(laterYear.answer.status == .conflict)
            #expect(
                laterYear.answer.json["error"] as? String
                    == "the table changes values of FY2021, which was issued: settle FY2021, not FY2023")
            let before = try await fixture.eventKinds().count
            let corrected = try await Self.signOff(
                browser, "/api/contracts/corrected/years/2021/settle", key, csrf: csrf,
                extra: ["actuals": fix, "reason": "監査で判明した計上誤り"])
            #expect(corrected.answer.status == .ok, "\(corrected.answer.json)")
            #expect(corrected.answer.json["adjustments"] as? Int == 1)
            #expect(corrected.rounds == 3, "the correction's event, then the adjustment's, then recorded")
            #expect(Array(try await fixture.eventKinds().dropFirst(before)) == ["corrected", "settled"])
            let statements = try await fixture.register.statements(of: "corrected").map(\.document)
            #expect(statements.contains("adjustment-1"))
            let (_, findings) = try await fixture.register.verify()
            #expect(findings.isEmpty, "\(findings)")
        }
    }

    @Test("sending a year back needs a reason; a payment needs its payer, payee, amount, date and reference; a key is needed")
    func sendBackAndPaymentRefusals() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let contract = PortalFixture.contractB
            let base = "/api/contracts/\(contract)/years/2024/"
            let evaluator = newBrowser()
            try await evaluator.signIn("evaluator", clock: fixture.clock)
            let csrf = try #require(try await evaluator.get("/").csrf)
            let key = try #require(fixture.keys["evaluator"])
            let noKey = try await evaluator.send(
                base + "reject", .post, body: "{}", contentType: "application/json",
                headers: [HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(noKey.status == .badRequest)
            #expect(noKey.body.contains("Give the member's public key (publicKey, 32 bytes in base64)"))
            let noReason = try await Self.signOff(evaluator, base + "reject", key, csrf: csrf, extra: ["reason": "  "])
            #expect(noReason.answer.status == .badRequest)
            #expect(noReason.answer.json["error"] as? String == "say why the year is sent back (reason)")
            let back = try await Self.signOff(
                evaluator, base + "reject", key, csrf: csrf, extra: ["reason": "実績値の出典が未確認"])
            #expect(back.answer.json["state"] as? String == "rejected")
            let event = try await fixture.register.store.sql.raw(
                "SELECT kind, comment FROM events ORDER BY seq DESC LIMIT 1"
            ).first()
            #expect(try event?.decode(column: "kind", as: String.self) == "rejected")
            #expect(try event?.decode(column: "comment", as: String?.self) == "実績値の出典が未確認")
            let finance = newBrowser()
            try await finance.signIn("finance-b", clock: fixture.clock)
            let financeCSRF = try #require(try await finance.get("/").csrf)
            let pay = try await Self.signOff(
                finance, base + "pay", try #require(fixture.keys["finance-b"]), csrf: financeCSRF)
            #expect(pay.answer.status == .badRequest)
            #expect(pay.answer.json["error"] as? String == "give the payment: payer, payee, amount (digits), date, reference")
            let badAmount = try await Self.signOff(
                finance, base + "pay", try #require(fixture.keys["finance-b"]), csrf: financeCSRF,
                extra: [
                    "payment": [
                        "payer": "maebashi", "payee": "provider", "amount": "1.2.3", "date": "2025-06-30", "reference": "x",
                    ]
                ])
            #expect(badAmount.answer.status == .badRequest)
            #expect(
                (badAmount.answer.json["error"] as? String)?.hasPrefix(
                    "the amount 1.2.3 is not a decimal written plainly (e.g. 18 or 1234.5)") == true)
            let unsettled = try await Self.signOff(
                evaluator, "/api/contracts/\(contract)/years/2023/review", key, csrf: csrf)
            #expect(unsettled.answer.status == .conflict)
            #expect(unsettled.answer.json["error"] as? String == "contract '\(contract)' FY2023 has not been settled")
        }
    }
}
