import HTTPTypes
import PFSModel
import PFSRegister
import PFSStatements

/// What a signed-in account is to a contract (or, for an administrator, to the register).
/// It comes from the register's bindings: a member acts in the role of the contract party its
/// organisation is bound to, never from what its organisation is called.
public enum PortalRole: String, CaseIterable, Sendable, Hashable {
    /// A member of the organisation bound to the public-sector party.
    case financeOfficer = "finance-officer"
    /// A member of the organisation bound to the evaluator.
    case evaluator
    /// A member of an organisation bound to a provider or an intermediary.
    case contractor
    /// A member of an organisation bound to an investor.
    case investor
    /// Read-only, granted per contract by an administrator.
    case auditor
    /// Manages accounts; sees no contract.
    case administrator

    /// The role a contract party's binding gives its organisation's members.
    init(_ role: PartyRole) {
        switch role {
        case .publicSector: self = .financeOfficer
        case .evaluator: self = .evaluator
        case .provider, .intermediary: self = .contractor
        case .investor: self = .investor
        }
    }
}

/// What an account may see of one contract.
struct ContractAccess: Sendable, Hashable {
    var roles: Set<PortalRole> = []
    /// The contract's parties its organisation is bound to.
    var parties: Set<String> = []
}

/// The signed-in account with what it may see, decided once per request.
struct Viewer: Sendable {
    let account: Account
    let session: Session
    /// The member's organisation (nil for an administrator).
    let organisation: String?
    /// Per contract id.
    let contracts: [String: ContractAccess]

    var language: Language { Language(rawValue: account.language) ?? .ja }

    /// Roles across every contract, and the administrator's.
    var roles: Set<PortalRole> {
        contracts.values.reduce(into: account.administrator ? [.administrator] : []) { $0.formUnion($1.roles) }
    }

    /// What `account` may see, from the trust state and the auditor grants.
    init(account: Account, session: Session, trust: TrustState, grants: Set<String>) {
        self.account = account
        self.session = session
        var contracts: [String: ContractAccess] = [:]
        var organisation: String?
        if let id = account.member, let member = trust.members[id], member.revoked == nil,
            let body = trust.organisations[member.organisation], body.revoked == nil
        {
            organisation = body.id
            for binding in trust.bindings where binding.revoked == nil && binding.organisation == body.id {
                guard let role = PartyRole(rawValue: binding.role) else { continue }
                contracts[binding.contract, default: ContractAccess()].roles.insert(PortalRole(role))
                contracts[binding.contract, default: ContractAccess()].parties.insert(binding.party)
            }
        }
        if account.member != nil {
            for contract in grants { contracts[contract, default: ContractAccess()].roles.insert(.auditor) }
        }
        self.organisation = organisation
        self.contracts = contracts
    }
}

/// Who may use each route: the one table the portal decides access from and the tests walk,
/// route by route, role by role.
enum Access {
    /// What a route is about, which decides how its access is checked.
    enum Scope: Sendable {
        /// Any signed-in account.
        case signedIn
        /// An account with one of the rule's roles on at least one contract (what it shows is
        /// of those contracts only).
        case anyContract
        /// One contract: the roles the account has on it.
        case contract
        /// One statement: the roles on its contract, and for `ownPayouts` only the payout
        /// statements of the parties the account's organisation is bound to.
        case statement
        /// The register's administration.
        case administration
    }

    /// One route.
    struct Rule: Sendable {
        let route: Route
        let scope: Scope
        /// Roles that may use it.
        let roles: Set<PortalRole>
        /// Roles that may use it for their own payout statements only.
        var ownPayouts: Set<PortalRole> = []
    }

    static let readers: Set<PortalRole> = [.financeOfficer, .evaluator, .auditor]
    static let contractRoles: Set<PortalRole> = [.financeOfficer, .evaluator, .contractor, .investor, .auditor]

