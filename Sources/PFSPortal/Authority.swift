import Foundation
import Hummingbird
import PFS
import PFSModel
import PFSRegister
import PFSStatements

/// A change to who may act for whom, which only the register's authority may make: the
/// administrator makes it in the browser and signs it there with the authority's key file
/// (the certificate of a key or a binding, then the event), as `pfs register … --authority-key`
/// signs it on the command line. The server holds no key.
enum AuthorityAction: String, CaseIterable, Sendable {
    case organisation, member, key, binding, revocation

    /// The page that asks for it.
    var page: Route {
        switch self {
        case .organisation: return .organisationPage
        case .member: return .memberPage
        case .key: return .keyPage
        case .binding: return .bindingPage
        case .revocation: return .revocationPage
        }
    }

    /// The API route that records it.
    var route: Route {
        switch self {
        case .organisation: return .apiOrganisation
        case .member: return .apiMember
        case .key: return .apiKey
        case .binding: return .apiBinding
        case .revocation: return .apiRevocation
        }
    }

    var title: Phrase {
        switch self {
        case .organisation: return Phrase("Add an organisation", "組織を登録する")
        case .member: return Phrase("Add a member", "メンバーを登録する")
        case .key: return Phrase("Register a member's public key", "メンバーの公開鍵を登録する")
        case .binding: return Phrase("Bind a contract's party to an organisation", "契約の当事者を組織に割り当てる")
        case .revocation: return Phrase("Revoke", "失効させる")
        }
    }
}

extension Portal {
    static let organisationsTitle = Phrase("Organisations, members and keys", "組織・メンバー・鍵")

    /// Names for the kinds of organisation, in the order the form offers them.
    static let organisationKinds: [(OrganisationKind, Phrase)] = [
        (.publicBody, Phrase("public body", "地方公共団体等")),
        (.provider, Phrase("provider", "受託事業者")),
        (.evaluationFirm, Phrase("evaluation firm", "第三者評価機関")),
        (.investor, Phrase("investor", "投資家")),
        (.intermediary, Phrase("intermediary", "中間支援組織")),
    ]

    /// Names for the roles a contract gives its parties.
    static let partyRoles: [PartyRole: Phrase] = [
        .publicSector: Phrase("public sector", "委託者（地方公共団体等）"), .provider: Phrase("provider", "受託者"),
        .investor: Phrase("investor", "投資家"), .evaluator: Phrase("evaluator", "第三者評価機関"),
        .intermediary: Phrase("intermediary", "中間支援組織"),
    ]

    /// The register's organisations, members, keys and bindings, and a form for each change.
    func organisationsPage(_ viewer: Viewer) async throws -> Response {
        let language = viewer.language
        let trust = try await pool.use { register in try await cache.trust(register) }
        func state(_ revoked: Int?) -> String {
            revoked.map { Pages.word("revokedAt", language).replacingOccurrences(of: "{event}", with: String($0)) }
                ?? Pages.word("inForce", language)
        }
        func name(_ ja: String, _ en: String) -> String { language == .ja ? ja : en }
        let kinds = Dictionary(uniqueKeysWithValues: Self.organisationKinds.map { ($0.0, $0.1.text(language)) })
        let organisations = trust.organisations.values.sorted { $0.id < $1.id }.map { body -> [String: Any] in
            [
                "id": body.id, "name": name(body.nameJa, body.nameEn), "kind": kinds[body.kind] ?? body.kind.rawValue,
                "state": state(body.revoked), "inForce": body.revoked == nil,
            ]
        }
        let members = trust.members.values.sorted { $0.id < $1.id }.map { member -> [String: Any] in
            [
                "id": member.id, "name": name(member.nameJa, member.nameEn), "organisation": member.organisation,
                "state": state(member.revoked), "inForce": member.revoked == nil,
            ]
        }
        let keys = trust.keys.values.filter { $0.member != nil }.sorted { ($0.member ?? "", $0.added) < ($1.member ?? "", $1.added) }
            .map { key -> [String: Any] in
                ["id": String(key.keyID.prefix(16)), "member": key.member ?? "", "state": state(key.revoked)]
            }
        let bindings = trust.bindings.sorted { ($0.contract, $0.party, $0.added) < ($1.contract, $1.party, $1.added) }.map {
            binding -> [String: Any] in
            [
                "contract": binding.contract, "party": binding.party,
                "role": PartyRole(rawValue: binding.role).flatMap { Self.partyRoles[$0]?.text(language) } ?? binding.role,
                "organisation": binding.organisation, "state": state(binding.revoked),
            ]
        }
        return Responses.html(
            Pages.render(
                "organisations", title: Self.organisationsTitle, language: language,
                context: [
                    "fingerprint": trust.authority?.fingerprint ?? "", "organisations": organisations,
                    "members": members, "keys": keys, "bindings": bindings,
                    "tasks": AuthorityAction.allCases.map { ["action": $0.rawValue, "title": $0.title.text(language)] },
                ], signedIn: viewer))
    }

