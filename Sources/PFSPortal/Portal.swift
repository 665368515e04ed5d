import Foundation
import HTTPTypes
import Hummingbird
import PFS
import PFSModel
import PFSOutput
import PFSRegister
import PFSStatements
import SQLKit

/// How `pfs serve` runs.
public struct PortalConfiguration: Sendable {
    /// The register (and the portal's tables beside it).
    public var location: RegisterLocation
    /// The address the portal is reached at from a browser, for the links it prints.
    public var publicURL: String
    /// Marks cookies Secure: set when a TLS terminator is in front.
    public var secureCookies = false
    /// A session ends after this many seconds without a request, and this many after sign-in.
    public var idleTimeout = 30 * 60
    public var absoluteTimeout = 12 * 60 * 60
    /// Sign-in is locked for `lockSeconds` after `lockAfter` failures in a row.
    public var lockAfter = 5
    public var lockSeconds = 15 * 60
    /// Sign-in from one address is refused for the rest of `addressWindow` seconds after
    /// `addressLimit` failures in it, whatever accounts they named (guessing one password
    /// over many accounts).
    public var addressLimit = 20
    public var addressWindow = 15 * 60
    /// bcrypt's cost (12 in use; tests lower it to stay fast).
    public var bcryptCost: UInt8 = 12
    /// The largest form body accepted, in bytes.
    public var maximumFormBytes = 64 * 1024
    /// The clock (tests move it).
    public var now: @Sendable () -> Date = { Date() }
    /// What makes the PDF copies of statements (WeasyPrint; tests give one that fails).
    public var pdf: any PDFMaking = PDFRenderer()

    public init(location: RegisterLocation, publicURL: String) {
        self.location = location
        self.publicURL = publicURL
    }
}

/// The web portal on the register (`pfs serve`): each party signs in and sees only its own.
public struct Portal: Sendable {
    public let configuration: PortalConfiguration
    let pool: RegisterPool
    let cache = RegisterCache()

    public init(_ configuration: PortalConfiguration) {
        self.configuration = configuration
        pool = RegisterPool(location: configuration.location)
    }

    var now: Int { Int(configuration.now().timeIntervalSince1970) }

    /// Makes the portal's tables; when no administrator has set up an account yet, returns a
    /// one-time link to do so (a new one each start, the older ones no longer work).
    public func prepare() async throws -> String? {
        try await pool.use { register in
            let db = register.store.sql
            try await PortalStore.prepare(db)
            if try await PortalStore.hasAdministrator(in: db) { return nil }
            if try await PortalStore.account(Self.administratorName, in: db) == nil {
                try await PortalStore.insert(
                    Account(
                        name: Self.administratorName, member: nil, administrator: true, language: "ja",
                        passwordHash: nil, totpSecret: nil, failedAttempts: 0, lockedUntil: nil, createdAt: now),
                    in: db)
            }
            return try await invite(Self.administratorName, in: db)
        }
    }

    /// The account the first link sets up.
    public static let administratorName = "administrator"

    /// An invitation valid for 7 days; returns its link.
    func invite(_ account: String, in db: any SQLDatabase) async throws -> String {
        let token = Credentials.randomToken()
        try await PortalStore.insert(
            Invitation(
                tokenSha256: Credentials.digest(token), account: account, totpSecret: Credentials.newTOTPSecret(),
                expiresAt: now + 7 * 24 * 60 * 60, usedAt: nil),
            in: db)
        return configuration.publicURL + "/invitation/" + token
    }

    /// Closes the register connections.
    public func close() async { await pool.close() }

    /// The routes.
    public func router() -> Router<PortalContext> {
        let router = Router(context: PortalContext.self)
        router.add(middleware: SecurityHeaders())
        router.get("/sign-in") { request, _ in try await signInForm(request) }
        router.post("/sign-in") { request, context in try await signIn(request, context) }
        router.post("/sign-out") { request, context in try await signOut(request, context) }
        router.get("/invitation/:token") { request, context in try await invitationForm(request, context) }
        router.post("/invitation") { request, context in try await acceptInvitation(request, context) }
        router.get("/") { request, context in try await guarded(.home, request, context) { try await home($0) } }
        router.get("/budget") { request, context in
            try await guarded(.budget, request, context) { try await budgetPage($0) }
        }
        router.get("/contracts/:contract") { request, context in
            try await guarded(.contract, request, context) { try await contractPage($0, context) }
        }
        router.get("/contracts/:contract/years/:year") { request, context in
            try await guarded(.year, request, context) { try await yearPage($0, context) }
        }
        router.post("/api/contracts/:contract/years/:year/settle") { request, context in
            try await guarded(.apiSettle, request, context) { try await settle(request, context, $0) }
        }
        router.get("/contracts/:contract/years/:year/explain") { request, context in
            try await guarded(.explain, request, context) { try await explainPage($0, context) }
        }
        for action in SignOff.allCases {
            router.post("/api/contracts/:contract/years/:year/\(action.rawValue)") { request, context in
                try await guarded(action.route, request, context) { try await signOff(action, request, context, $0) }
            }
        }
        // What the API is, for its clients (static, the same for everyone).
        router.get("/api/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPI.document)))
        }
        // The one script of the portal: it signs in the browser. Static, the same for everyone.
        router.get("/assets/sign.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: BrowserSigning.script)))
        }
        router.get("/statements/:statement/signatures") { request, context in
            try await guarded(.signatures, request, context) { try await signaturesPage($0, context) }
        }
        router.get("/statements/:statement/files/:file") { request, context in
            try await guarded(.signatureFile, request, context) { try await signatureFile($0, context) }
        }
        router.get("/statements/:statement/as/:format") { request, context in
            try await guarded(.download, request, context) { try await download($0, context) }
        }
        router.get("/statements/:statement") { request, context in
            try await guarded(.statement, request, context) { try await statement($0, context, route: .statement) }
        }
        router.get("/api/contracts") { request, context in
            try await guarded(.apiContracts, request, context) { try await apiContracts($0) }
        }
        router.get("/api/contracts/:contract") { request, context in
            try await guarded(.apiContract, request, context) { try await apiContract($0, context) }
        }
        router.get("/api/statements/:statement") { request, context in
            try await guarded(.apiStatement, request, context) { try await statement($0, context, route: .apiStatement) }
        }
        router.get("/admin/accounts") { request, context in
            try await guarded(.accounts, request, context) { try await accountsPage($0) }
        }
        router.post("/admin/accounts") { request, context in
            try await guarded(.invite, request, context) { viewer in
                try await inviteMember(viewer, try await form(request, context, viewer: viewer))
            }
        }
        router.post("/admin/auditors") { request, context in
            try await guarded(.grantAuditor, request, context) { viewer in
                try await grantAuditor(viewer, try await form(request, context, viewer: viewer))
            }
        }
        router.get("/admin/organisations") { request, context in
            try await guarded(.organisations, request, context) { try await organisationsPage($0) }
        }
        for action in AuthorityAction.allCases {
            router.get(RouterPath(action.page.endpoint.path)) { request, context in
                try await guarded(action.page, request, context) { try await authorityChangePage(action, $0) }
            }
            router.post(RouterPath(action.route.endpoint.path)) { request, context in
                try await guarded(action.route, request, context) { try await authorityChange(action, request, $0) }
            }
        }
        return router
    }

