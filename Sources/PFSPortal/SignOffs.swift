import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PFSModel
import PFSRegister
import PFSStatements

/// A change to a year that a member signs in the browser.
enum SignOff: String, CaseIterable, Sendable {
    case review, approve, reject, issue, pay

    /// The API route that records it.
    var route: Route {
        switch self {
        case .review: return .apiReview
        case .approve: return .apiApprove
        case .reject: return .apiReject
        case .issue: return .apiIssue
        case .pay: return .apiPay
        }
    }

    /// The states a year must be in for it.
    var states: Set<YearState> {
        switch self {
        case .review: return [.settled]
        case .approve: return [.reviewed]
        case .reject: return [.settled, .reviewed]
        case .issue: return [.approved]
        case .pay: return [.issued, .partlyPaid]
        }
    }

    var title: Phrase {
        switch self {
        case .review: return Phrase("Review and sign the statements", "検証して帳票に署名する")
        case .approve: return Phrase("Approve and sign the statements", "承認して帳票に署名する")
        case .reject: return Phrase("Send the year back", "差し戻す")
        case .issue: return Phrase("Issue the statements", "帳票を発行する")
        case .pay: return Phrase("Record a payment", "支払を記録する")
        }
    }
}

/// What the browser sends to record a sign-off: the member's public key, the signatures it
/// made so far, and what the change needs (a reason, a payment).
struct SignOffRequest: Decodable {
    /// The member's Ed25519 public key, the 32 raw bytes in base64.
    var publicKey: String?
    /// Statement signatures (base64) by the SHA-256 of the statement's bytes.
    var statements: [String: String]?
    /// The event's signature (base64) and the time its bytes hold.
    var event: String?
    var at: String?
    var reason: String?
    var payment: Payment?
    /// Settling: a department's table of actual values (CSV or XLSX) to take in first.
    var actuals: Upload?
    /// Settling: show what the table changes, sign and record nothing.
    var preview: Bool?
    /// The authority's changes: the form's fields by name (texts; a chosen file's text).
    var fields: [String: String]?

    struct Upload: Decodable {
        var name: String
        /// The file's bytes, base64.
        var bytes: String
    }

    struct Payment: Decodable {
        var payer: String
        var payee: String
        var amount: String
        var date: String
        var reference: String
    }
}

extension Portal {
    /// How far the time a browser signed may lie from the server's (clocks and a slow hand).
    static let signatureWindow = 5 * 60

    /// A signed request's parts, once its route, token and body are checked: the contract and
    /// year, what the browser sent, and its signatures as a signer.
    struct SignedRequest {
        let contract: String
        let year: Int
        let offered: SignOffRequest
        /// Nil when no public key was sent (only a settle preview goes without).
        let signer: OfferedSignatures?

        /// The signer, or the refusal of a request that changes something without a key.
        func requireSigner() throws -> OfferedSignatures {
            guard let signer else { throw Refusal.noKey }
            return signer
        }
    }

    /// Reads a signed request to `route`; nil (answer 404) when the viewer may not use it on
    /// the contract; throws ``Refusal`` for a missing token or a body that is not JSON.
    func signedRequest(
        _ route: Route, _ request: Request, _ context: PortalContext, _ viewer: Viewer, limit: Int
    ) async throws -> SignedRequest? {
        guard let contract = context.parameters.get("contract"), let yearText = context.parameters.get("year"),
            let year = Int(yearText), Access.permits(route, viewer, contract: contract)
        else { return nil }
        let (offered, signer) = try await signedBody(request, viewer, limit: limit)
        return SignedRequest(contract: contract, year: year, offered: offered, signer: signer)
    }

