import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import PFS
import PFSModel
@testable import PFSPortal
import PFSRegister
import PFSStatements
import PFSTestSupport
import Testing

/// A clock the tests move (idle and absolute session limits, sign-in locks).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date = Date(timeIntervalSince1970: 1_796_000_000)

    var now: Date { lock.withLock { date } }
    func advance(_ seconds: TimeInterval) { lock.withLock { date = date.addingTimeInterval(seconds) } }
}

/// One browser: its cookies, kept between requests as a browser keeps them.
final class Browser: @unchecked Sendable {
    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
        /// The CSRF token of the page's first form.
        var csrf: String? { Browser.field("csrf", in: body) }
    }

    let client: any TestClientProtocol
    private let lock = NSLock()
    private var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    func get(_ uri: String) async throws -> Page { try await send(uri, .get, body: nil, contentType: nil) }

    func post(_ uri: String, _ fields: [String: String], contentType: String = "application/x-www-form-urlencoded")
        async throws -> Page
    {
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.encoded($0.key))=\(Self.encoded($0.value))" }
            .joined(separator: "&")
        return try await send(uri, .post, body: body, contentType: contentType)
    }

    func send(
        _ uri: String, _ method: HTTPRequest.Method, body: String?, contentType: String?, headers extra: HTTPFields = [:]
    ) async throws -> Page {
        var headers = extra
        let cookieHeader = lock.withLock { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } }
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader.joined(separator: "; ") }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            lock.withLock {
                if pair[1].isEmpty || line.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
            }
        }
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    func cookie(_ name: String) -> String? { lock.withLock { cookies[name] } }

    /// The same browser reaching another server (behind one load balancer): its cookies, another client.
    func through(_ other: any TestClientProtocol) -> Browser {
        let browser = Browser(other)
        let jar = lock.withLock { cookies }
        browser.lock.withLock { browser.cookies = jar }
        return browser
    }

    /// Signs in with the fixture's password and the account's current code.
    @discardableResult
    func signIn(_ account: String, clock: TestClock, password: String = PortalFixture.password, next: String? = nil)
        async throws -> Page
    {
        let form = try await get("/sign-in")
        var fields = [
            "account": account, "password": password, "csrf": form.csrf ?? "",
            "code": PortalFixture.code(at: clock.now),
        ]
        if let next { fields["next"] = next }
        return try await post("/sign-in", fields)
    }

    static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The value of the first `<input … name="NAME" value="…">` of `html`.
    static func field(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

/// A register with two contracts of two cities, the organisations bound to their parties, one
/// member per portal role, a portal account each, and one settled year of each contract.
///
/// - contract A, `example-sib` (FY2023): city-a (finance-a), provider-a (contractor-a), bank
///   (investor-bank), foundation, trust; the auditor is granted A.
/// - contract B, `maebashi-profit-share` (FY2024): city-b (finance-b), provider-b, the
///   evaluation firm (evaluator).
struct PortalFixture {
    static let password = "correct horse battery staple"
    static let secret = "JBSWY3DPEHPK3PXPJBSW"
    static let contractA = "example-sib"
    static let contractB = "maebashi-profit-share"
    /// The year settled of each.
    static let years = [contractA: 2023, contractB: 2024]

    let portal: Portal
    let register: Register
    let clock: TestClock
    let location: RegisterLocation
    let authority: Signer
    /// The signing keys of finance-a, finance-b and the evaluator, as their key files hold them.
    let keys: [String: Signer]
    /// The finance officer of city-a's key.
    var financeA: Signer {
        get throws { try #require(keys["finance-a"]) }
    }

    /// Each role's account, the contract it works on, and its own party there (contractors and investors).
    static let subjects: [PortalRole: (account: String, contract: String, party: String?)] = [
        .financeOfficer: ("finance-a", contractA, nil),
        .evaluator: ("evaluator", contractB, nil),
        .contractor: ("contractor-a", contractA, "provider"),
        .investor: ("investor-bank", contractA, "bank"),
        .auditor: ("auditor", contractA, nil),
        .administrator: (Portal.administratorName, contractA, nil),
    ]

    static func code(at date: Date) -> String {
        String(format: "%06d", TOTP(secret: secret).compute(date: date))
    }

    static func make(_ backend: Backend, configure: (inout PortalConfiguration) -> Void = { _ in }) async throws
        -> PortalFixture
    {
        let authority = Signer.generated()
        let location = try await backend.freshLocation()
        let register = try await Register.create(location, authority: authority)
        do {
            return try await populate(register, location: location, authority: authority, configure: configure)
        } catch {
            // Closed on failure too: an SQLite connection dropped open stops the test process.
            await register.close()
            throw error
        }
    }

    private static func populate(
        _ register: Register, location: RegisterLocation, authority: Signer,
        configure: (inout PortalConfiguration) -> Void
    ) async throws -> PortalFixture {
        let organisations: [(String, OrganisationKind)] = [
            ("city-a", .publicBody), ("city-b", .publicBody), ("firm", .evaluationFirm), ("provider-a", .provider),
            ("provider-b", .provider), ("bank", .investor), ("foundation", .investor), ("trust", .intermediary),
            ("audit-office", .publicBody),
        ]
        for (id, kind) in organisations {
            try await register.addOrganisation(id, kind: kind, nameJa: id + "（日本語）", nameEn: id, authority: authority)
        }
        let members = [
            ("finance-a", "city-a"), ("finance-b", "city-b"), ("evaluator", "firm"), ("contractor-a", "provider-a"),
            ("investor-bank", "bank"), ("auditor", "audit-office"),
        ]
        for (id, organisation) in members {
            try await register.addMember(id, organisation: organisation, nameJa: id, nameEn: id, authority: authority)
        }
        let financeA = Signer.generated()
        let financeB = Signer.generated()
        let evaluator = Signer.generated()
        _ = try await register.addKey(member: "finance-a", publicKeyPEM: financeA.publicKeyPEM, authority: authority)
        _ = try await register.addKey(member: "finance-b", publicKeyPEM: financeB.publicKeyPEM, authority: authority)
        _ = try await register.addKey(member: "evaluator", publicKeyPEM: evaluator.publicKeyPEM, authority: authority)
        let sib = try contractInput("example-sib.xml")
        let maebashi = try contractInput("maebashi-profit-share.xml")
        for (party, organisation) in [
            ("city", "city-a"), ("trust", "trust"), ("bank", "bank"), ("foundation", "foundation"), ("provider", "provider-a"),
        ] {
            try await register.bind(sib.contract, party: party, organisation: organisation, authority: authority)
        }
        for (party, organisation) in [("maebashi", "city-b"), ("provider", "provider-b"), ("evaluator", "firm")] {
            try await register.bind(maebashi.contract, party: party, organisation: organisation, authority: authority)
        }
        // Settled as `pfs settle --register` settles (the statements name the register's authority).
        for (input, year, signer) in [(sib, 2023, financeA), (maebashi, 2024, financeB)] {
            let checked = PFS.check(bytes: input.bytes, file: input.fileName, canonical: true)
            _ = try await register.settle(
                checked, fileName: input.fileName, year: year,
                selection: StatementSelection(formats: [.json], languages: [.ja]), signer: signer)
        }
        let clock = TestClock()
        var configuration = PortalConfiguration(location: location, publicURL: "http://127.0.0.1:8080")
        configuration.bcryptCost = 4
        configuration.now = { clock.now }
        configure(&configuration)
        let portal = Portal(configuration)
        _ = try await portal.prepare()
        let hash = Credentials.hash(password, cost: 4)
        try await portal.pool.use { register in
            let db = register.store.sql
            try await PortalStore.setCredentials(Portal.administratorName, passwordHash: hash, totpSecret: secret, in: db)
            for (id, _) in members {
                try await PortalStore.insert(
                    Account(
                        name: id, member: id, administrator: false, language: "ja", passwordHash: hash,
                        totpSecret: secret, failedAttempts: 0, lockedUntil: nil, createdAt: 0),
                    in: db)
            }
            try await PortalStore.grant("auditor", contract: contractA, at: 0, in: db)
        }
        return PortalFixture(
            portal: portal, register: register, clock: clock, location: location, authority: authority,
            keys: ["finance-a": financeA, "finance-b": financeB, "evaluator": evaluator])
    }

    /// Runs `body` with browsers on the portal's router (no socket).
    func run(_ body: @escaping @Sendable (PortalFixture, @escaping @Sendable () -> Browser) async throws -> Void)
        async throws
    {
        let app = Application(router: portal.router())
        let fixture = self
        do {
            try await app.test(.router) { client in
                try await body(fixture) { Browser(client) }
            }
        } catch {
            // Closed whatever happens: an SQLite connection dropped open stops the test process.
            await portal.close()
            await register.close()
            throw error
        }
        await portal.close()
        await register.close()
    }

    /// The statement of `contract` for `document` (and `party`).
    func statement(_ contract: String, _ document: String, party: String? = nil) async throws -> Int {
        let found = try await register.statements(of: contract).first { $0.document == document && $0.party == party }
        return try #require(found).id
    }

    /// A contract of city-a's (`corrected`: FY2020 and FY2021 with data, FY2022 and FY2023 to
    /// come, a profit share with no cap), its parties bound, FY2021 settled by finance-a.
    @discardableResult
    func recordGrowingContract() async throws -> ContractInput {
        let input = try Adjustments.input(Adjustments.contract(actuals: [2020: 900, 2021: 800], last: 2023))
        for (party, organisation) in [("city", "city-a"), ("provider", "provider-a"), ("evaluator", "firm")] {
            try await register.bind(input.contract, party: party, organisation: organisation, authority: authority)
        }
        let settled = try settledYear(input, year: 2021)
        _ = try await register.recordSettlement(
            input, settlement: settled.settlement, settlementJSON: settled.json, statements: settled.statements,
            signer: try financeA)
        return input
    }

    /// The kinds of the register's events, oldest first.
    func eventKinds() async throws -> [String] {
        try await register.store.sql.raw("SELECT kind FROM events ORDER BY seq").all().map {
            try $0.decode(column: "kind", as: String.self)
        }
    }
}
