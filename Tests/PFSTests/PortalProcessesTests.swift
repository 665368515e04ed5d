import Foundation
import Hummingbird
import HummingbirdTesting
import PFSModel
import PFSRegister
import PFSTestSupport
import Testing

@testable import PFSPortal

/// Several `pfs serve` processes behind one load balancer: every state a request needs is in
/// the register's database (sessions included), and each process's cache asks the database
/// whether what it keeps changed, so a request may land on either and see the same.
@Suite("Portal behind a load balancer", .serialized)
struct PortalProcessesTests {
    @Test(
        "two portals on one register: a session made on one works on the other, a sign-off on one shows on the other, an authority change too, a sign-out ends the session on both",
        arguments: Backend.available)
    func twoPortals(_ backend: Backend) async throws {
        let fixture = try await PortalFixture.make(backend)
        let second = Portal(fixture.portal.configuration)
        try await fixture.run { fixture, newBrowser in
            do {
                try await Application(router: second.router()).test(.router) { client in
                    let contract = PortalFixture.contractB
                    let year = "/contracts/\(contract)/years/2024"
                    let onFirst = newBrowser()
                    try await onFirst.signIn("evaluator", clock: fixture.clock)
                    let onSecond = onFirst.through(client)
                    let page = try await onSecond.get(year)
                    #expect(page.status == .ok, "the session made on the first is known to the second")
                    #expect(page.body.contains("算定済（検証待ち）"))
                    let review = try await PortalSignOffTests.signOff(
                        onSecond, "/api\(year)/review", try #require(fixture.keys["evaluator"]),
                        csrf: try #require(page.csrf))
                    #expect(review.answer.json["state"] as? String == "reviewed")
                    #expect(try await onFirst.get(year).body.contains("<strong id=\"year-state\">検証済（承認待ち）</strong>"))

                    let admin = newBrowser()
                    try await admin.signIn(Portal.administratorName, clock: fixture.clock)
                    let csrf = try #require(try await admin.get("/admin/organisations").csrf)
                    let added = try await PortalSignOffTests.signOff(
                        admin, "/api/admin/organisations", fixture.authority, csrf: csrf,
                        extra: ["fields": ["id": "clinic", "kind": "provider", "nameJa": "診療所", "nameEn": "Clinic"]])
                    #expect(added.answer.status == .ok)
                    #expect(
                        try await admin.through(client).get("/admin/organisations").body.contains(
                            "<tr><td>clinic</td><td>診療所</td>"),
                        "the second portal's trust state follows the first's change")

                    let out = try await onSecond.post("/sign-out", ["csrf": try #require(page.csrf)])
                    #expect(out.status == .seeOther)
                    #expect(
                        try await onFirst.get(year).status == .seeOther, "signed out on the second, out on the first")
                }
            } catch {
                // Closed whatever happens: an SQLite connection dropped open stops the test process.
                await second.close()
                throw error
            }
            await second.close()
        }
    }
}