    /// What a signed request's body holds, once its CSRF token is checked: what the browser
    /// sent and, when it sent a public key, its signatures as a signer. Throws ``Refusal``
    /// for a missing token, a body too large or not JSON, a key that is no Ed25519 key.
    func signedBody(_ request: Request, _ viewer: Viewer, limit: Int) async throws
        -> (SignOffRequest, OfferedSignatures?)
    {
        guard let token = request.headers[HTTPField.Name("X-CSRF-Token")!], Credentials.same(token, viewer.session.csrf)
        else { throw Refusal.csrf }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw Refusal.malformed
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch {
            throw Refusal.tooLarge
        }
        guard let offered = try? JSONDecoder().decode(SignOffRequest.self, from: Data(buffer: body)) else {
            throw Refusal.malformed
        }
        guard let keyText = offered.publicKey else { return (offered, nil) }
        guard let raw = Data(base64Encoded: keyText), let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw Refusal.noKey }
        var statements: [String: [UInt8]] = [:]
        for (sha256, signature) in offered.statements ?? [:] {
            guard let bytes = Data(base64Encoded: signature) else { throw Refusal.malformed }
            statements[sha256] = Array(bytes)
        }
        // A signature over a time far from now would backdate the event: it is asked for again.
        var eventSignature = offered.event.flatMap { Data(base64Encoded: $0) }.map(Array.init)
        var at = offered.at
        if let text = at, let date = Event.date(timestamp: text),
            abs(Int(date.timeIntervalSince(configuration.now()))) > Self.signatureWindow
        {
            eventSignature = nil
            at = nil
        }
        let signer = OfferedSignatures(
            publicKey: publicKey, statements: statements, event: eventSignature, at: at, now: configuration.now())
        return (offered, signer)
    }

    /// Refuses a key that is not the viewer's own, registered and in force.
    static func requireOwnKey(_ signer: OfferedSignatures, _ viewer: Viewer, _ trust: TrustState) throws(RegisterError) {
        guard let key = trust.keys[signer.keyID], key.member == viewer.account.member,
            trust.chainProblem(signer.keyID) == nil
        else {
            throw RegisterError.refused(
                "the key \(signer.keyID.prefix(16)) is not a key of yours that the register holds",
                hint: "use the key file the administrator registered for you")
        }
    }

    /// The answer to a register's refusal or request for signatures.
    static func answer(_ error: RegisterError) -> Response {
        switch error {
        case .signaturesWanted(let wanted):
            var sign: [String: Any] = [
                "statements": wanted.statements.map { ["sha256": sha256Hex($0), "bytes": Data($0).base64EncodedString()] }
            ]
            if let event = wanted.event { sign["event"] = Data(event).base64EncodedString() }
            if let at = wanted.at { sign["at"] = at }
            return Responses.json(["sign": sign], status: .preconditionRequired)
        case .refused(let message, let hint):
            let status: HTTPResponse.Status = message.hasPrefix("the key ") ? .forbidden : .conflict
            return Responses.json(["error": message, "hint": hint], status: status)
        case .input(let message): return Responses.json(["error": message], status: .badRequest)
        case .notFound, .exists, .database, .newerSchema:
            return Responses.json(["error": "\(error)"], status: .serviceUnavailable)
        }
    }

    /// Records `action` on a year with the signatures the browser offers; answers 428 with
    /// what to sign while some are missing, 409 when the year's state or the contract refuses.
    func signOff(_ action: SignOff, _ request: Request, _ context: PortalContext, _ viewer: Viewer)
        async throws -> Response
    {
        guard let signed = try await signedRequest(action.route, request, context, viewer, limit: 512 * 1024) else {
            return notFound(viewer, api: true)
        }
        let (contract, year, offered, signer) = (signed.contract, signed.year, signed.offered, try signed.requireSigner())
        do {
            let state = try await pool.use { register -> String in
                try Self.requireOwnKey(signer, viewer, try await cache.trust(register))
                guard let input = try await cache.settledInput(register, contract: contract, year: year) else {
                    throw RegisterError.refused(
                        "contract '\(contract)' FY\(year) has not been settled", hint: "settle it first")
                }
                switch action {
                case .review: try await register.review(input, year: year, signer: signer)
                case .approve: try await register.approve(input, year: year, signer: signer)
                case .reject:
                    let reason = offered.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                    guard !reason.isEmpty else { throw RegisterError.input("say why the year is sent back (reason)") }
                    let state = try await register.record(of: contract, year: year)?.state
                    if state == .reviewed {
                        try await register.approve(input, year: year, signer: signer, reject: reason)
                    } else {
                        try await register.review(input, year: year, signer: signer, reject: reason)
                    }
                case .issue:
                    // `pfs issue` asked again writes the issued files again; here a second
                    // issue is a member acting on an old page: it is refused, not done twice.
                    let (_, newly) = try await register.issue(input, year: year, signer: signer)
                    if !newly {
                        throw RegisterError.refused(
                            "contract '\(contract)' FY\(year) was issued already", hint: "reload the year's page")
                    }
                case .pay:
                    guard let payment = offered.payment else {
                        throw RegisterError.input("give the payment: payer, payee, amount (digits), date, reference")
                    }
                    try await register.recordPayment(
                        input, year: year, payer: payment.payer, payee: payment.payee, amount: payment.amount,
                        date: payment.date, reference: payment.reference, signer: signer)
                }
                return try await register.record(of: contract, year: year)?.state.rawValue ?? ""
            }
            return Responses.json(["state": state])
        } catch let error as RegisterError {
            return Self.answer(error)
        }
    }

    /// A year's page: its state, its statements, and the one task the viewer can do now.
    func yearPage(_ viewer: Viewer, _ context: PortalContext) async throws -> Response {
        let language = viewer.language
        guard let id = context.parameters.get("contract"), let yearText = context.parameters.get("year"),
            let year = Int(yearText), let view = try await contractView(.year, viewer, id),
            let record = view.years.first(where: { $0.year == year })
        else { return notFound(viewer, api: false) }
        let roles = viewer.contracts[id]?.roles ?? []
        let tasks = SignOff.allCases.filter { action in
            action.states.contains(record.state) && !roles.isDisjoint(with: Access.rule(action.route).roles)
        }
        let statements = view.statements.filter { $0.runID == record.runID }.map { statement -> [String: Any] in
            [
                "id": statement.id, "document": Self.documentName(statement, in: view.contract).text(language),
                "party": statement.party.map { partyName(view.contract, $0, language) } ?? "",
                "format": statement.format, "sha256": statement.sha256,
                "downloads": Self.downloads(statement, language),
            ]
        }
        let dues = visibleDues(record, viewer).filter { !$0.paid }.map {
            ["payer": $0.due.payer, "payee": $0.due.payee, "amount": $0.due.amount.description] as [String: Any]
        }
        let investor = try await investorView(viewer, contract: id, year: year)
        return Responses.html(
            Pages.render(
                "year",
                title: Phrase(
                    Phrase(view.contract.title, fallback: id).en + " — FY\(year)",
                    Phrase(view.contract.title, fallback: id).ja + " — " + view.contract.yearNameJA(year)),
                language: language,
                context: [
                    "contract": id, "year": year,
                    "state": Self.stateNames[record.state]?.text(language) ?? record.state.rawValue,
                    "statements": statements, "csrf": viewer.session.csrf,
                    "tasks": tasks.map {
                        [
                            "action": $0.rawValue, "keySuffix": $0.rawValue, "title": $0.title.text(language),
                            "reject": $0 == .reject, "pay": $0 == .pay,
                        ]
                    },
                    "dues": dues, "today": Self.isoDay(configuration.now()),
                    "explains": Access.permits(.explain, viewer, contract: id),
                ].merging(investor) { own, _ in own }, signedIn: viewer))
    }

    static func isoDay(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
