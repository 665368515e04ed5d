import Foundation
import Hummingbird
import PFSModel
import PFSRegister
import PFSStatements

/// The administrator's pages: portal accounts for the register's members, and auditors.
/// Organisations, members, keys and bindings stay the authority's, made with its key.
extension Portal {
    static let accountsTitle = Phrase("Accounts", "アカウント管理")

    func accountsPage(_ viewer: Viewer, link: String? = nil, errors: [[String: String]] = [], status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let language = viewer.language
        let (trust, accounts, contracts) = try await pool.use { register in
            (
                try await cache.trust(register), try await PortalStore.accounts(in: register.store.sql),
                try await cache.contracts(register).map(\.contract.id)
            )
        }
        let byMember = Dictionary(accounts.compactMap { account in account.member.map { ($0, account) } }) { a, _ in a }
        let members = trust.members.values.filter { $0.revoked == nil }.sorted { $0.id < $1.id }.map {
            member -> [String: Any] in
            let organisation = trust.organisations[member.organisation]
            let state: String
            switch byMember[member.id] {
            case .some(let account) where account.isActive: state = Pages.word("active", language)
            case .some: state = Pages.word("invited", language)
            case .none: state = Pages.word("none", language)
            }
            return [
                "id": member.id, "name": language == .ja ? member.nameJa : member.nameEn,
                "organisation": organisation.map { language == .ja ? $0.nameJa : $0.nameEn } ?? member.organisation,
                "state": state,
            ]
        }
        return Responses.html(
            Pages.render(
                "accounts", title: Self.accountsTitle, language: language,
                context: [
                    "members": members, "link": link ?? "", "hasLink": link != nil, "csrf": viewer.session.csrf, "errors": errors,
                    "hasErrors": !errors.isEmpty, "accounts": accounts.filter { $0.member != nil }.map(\.name),
                    "contracts": contracts,
                ], signedIn: viewer),
            status: status)
    }

    /// Makes (or renews) a member's account and a one-time link to set it up.
    func inviteMember(_ viewer: Viewer, _ fields: [String: String]) async throws -> Response {
        let memberID = fields["member", default: ""]
        let language = fields["language"] == "en" ? "en" : "ja"
        let now = self.now
        let link = try await pool.use { register -> String? in
            let trust = try await cache.trust(register)
            guard let member = trust.members[memberID], member.revoked == nil,
                trust.organisations[member.organisation]?.revoked == nil
            else { return nil }
            let db = register.store.sql
            if try await PortalStore.account(memberID, in: db) == nil {
                try await PortalStore.insert(
                    Account(
                        name: memberID, member: memberID, administrator: false, language: language, passwordHash: nil,
                        totpSecret: nil, failedAttempts: 0, lockedUntil: nil, createdAt: now),
                    in: db)
            }
            return try await invite(memberID, in: db)
        }
        guard let link else {
            return try await accountsPage(
                viewer,
                errors: [
                    [
                        "field": "member",
                        "message": "メンバー「\(memberID)」は登録簿にないか、失効しています / Member '\(memberID)' is not in the register, or was revoked",
                    ]
                ], status: .badRequest)
        }
        return try await accountsPage(viewer, link: link)
    }

    /// Lets a member's account read one contract, changing nothing.
    func grantAuditor(_ viewer: Viewer, _ fields: [String: String]) async throws -> Response {
        let name = fields["account", default: ""]
        let contract = fields["contract", default: ""]
        let now = self.now
        let problem = try await pool.use { register -> String? in
            let db = register.store.sql
            guard let account = try await PortalStore.account(name, in: db), account.member != nil else {
                return "アカウント「\(name)」はメンバーのものではありません / '\(name)' is not a member's account"
            }
            guard try await cache.contracts(register).contains(where: { $0.contract.id == contract }) else {
                return "契約「\(contract)」は登録簿にありません / The register holds no contract '\(contract)'"
            }
            if try await PortalStore.grants(of: name, in: db).contains(contract) { return nil }
            try await PortalStore.grant(name, contract: contract, at: now, in: db)
            return nil
        }
        if let problem {
            return try await accountsPage(viewer, errors: [["field": "auditor", "message": problem]], status: .badRequest)
        }
        return Responses.redirect(to: "/admin/accounts")
    }
}
