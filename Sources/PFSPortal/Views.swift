import Foundation
import HTTPTypes
import Hummingbird
import PFSModel
import PFSRegister
import PFSStatements

/// What each party sees: its contracts, each year's state and amounts, its statements.
extension Portal {
    static let homeTitle = Phrase("Your contracts", "契約の一覧")

    /// Words for the roles, the year states and the documents.
    static let roleNames: [PortalRole: Phrase] = [
        .financeOfficer: Phrase("finance officer", "財務担当（委託者）"),
        .evaluator: Phrase("evaluator", "第三者評価機関"),
        .contractor: Phrase("contractor", "受託者"),
        .investor: Phrase("investor", "投資家"),
        .auditor: Phrase("auditor (read-only)", "監査（閲覧のみ）"),
        .administrator: Phrase("administrator", "管理者"),
    ]

    static let stateNames: [YearState: Phrase] = [
        .settled: Phrase("settled, awaiting review", "算定済（検証待ち）"),
        .reviewed: Phrase("reviewed, awaiting approval", "検証済（承認待ち）"),
        .approved: Phrase("approved, to be issued", "承認済（発行待ち）"),
        .rejected: Phrase("sent back", "差戻し"),
        .issued: Phrase("issued, awaiting payment", "発行済（支払待ち）"),
        .partlyPaid: Phrase("partly paid", "一部支払済"),
        .paid: Phrase("paid", "支払済"),
    ]

    static func documentName(_ statement: RecordedStatement, in contract: Contract?) -> Phrase {
        switch statement.document {
        case "settlement": return Phrase("Annual settlement", "成果連動支払額算定書")
        case "audit": return Phrase("Audit trail", "算定根拠書")
        case "payout":
            let investor = contract?.parties.first { $0.id == statement.party }?.role == .investor
            return investor ? Phrase("Distribution statement", "分配金計算書") : Phrase("Payout statement", "支払額確定通知書")
        default:
            let number = statement.document.dropFirst("adjustment-".count)
            return Phrase("Adjustment \(number)", "修正算定書（第\(number)回）")
        }
    }

    static func roles(_ access: ContractAccess, _ language: Language) -> String {
        PortalRole.allCases.filter(access.roles.contains).compactMap { roleNames[$0]?.text(language) }
            .joined(separator: language == .ja ? "、" : ", ")
    }

    /// The contracts `viewer` may see, with their newest versions.
    func visibleContracts(_ viewer: Viewer) async throws -> [RecordedContract] {
        try await pool.use { register in try await cache.contracts(register) }.filter {
            Access.permits(.contract, viewer, contract: $0.contract.id)
        }
    }

    func home(_ viewer: Viewer) async throws -> Response {
        let language = viewer.language
        let visible = try await visibleContracts(viewer)
        // The viewer's queue: every year waiting for a step its roles take (the evaluator's
        // reviews, the finance officer's approvals, issues and payments), oldest first.
        var queue: [[String: Any]] = []
        for recorded in visible {
            let id = recorded.contract.id
            let roles = viewer.contracts[id]?.roles ?? []
            for record in try await pool.use({ register in try await register.years(of: id) }) {
                let steps = SignOff.allCases.filter {
                    $0 != .reject && $0.states.contains(record.state) && !roles.isDisjoint(with: Access.rule($0.route).roles)
                }
                guard let step = steps.first else { continue }
                queue.append([
                    "contract": id, "number": record.year,
                    "title": Phrase(recorded.contract.title, fallback: id).text(language),
                    "year": yearName(recorded.contract, record.year, language), "task": step.title.text(language),
                ])
            }
        }
        let contracts = visible.map { recorded -> [String: Any] in
            [
                "id": recorded.contract.id,
                "title": Phrase(recorded.contract.title, fallback: recorded.contract.id).text(language),
                "roles": Self.roles(viewer.contracts[recorded.contract.id] ?? ContractAccess(), language),
            ]
        }
        // Contracts bound to the viewer's city that the register holds no version of yet: the
        // finance officer settles their first year with the contract's file.
        let held = Set(try await pool.use { register in try await cache.contracts(register) }.map(\.contract.id))
        let firstYears = viewer.contracts.filter { $0.value.roles.contains(.financeOfficer) && !held.contains($0.key) }
            .keys.sorted().map { ["id": $0, "keySuffix": "first-\($0)"] }
        return Responses.html(
            Pages.render(
                "home", title: Self.homeTitle, language: language,
                context: [
                    "contracts": contracts, "hasContracts": !contracts.isEmpty, "firstYears": firstYears,
                    "queue": queue, "hasQueue": !queue.isEmpty,
                    "hasFirstYears": !firstYears.isEmpty, "csrf": viewer.session.csrf,
                ], signedIn: viewer))
    }