    static let table: [Rule] = [
        Rule(route: .home, scope: .signedIn, roles: Set(PortalRole.allCases)),
        Rule(route: .budget, scope: .anyContract, roles: [.financeOfficer]),
        Rule(route: .contract, scope: .contract, roles: contractRoles),
        Rule(route: .year, scope: .contract, roles: contractRoles),
        Rule(route: .explain, scope: .contract, roles: readers),
        Rule(route: .statement, scope: .statement, roles: readers, ownPayouts: [.contractor, .investor]),
        Rule(route: .signatures, scope: .statement, roles: readers, ownPayouts: [.contractor, .investor]),
        Rule(route: .signatureFile, scope: .statement, roles: readers, ownPayouts: [.contractor, .investor]),
        Rule(route: .download, scope: .statement, roles: readers, ownPayouts: [.contractor, .investor]),
        Rule(route: .apiContracts, scope: .signedIn, roles: Set(PortalRole.allCases)),
        Rule(route: .apiContract, scope: .contract, roles: contractRoles),
        Rule(route: .apiStatement, scope: .statement, roles: readers, ownPayouts: [.contractor, .investor]),
        // Who signs what: the evaluator reviews, the finance officer approves, issues and pays;
        // either sends a year back at its own step.
        Rule(route: .apiSettle, scope: .contract, roles: [.financeOfficer]),
        Rule(route: .apiReview, scope: .contract, roles: [.evaluator]),
        Rule(route: .apiApprove, scope: .contract, roles: [.financeOfficer]),
        Rule(route: .apiReject, scope: .contract, roles: [.evaluator, .financeOfficer]),
        Rule(route: .apiIssue, scope: .contract, roles: [.financeOfficer]),
        Rule(route: .apiPay, scope: .contract, roles: [.financeOfficer]),
        Rule(route: .accounts, scope: .administration, roles: [.administrator]),
        Rule(route: .invite, scope: .administration, roles: [.administrator]),
        Rule(route: .grantAuditor, scope: .administration, roles: [.administrator]),
        // The authority's changes, signed in the administrator's browser with the authority's key.
        Rule(route: .organisations, scope: .administration, roles: [.administrator]),
        Rule(route: .organisationPage, scope: .administration, roles: [.administrator]),
        Rule(route: .memberPage, scope: .administration, roles: [.administrator]),
        Rule(route: .keyPage, scope: .administration, roles: [.administrator]),
        Rule(route: .bindingPage, scope: .administration, roles: [.administrator]),
        Rule(route: .revocationPage, scope: .administration, roles: [.administrator]),
        Rule(route: .apiOrganisation, scope: .administration, roles: [.administrator]),
        Rule(route: .apiMember, scope: .administration, roles: [.administrator]),
        Rule(route: .apiKey, scope: .administration, roles: [.administrator]),
        Rule(route: .apiBinding, scope: .administration, roles: [.administrator]),
        Rule(route: .apiRevocation, scope: .administration, roles: [.administrator]),
    ]

    static func rule(_ route: Route) -> Rule {
        guard let rule = table.first(where: { $0.route == route }) else {
            preconditionFailure("route \(route) has no access rule")
        }
        return rule
    }

    /// Whether `viewer` may use a route that concerns no contract.
    static func permits(_ route: Route, _ viewer: Viewer) -> Bool {
        let rule = rule(route)
        switch rule.scope {
        case .signedIn: return true
        case .anyContract: return !viewer.roles.isDisjoint(with: rule.roles)
        case .administration: return viewer.account.administrator
        case .contract, .statement: return false
        }
    }

    /// Whether `viewer` may see `contract` through `route`.
    static func permits(_ route: Route, _ viewer: Viewer, contract: String) -> Bool {
        guard let access = viewer.contracts[contract] else { return false }
        let rule = rule(route)
        return !access.roles.isDisjoint(with: rule.roles.union(rule.ownPayouts))
    }

    /// Whether `viewer` may read `statement` through `route`.
    static func permits(_ route: Route, _ viewer: Viewer, statement: RecordedStatement) -> Bool {
        guard let access = viewer.contracts[statement.contractID] else { return false }
        let rule = rule(route)
        if !access.roles.isDisjoint(with: rule.roles) { return true }
        guard !access.roles.isDisjoint(with: rule.ownPayouts), statement.document == "payout",
            let party = statement.party
        else { return false }
        return access.parties.contains(party)
    }
}