    /// One change's page (one task per page): its form, the authority's key, and what the
    /// form needs to offer (the kinds of organisation, the contracts the register holds).
    func authorityChangePage(_ action: AuthorityAction, _ viewer: Viewer) async throws -> Response {
        let language = viewer.language
        let (trust, contracts) = try await pool.use { register in
            (try await cache.trust(register), try await cache.contracts(register).map(\.contract.id))
        }
        return Responses.html(
            Pages.render(
                "authority-change", title: action.title, language: language,
                context: [
                    "fingerprint": trust.authority?.fingerprint ?? "", "contracts": contracts,
                    "kinds": Self.organisationKinds.map { ["value": $0.0.rawValue, "name": $0.1.text(language)] },
                    "csrf": viewer.session.csrf, "task": ["action": action.rawValue, action.rawValue: true],
                ], signedIn: viewer))
    }

    /// Records `action` with the authority's signatures the browser offers; answers 428 with
    /// what to sign while some are missing, 403 for a key that is not the authority's.
    func authorityChange(_ action: AuthorityAction, _ request: Request, _ viewer: Viewer) async throws -> Response {
        let (offered, offeredSigner) = try await signedBody(request, viewer, limit: Self.settleBodyLimit)
        guard let signer = offeredSigner else { throw Refusal.noKey }
        let fields = (offered.fields ?? [:]).mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        @Sendable func field(_ name: String) -> String { fields[name, default: ""] }
        do {
            try await pool.use { register in
                switch action {
                case .organisation:
                    guard let kind = OrganisationKind(rawValue: field("kind")) else {
                        throw RegisterError.input(
                            "the kind of organisation is one of "
                                + OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    try await register.addOrganisation(
                        field("id"), kind: kind, nameJa: field("nameJa"), nameEn: field("nameEn"), authority: signer)
                case .member:
                    try await register.addMember(
                        field("id"), organisation: field("organisation"), nameJa: field("nameJa"),
                        nameEn: field("nameEn"), authority: signer)
                case .key:
                    _ = try await register.addKey(
                        member: field("member"), publicKeyPEM: field("publicKey"), authority: signer)
                case .binding:
                    let contract = try await bindingContract(fields, register)
                    try await register.bind(
                        contract, party: field("party"), organisation: field("organisation"), authority: signer)
                case .revocation:
                    try await register.revoke(
                        try Self.revocable(field("subject"), field("id")), reason: field("reason"), authority: signer)
                }
            }
            return Responses.json(["recorded": action.rawValue])
        } catch let error as RegisterError {
            return Self.answer(error)
        }
    }

    /// The contract a binding is for: a contract file the administrator chose (its parties
    /// must be bound before its first year is settled, so the register may not hold it yet),
    /// or one the register holds, by id.
    private func bindingContract(_ fields: [String: String], _ register: Register) async throws -> Contract {
        if let text = fields["contractFile"], !text.isEmpty {
            return try Self.checkedContract(
                Array(text.utf8), name: Self.uploadName(fields["contractFileName"], otherwise: "contract.xml")
            ).contract
        }
        let id = fields["contract", default: ""]
        guard let recorded = try await cache.contracts(register).first(where: { $0.contract.id == id }) else {
            throw RegisterError.input("choose a contract file, or a contract the register holds ('\(id)' is not one)")
        }
        return recorded.contract
    }

    /// A contract file sent from the browser, read and checked as `pfs check` does.
    static func checkedContract(_ bytes: [UInt8], name: String) throws(RegisterError) -> ContractInput {
        let checked = PFS.check(bytes: bytes, file: name, canonical: true)
        guard let input = ContractInput(checked: checked, fileName: name) else {
            throw .input(checked.diagnostics.map(\.rendered).joined(separator: "\n"))
        }
        return input
    }

    /// A chosen file's name as the register may keep it and diagnostics show it: its last
    /// component when that is plain (letters, digits, `.`, `_`, `-`), `otherwise` if not.
    static func uploadName(_ name: String?, otherwise: String) -> String {
        let last = PFS.lastPathComponent(name ?? "")
        let plain = !last.isEmpty && last.count <= 120 && !last.hasPrefix(".")
            && last.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
        return plain ? last : otherwise
    }

    /// What a revocation form names: a key (its id or first digits), a member, an
    /// organisation, or a binding as CONTRACT/PARTY.
    static func revocable(_ subject: String, _ id: String) throws(RegisterError) -> Revocable {
        guard !id.isEmpty else { throw .input("name what is revoked (id)") }
        switch subject {
        case "key": return .key(id)
        case "member": return .member(id)
        case "organisation": return .organisation(id)
        case "binding":
            let parts = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .input("a binding is named CONTRACT/PARTY, not '\(id.printable())'")
            }
            return .binding(contract: parts[0], party: parts[1])
        default: throw .input("what is revoked is a key, a member, an organisation or a binding")
        }
    }
}