    /// The application, listening on `host:port`; `onRunning` gets the bound address.
    public func application(
        host: String, port: Int, onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "pfs"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress.map { "\($0.ipAddress ?? host):\($0.port ?? port)" } ?? host)
            })
    }

    // MARK: the gate

    /// Runs `body` for a signed-in viewer that the access table lets use `route`; sends
    /// anyone else to sign in (a page) or answers 401 (the API). Contract and statement
    /// routes check the contract and the statement themselves, through ``Access``.
    func guarded(
        _ route: Route, _ request: Request, _ context: PortalContext,
        _ body: (Viewer) async throws -> Response
    ) async throws -> Response {
        guard let viewer = try await viewer(request) else {
            if route.isAPI { return Responses.json(["error": "sign in first"], status: .unauthorized) }
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Responses.redirect(to: "/sign-in?next=" + (Responses.percentEncoded(next)))
        }
        let rule = Access.rule(route)
        switch rule.scope {
        case .signedIn, .anyContract, .administration:
            guard Access.permits(route, viewer) else { return notFound(viewer, api: route.isAPI) }
        case .contract, .statement: break
        }
        return try await body(viewer)
    }

    /// The session's viewer, or nil (no cookie, an unknown token, an expired session).
    func viewer(_ request: Request) async throws -> Viewer? {
        guard let token = request.cookies[Cookies.session]?.value, !token.isEmpty else { return nil }
        let digest = Credentials.digest(token)
        let now = self.now
        let configuration = self.configuration
        return try await pool.use { register -> Viewer? in
            let db = register.store.sql
            guard let session = try await PortalStore.session(digest, in: db) else { return nil }
            if now - session.seenAt > configuration.idleTimeout || now - session.createdAt > configuration.absoluteTimeout {
                try await PortalStore.endSession(digest, in: db)
                try await register.recordAccess(
                    AccessRecord(kind: .signedOut, account: session.account, member: nil, reason: "session expired"))
                return nil
            }
            guard let account = try await PortalStore.account(session.account, in: db), account.isActive else {
                return nil
            }
            // Writing on every request would make each page a write: once a minute is enough for the idle limit.
            if now - session.seenAt >= 60 { try await PortalStore.touch(digest, at: now, in: db) }
            let grants = try await PortalStore.grants(of: account.name, in: db)
            return Viewer(account: account, session: session, trust: try await cache.trust(register), grants: grants)
        }
    }

    func notFound(_ viewer: Viewer?, api: Bool) -> Response { Responses.notFound(viewer, api: api) }

    /// A signed-in form's fields, after its CSRF token is checked; throws ``Refusal`` otherwise.
    func form(_ request: Request, _ context: PortalContext, viewer: Viewer) async throws -> [String: String] {
        let fields = try await Forms.fields(request, limit: configuration.maximumFormBytes)
        guard let token = fields["csrf"], Credentials.same(token, viewer.session.csrf) else {
            throw Refusal.csrf
        }
        return fields
    }
}

/// Why a request was refused before it changed anything.
enum Refusal: Error {
    /// The form did not carry its session's token (a cross-site request, or an old page).
    case csrf
    /// The body was larger than the portal accepts.
    case tooLarge
    /// The body was not a form.
    case malformed
    /// A signed request without the member's public key.
    case noKey
}

/// The cookies the portal sets.
enum Cookies {
    /// The session's token.
    static let session = "pfs_session"
    /// The token a form shown before sign-in carries (checked against the form's field).
    static let form = "pfs_form"
}

/// Headers on every response: no framing, no sniffing, no caching of anyone's statements.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = PortalContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let refusal as Refusal {
            response = Responses.refusal(refusal, api: request.uri.path.hasPrefix("/api/"))
        } catch let error as HTTPError where error.status == .notFound {
            response = Responses.notFound(nil, api: request.uri.path.hasPrefix("/api/"))
        }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        if let name = HTTPField.Name("Referrer-Policy") { response.headers[name] = "no-referrer" }
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