/// The portal's routes: pages and the JSON API.
enum Route: String, CaseIterable, Sendable {
    case home, budget, contract, year, explain, statement, signatures
    case signatureFile = "signature-file"
    case download
    case apiContracts = "api-contracts"
    case apiContract = "api-contract"
    case apiStatement = "api-statement"
    case apiSettle = "api-settle"
    case apiReview = "api-review"
    case apiApprove = "api-approve"
    case apiReject = "api-reject"
    case apiIssue = "api-issue"
    case apiPay = "api-pay"
    case accounts, invite
    case grantAuditor = "grant-auditor"
    case organisations
    case organisationPage = "organisation-page"
    case memberPage = "member-page"
    case keyPage = "key-page"
    case bindingPage = "binding-page"
    case revocationPage = "revocation-page"
    case apiOrganisation = "api-organisation"
    case apiMember = "api-member"
    case apiKey = "api-key"
    case apiBinding = "api-binding"
    case apiRevocation = "api-revocation"

    /// Method and path, with `{contract}` and `{statement}` for the parameters.
    var endpoint: (method: HTTPRequest.Method, path: String) {
        switch self {
        case .home: return (.get, "/")
        case .budget: return (.get, "/budget")
        case .contract: return (.get, "/contracts/{contract}")
        case .year: return (.get, "/contracts/{contract}/years/{year}")
        case .explain: return (.get, "/contracts/{contract}/years/{year}/explain")
        case .statement: return (.get, "/statements/{statement}")
        case .signatures: return (.get, "/statements/{statement}/signatures")
        case .signatureFile: return (.get, "/statements/{statement}/files/0")
        case .download: return (.get, "/statements/{statement}/as/xlsx")
        case .apiContracts: return (.get, "/api/contracts")
        case .apiContract: return (.get, "/api/contracts/{contract}")
        case .apiStatement: return (.get, "/api/statements/{statement}")
        case .apiSettle: return (.post, "/api/contracts/{contract}/years/{year}/settle")
        case .apiReview: return (.post, "/api/contracts/{contract}/years/{year}/review")
        case .apiApprove: return (.post, "/api/contracts/{contract}/years/{year}/approve")
        case .apiReject: return (.post, "/api/contracts/{contract}/years/{year}/reject")
        case .apiIssue: return (.post, "/api/contracts/{contract}/years/{year}/issue")
        case .apiPay: return (.post, "/api/contracts/{contract}/years/{year}/pay")
        case .accounts: return (.get, "/admin/accounts")
        case .invite: return (.post, "/admin/accounts")
        case .grantAuditor: return (.post, "/admin/auditors")
        case .organisations: return (.get, "/admin/organisations")
        case .organisationPage: return (.get, "/admin/organisations/organisation")
        case .memberPage: return (.get, "/admin/organisations/member")
        case .keyPage: return (.get, "/admin/organisations/key")
        case .bindingPage: return (.get, "/admin/organisations/binding")
        case .revocationPage: return (.get, "/admin/organisations/revocation")
        case .apiOrganisation: return (.post, "/api/admin/organisations")
        case .apiMember: return (.post, "/api/admin/members")
        case .apiKey: return (.post, "/api/admin/keys")
        case .apiBinding: return (.post, "/api/admin/bindings")
        case .apiRevocation: return (.post, "/api/admin/revocations")
        }
    }

    var isAPI: Bool { endpoint.path.hasPrefix("/api/") }

    /// What the route answers a request it allows, as the access matrix sends it: a page
    /// (200); after a change with no page of its own, a redirect to one (303); a sign-off
    /// sent without a key (a member's, or the authority's), 400 saying the key is needed.
    var success: HTTPResponse.Status {
        switch self {
        case .grantAuditor: return .seeOther
        case .apiSettle, .apiReview, .apiApprove, .apiReject, .apiIssue, .apiPay, .apiOrganisation, .apiMember, .apiKey,
            .apiBinding, .apiRevocation:
            return .badRequest
        default: return .ok
        }
    }
}