    /// A contract `viewer` may see through `route`, its years and the statements it may read;
    /// nil when it may not see the contract (or there is none): the caller answers 404 either way.
    func contractView(_ route: Route, _ viewer: Viewer, _ id: String) async throws
        -> (contract: Contract, years: [YearRecord], statements: [RecordedStatement])?
    {
        guard Access.permits(route, viewer, contract: id) else { return nil }
        let found = try await pool.use { register -> (Contract, [YearRecord], [RecordedStatement])? in
            guard let recorded = try await cache.contracts(register).first(where: { $0.contract.id == id }) else {
                return nil
            }
            return (recorded.contract, try await register.years(of: id), try await register.statements(of: id))
        }
        guard let (contract, years, statements) = found else { return nil }
        let statementRoute: Route = route.isAPI ? .apiStatement : .statement
        return (contract, years, statements.filter { Access.permits(statementRoute, viewer, statement: $0) })
    }

    /// The amounts due a viewer sees: all of them for the readers, its own parties' otherwise.
    func visibleDues(_ record: YearRecord, _ viewer: Viewer) -> [(due: Due, paid: Bool)] {
        let access = viewer.contracts[record.contractID] ?? ContractAccess()
        let all = !access.roles.isDisjoint(with: Access.readers)
        return record.dues.filter { all || access.parties.contains($0.payee) }.map { due in
            (due, record.payments.contains { $0.payer == due.payer && $0.payee == due.payee })
        }
    }

    func contractPage(_ viewer: Viewer, _ context: PortalContext) async throws -> Response {
        let language = viewer.language
        guard let id = context.parameters.get("contract"), let view = try await contractView(.contract, viewer, id)
        else { return notFound(viewer, api: false) }
        let years = view.years.map { record -> [String: Any] in
            [
                "year": yearName(view.contract, record.year, language), "number": record.year, "contract": id,
                "paymentYear": yearName(view.contract, record.paymentYear, language),
                "state": Self.stateNames[record.state]?.text(language) ?? record.state.rawValue,
                "dues": visibleDues(record, viewer).map {
                    [
                        "payer": partyName(view.contract, $0.due.payer, language),
                        "payee": partyName(view.contract, $0.due.payee, language),
                        "amount": money($0.due.amount, view.contract), "paid": $0.paid,
                    ] as [String: Any]
                },
            ]
        }
        let currentRuns = Set(view.years.map(\.runID))
        let statements = view.statements.map { statement -> [String: Any] in
            [
                "id": statement.id, "year": yearName(view.contract, statement.year, language),
                "document": Self.documentName(statement, in: view.contract).text(language),
                "party": statement.party.map { partyName(view.contract, $0, language) } ?? "",
                "format": statement.format, "language": statement.language, "sha256": statement.sha256,
                "downloads": currentRuns.contains(statement.runID) ? Self.downloads(statement, language) : [],
            ]
        }
        // Years the finance officer can settle: never settled, or sent back.
        let settled = Dictionary(view.years.map { ($0.year, $0.state) }) { _, last in last }
        let settleYears =
            Access.permits(.apiSettle, viewer, contract: id)
            ? (view.contract.term.first...view.contract.term.last).filter { settled[$0] == nil || settled[$0] == .rejected }
            : []
        // Issued years are corrected (by adjustment, with a reason), never settled afresh.
        let correctable =
            Access.permits(.apiSettle, viewer, contract: id) ? view.years.filter(\.everIssued).map(\.year) : []
        return Responses.html(
            Pages.render(
                "contract", title: Phrase(view.contract.title, fallback: view.contract.id), language: language,
                context: [
                    "id": id, "roles": Self.roles(viewer.contracts[id] ?? ContractAccess(), language), "years": years,
                    "hasYears": !years.isEmpty, "statements": statements, "csrf": viewer.session.csrf,
                    "settleYears": settleYears.map { ["number": $0, "name": yearName(view.contract, $0, language)] }
                        + correctable.map {
                            [
                                "number": $0,
                                "name": yearName(view.contract, $0, language) + Pages.word("correctionSuffix", language),
                            ]
                        },
                    "hasSettleYears": !(settleYears.isEmpty && correctable.isEmpty), "keySuffix": "settle",
                ], signedIn: viewer))
    }

