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

/// Signing in: passwords and codes, locks, sessions, tokens, and what the chain records.
@Suite("Portal sign-in", .serialized)
struct PortalSignInTests {
    @Test("the first administrator sets up once through the printed link, and the link then works no more")
    func firstAdministrator() async throws {
        let location = try await Backend.sqlite.freshLocation()
        let register = try await Register.create(location, authority: Signer.generated())
        let clock = TestClock()
        var configuration = PortalConfiguration(location: location, publicURL: "http://127.0.0.1:8080")
        configuration.bcryptCost = 4
        configuration.now = { clock.now }
        let portal = Portal(configuration)
        let link = try #require(try await portal.prepare())
        #expect(link.hasPrefix("http://127.0.0.1:8080/invitation/"))
        let path = String(link.dropFirst("http://127.0.0.1:8080".count))
        let app = Application(router: portal.router())
        try await app.test(.router) { client in
            let browser = Browser(client)
            let form = try await browser.get(path)
            #expect(form.status == .ok)
            let token = try #require(Browser.field("token", in: form.body))
            let secret = try #require(form.body.range(of: "<code id=\"secret\">").map { range in
                String(form.body[range.upperBound...].prefix { $0 != "<" })
            })
            #expect(secret.count == 32, "the base-32 key of 20 bytes")
            let short = try await browser.post(
                "/invitation",
                ["csrf": form.csrf ?? "", "token": token, "password": "short", "confirm": "short", "code": "000000"])
            #expect(short.status == .badRequest)
            #expect(short.body.contains("class=\"error-summary\""))
            #expect(short.body.contains("パスワードは12文字以上にしてください"))
            #expect(short.body.contains("確認コードが正しくありません"))
            let differ = try await browser.post(
                "/invitation",
                [
                    "csrf": short.csrf ?? "", "token": token, "password": PortalFixture.password,
                    "confirm": PortalFixture.password + "!", "code": "000000",
                ])
            #expect(differ.body.contains("<a href=\"#confirm\">2つのパスワードが一致しません</a>"))
            #expect(!differ.body.contains("The two passwords differ"), "in the language chosen for the account")
            // The secret the page shows is the one the account keeps: the code it gives is accepted.
            let invitation = try #require(try await portal.openInvitation(String(path.dropFirst("/invitation/".count))))
            let code = String(format: "%06d", TOTPCode.compute(invitation.totpSecret, clock.now))
            let again = try await browser.get(path)
            let done = try await browser.post(
                "/invitation",
                [
                    "csrf": again.csrf ?? "", "token": token, "password": PortalFixture.password,
                    "confirm": PortalFixture.password, "code": code,
                ])
            #expect(done.status == .seeOther)
            #expect(done.location == "/sign-in")
            #expect(try await browser.get(path).status == .notFound, "the link works once")
            #expect(try await portal.prepare() == nil, "no new link once an administrator is set up")
            let form2 = try await browser.get("/sign-in")
            let signedIn = try await browser.post(
                "/sign-in",
                [
                    "csrf": form2.csrf ?? "", "account": Portal.administratorName, "password": PortalFixture.password,
                    "code": String(format: "%06d", TOTPCode.compute(invitation.totpSecret, clock.now)),
                ])
            #expect(signedIn.status == .seeOther)
            #expect(try await browser.get("/admin/accounts").status == .ok)
        }
        await portal.close()
        await register.close()
    }

    @Test("the session cookie is HttpOnly and SameSite=Strict, Secure behind TLS; after sign-in only a local path is followed")
    func cookiesAndRedirects() async throws {
        let fixture = try await PortalFixture.make(.sqlite) { $0.secureCookies = true }
        try await fixture.run { fixture, newBrowser in
            for (next, location) in [
                ("/contracts/example-sib", "/contracts/example-sib"), ("//evil.example/", "/"),
                ("https://evil.example/", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/"),
            ] {
                let browser = newBrowser()
                let page = try await browser.signIn("finance-a", clock: fixture.clock, next: next)
                #expect(page.status == .seeOther)
                #expect(page.location == location, "next=\(next)")
                let cookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("pfs_session=") })
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Strict"))
                #expect(cookie.contains("Secure"))
            }
        }
    }

    @Test("pages before sign-in are in the language the browser prefers, Japanese unless it prefers English")
    func languageBeforeSignIn() async throws {
        #expect(Pages.language(accepted: nil) == .ja)
        #expect(Pages.language(accepted: "en-GB,en;q=0.9,ja;q=0.5") == .en)
        #expect(Pages.language(accepted: "fr-FR,ja;q=0.3,en;q=0.7") == .en)
        #expect(Pages.language(accepted: "ja,en-US;q=0.9") == .ja)
        #expect(Pages.language(accepted: "de, fr;q=0.5") == .ja)
        #expect(Pages.language(accepted: "en;q=x, ja;q=0.2") == .en, "a weight that is no number counts as 1")
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            let english: HTTPFields = [.acceptLanguage: "en-GB,en;q=0.9"]
            let form = try await browser.send("/sign-in", .get, body: nil, contentType: nil, headers: english)
            #expect(form.body.contains("<html lang=\"en\">"))
            #expect(form.body.contains("<label for=\"password\">Password</label>"))
            let fields = ["account": "nobody", "password": "x", "csrf": form.csrf ?? "", "code": "000000"]
            let body = fields.sorted { $0.key < $1.key }.map { "\(Browser.encoded($0.key))=\(Browser.encoded($0.value))" }
                .joined(separator: "&")
            let refused = try await browser.send(
                "/sign-in", .post, body: body, contentType: "application/x-www-form-urlencoded", headers: english)
            #expect(refused.status == .unauthorized)
            #expect(refused.body.contains("The account name, password or code is not right."))
            #expect(!refused.body.contains("いずれかが正しくありません"))
            let japanese = try await newBrowser().get("/sign-in")
            #expect(japanese.body.contains("<html lang=\"ja\">"))
        }
    }

    @Test("sign-ins that fail from one address, whatever accounts they name, stop that address for a while, and only it")
    func limitPerAddress() async throws {
        let fixture = try await PortalFixture.make(.sqlite) { $0.addressLimit = 3 }
        try await fixture.run { fixture, newBrowser in
            // Behind the reverse proxy on this machine: the address it appends is the client's.
            func signIn(_ account: String, from address: String, password: String = PortalFixture.password) async throws
                -> Browser.Page
            {
                let browser = newBrowser()
                let form = try await browser.get("/sign-in")
                let fields = [
                    "account": account, "password": password, "csrf": form.csrf ?? "",
                    "code": PortalFixture.code(at: fixture.clock.now),
                ]
                let body = fields.sorted { $0.key < $1.key }
                    .map { "\(Browser.encoded($0.key))=\(Browser.encoded($0.value))" }.joined(separator: "&")
                return try await browser.send(
                    "/sign-in", .post, body: body, contentType: "application/x-www-form-urlencoded",
                    headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.1, \(address)"])
            }
            for account in ["nobody", "finance-b", "evaluator"] {
                #expect(try await signIn(account, from: "203.0.113.7", password: "guess guess guess").status == .unauthorized)
            }
            let stopped = try await signIn("finance-a", from: "203.0.113.7")
            #expect(stopped.status == .tooManyRequests)
            #expect(stopped.headers[.retryAfter] == "900")
            #expect(stopped.body.contains("このネットワークアドレスからのサインインの失敗が多すぎます。15分後に再度お試しください。"))
            #expect(try await signIn("finance-a", from: "203.0.113.8").status == .seeOther, "another address signs in")
            fixture.clock.advance(15 * 60 + 1)
            #expect(try await signIn("finance-a", from: "203.0.113.7").status == .seeOther, "after the window, again")
            let reasons = try await fixture.register.store.sql.raw(
                "SELECT comment FROM events WHERE kind = 'sign-in-refused' ORDER BY seq"
            ).all().map { try $0.decode(column: "comment", as: String?.self) }
            #expect(
                reasons == [
                    "unknown account", "wrong password or code", "wrong password or code",
                    "too many failed sign-ins from this address",
                ])
            // The accounts guessed at are not locked by it: their own limit is theirs.
            #expect(try await PortalStore.account("finance-b", in: fixture.register.store.sql)?.lockedUntil == nil)
        }
    }

    @Test("a wrong password or code is refused alike; five in a row lock the account until the lock ends")
    func lockAfterFailures() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            let unknown = try await browser.signIn("nobody", clock: fixture.clock)
            #expect(unknown.status == .unauthorized)
            #expect(unknown.body.contains("アカウント名、パスワード、確認コードのいずれかが正しくありません。"))
            for _ in 1...5 {
                let page = try await browser.signIn("finance-a", clock: fixture.clock, password: "wrong password!")
                #expect(page.status == .unauthorized)
                #expect(page.body.contains("アカウント名、パスワード、確認コードのいずれかが正しくありません。"))
            }
            let locked = try await browser.signIn("finance-a", clock: fixture.clock)
            #expect(locked.status == .unauthorized)
            #expect(locked.body.contains("サインインに5回失敗したため、このアカウントはロックされています。15分後に"))
            fixture.clock.advance(15 * 60 + 1)
            #expect(try await browser.signIn("finance-a", clock: fixture.clock).status == .seeOther)
            let kinds = try await fixture.eventKinds().filter { $0.hasPrefix("sign") }
            #expect(kinds == Array(repeating: "sign-in-refused", count: 7) + ["signed-in"])
            let (_, findings) = try await fixture.register.verify()
            #expect(findings.isEmpty, "access records keep the register verifiable: \(findings)")
        }
    }

    @Test("a session ends after 30 idle minutes and 12 hours after sign-in, and its end is recorded")
    func sessionLimits() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn("finance-a", clock: fixture.clock)
            fixture.clock.advance(29 * 60)
            #expect(try await browser.get("/").status == .ok)
            fixture.clock.advance(29 * 60)
            #expect(try await browser.get("/").status == .ok, "each request restarts the idle limit")
            fixture.clock.advance(31 * 60)
            let idle = try await browser.get("/")
            #expect(idle.status == .seeOther)
            #expect(idle.location == "/sign-in?next=/")
            try await browser.signIn("finance-a", clock: fixture.clock)
            for _ in 0..<24 {
                fixture.clock.advance(29 * 60)
                #expect(try await browser.get("/api/contracts").status == .ok)
            }
            fixture.clock.advance(29 * 60)
            #expect(try await browser.get("/api/contracts").status == .unauthorized, "12 hours after sign-in")
            let ends = try await fixture.register.store.sql.raw(
                "SELECT comment FROM events WHERE kind = 'signed-out' ORDER BY seq"
            ).all().map { try $0.decode(column: "comment", as: String?.self) }
            #expect(ends == ["session expired", "session expired"])
        }
    }

    @Test("signing out ends the session; without the form's token nothing ends")
    func signOut() async throws {
        let fixture = try await PortalFixture.make(.sqlite)
        try await fixture.run { fixture, newBrowser in
            let browser = newBrowser()
            try await browser.signIn("evaluator", clock: fixture.clock)
            let csrf = try #require(try await browser.get("/").csrf)
            let forged = try await browser.post("/sign-out", ["csrf": "not-the-token"])
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("何も変更していません"))
            #expect(try await browser.get("/").status == .ok, "still signed in")
            let out = try await browser.post("/sign-out", ["csrf": csrf])
            #expect(out.status == .seeOther)
            #expect(out.location == "/sign-in")
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await fixture.eventKinds().suffix(2) == ["signed-in", "signed-out"])
        }
    }
}

/// A TOTP code from a secret, as an authenticator app computes it.
enum TOTPCode {
    static func compute(_ secret: String, _ date: Date) -> Int {
        TOTP(secret: secret).compute(date: date)
    }
}