    /// An amount of `contract` as its statements print it: grouped, with its currency's minor
    /// unit when amounts are in currency units (AUD 192,000.00), none in multiples (千円).
    func money(_ amount: ExactDecimal, _ contract: Contract) -> String {
        amount.formatted(
            groupingSeparator: ",",
            minimumFractionDigits: ISO4217.amountDigits(currency: contract.amounts.currency, scale: contract.amounts.scale))
    }

    func yearName(_ contract: Contract, _ year: Int, _ language: Language) -> String {
        language == .ja ? contract.yearNameJA(year) : "FY\(year)"
    }

    func partyName(_ contract: Contract, _ id: String, _ language: Language) -> String {
        guard let party = contract.parties.first(where: { $0.id == id }) else { return id }
        return Phrase(party.name, fallback: id).text(language)
    }

    /// A statement's exact bytes as the register holds them: HTML shown in a sandbox (its
    /// own page, no script, no request out), the other formats as downloads.
    func statement(_ viewer: Viewer, _ context: PortalContext, route: Route) async throws -> Response {
        guard let text = context.parameters.get("statement"), let id = Int(text), id > 0,
            let (statement, bytes) = try await pool.use({ register in try await register.statement(id) }),
            Access.permits(route, viewer, statement: statement)
        else { return notFound(viewer, api: route.isAPI) }
        let path =
            StatementInput.derivedPath(
                contract: statement.contractID, year: statement.year, document: statement.document,
                party: statement.party, language: statement.language, format: statement.format) ?? "statement-\(id)"
        let fileName = String(path.split(separator: "/").last ?? "statement")
        let (type, attachment) = Self.mediaType(statement.format)
        var response = Responses.file(bytes, contentType: type, fileName: fileName, attachment: attachment)
        response.headers[.contentSecurityPolicy] =
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
        if let name = HTTPField.Name("X-PFS-SHA256") { response.headers[name] = statement.sha256 }
        return response
    }

    static func mediaType(_ format: String) -> (String, attachment: Bool) {
        switch StatementFormat(rawValue: format) {
        case .html: return ("text/html; charset=utf-8", false)
        case .json: return ("application/json", false)
        case .csv: return ("text/csv; charset=utf-8", true)
        case .md: return ("text/markdown; charset=utf-8", false)
        case .text: return ("text/plain; charset=utf-8", false)
        case .pdf: return ("application/pdf", true)
        case .xlsx: return ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true)
        default: return ("application/octet-stream", true)
        }
    }

    // MARK: the JSON API

    static func json(_ text: LocalizedText) -> [String: Any] {
        ["ja": text.ja.map { $0 as Any } ?? NSNull(), "en": text.en.map { $0 as Any } ?? NSNull()]
    }

    func apiContracts(_ viewer: Viewer) async throws -> Response {
        let contracts = try await visibleContracts(viewer).map { recorded -> [String: Any] in
            [
                "id": recorded.contract.id,
                "title": Self.json(recorded.contract.title),
                "roles": PortalRole.allCases.filter { viewer.contracts[recorded.contract.id]?.roles.contains($0) ?? false }
                    .map(\.rawValue),
            ]
        }
        return Responses.json(["contracts": contracts])
    }

    func apiContract(_ viewer: Viewer, _ context: PortalContext) async throws -> Response {
        guard let id = context.parameters.get("contract"), let view = try await contractView(.apiContract, viewer, id)
        else { return notFound(viewer, api: true) }
        return Responses.json([
            "id": view.contract.id,
            "title": Self.json(view.contract.title),
            "roles": PortalRole.allCases.filter { viewer.contracts[id]?.roles.contains($0) ?? false }.map(\.rawValue),
            "years": view.years.map { record in
                [
                    "year": record.year, "paymentYear": record.paymentYear, "state": record.state.rawValue,
                    "dues": visibleDues(record, viewer).map {
                        [
                            "payer": $0.due.payer, "payee": $0.due.payee, "amount": $0.due.amount.description,
                            "paid": $0.paid,
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
            "statements": view.statements.map {
                [
                    "id": $0.id, "year": $0.year, "document": $0.document, "party": $0.party.map { $0 as Any } ?? NSNull(),
                    "language": $0.language, "format": $0.format, "sha256": $0.sha256,
                    "href": "/api/statements/\($0.id)",
                ] as [String: Any]
            },
        ])
    }
}
