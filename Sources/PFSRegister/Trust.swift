import Crypto
import Foundation
import PFSModel

/// What kind of body an organisation is (for people reading the register; what it may do
/// comes from the contract parties it is bound to, never from its kind).
public enum OrganisationKind: String, Sendable, CaseIterable, Codable {
    /// A city, prefecture or ministry (委託者).
    case publicBody = "public-body"
    /// A service provider (受託者).
    case provider
    /// A third-party evaluation firm (第三者評価機関).
    case evaluationFirm = "evaluation-firm"
    /// An investor in a social impact bond.
    case investor
    /// An intermediary of a social impact bond (中間支援組織).
    case intermediary
}

/// An organisation recorded in the register.
public struct Organisation: Sendable, Hashable {
    public let id: String
    public let kind: OrganisationKind
    public let nameJa: String
    public let nameEn: String
    /// The event that added it, and the one that revoked it.
    public let added: Int
    public var revoked: Int?
}

/// A person acting for an organisation.
public struct Member: Sendable, Hashable {
    public let id: String
    public let organisation: String
    public let nameJa: String
    public let nameEn: String
    public let added: Int
    public var revoked: Int?
}

/// A public key the register knows: a member's (since organisations exist), or one
/// registered for a contract party id before them (the old model, which no longer acts).
public struct KnownKey: Sendable, Hashable {
    public let keyID: String
    /// The member whose key it is; nil for a key of the old model.
    public let member: String?
    /// The member's organisation, or (old model) the party id it was registered for.
    public let holder: String
    /// PEM SubjectPublicKeyInfo, when the event recorded it (member keys do).
    public let publicKeyPEM: String?
    /// The authority's certificate of the key (text ending in the PEM), and its signature.
    public let certificate: String?
    public let certificateSignature: String?
    public let added: Int
    public var revoked: Int?
}

/// A contract party bound to an organisation, in the role the contract gave the party.
public struct Binding: Sendable, Hashable {
    public let contract: String
    public let party: String
    public let role: String
    public let organisation: String
    /// The authority's certificate of the binding, and its signature.
    public let certificate: String
    public let certificateSignature: String
    public let added: Int
    public var revoked: Int?
}

/// The register's authority: the key every organisation, member, key and binding event is
/// signed with, kept offline by whoever administers the register.
public struct Authority: Sendable, Hashable {
    public let keyID: String
    public let publicKeyPEM: String
    /// SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex:
    /// `openssl pkey -pubin -in authority.pem -outform DER | openssl dgst -sha256`.
    public let fingerprint: String
    /// The event that made it (register-created or register-upgraded).
    public let since: Int
}

/// Who may act for whom at a point of the history, folded from the events: the one place
/// a command's authority and `register verify`'s replay of it are decided.
public struct TrustState: Sendable {
    public private(set) var authority: Authority?
    public private(set) var organisations: [String: Organisation] = [:]
    public private(set) var members: [String: Member] = [:]
    public private(set) var keys: [String: KnownKey] = [:]
    /// Every binding ever made, oldest first.
    public private(set) var bindings: [Binding] = []
    /// Events up to this one were made before organisations and the authority (the old model).
    public private(set) var oldModelThrough: Int = 0

    /// The kinds an authority signs.
    static let authorityKinds: Set<EventKind> = [
        .registerCreated, .registerUpgraded, .organisationAdded, .organisationRevoked, .memberAdded, .memberRevoked,
        .keyAdded, .keyRevoked, .bindingAdded, .bindingRevoked,
    ]

    /// The state after `events`, in order.
    public init(_ events: [Event] = []) {
        for event in events { apply(event) }
    }

    /// Whether `event` was made under the old model (no organisations, no authority).
    public func isOldModel(_ event: Event) -> Bool { event.seq <= oldModelThrough }

    /// The binding of a contract's party in force.
    public func binding(_ contract: String, _ party: String) -> Binding? {
        bindings.last { $0.contract == contract && $0.party == party && $0.revoked == nil }
    }

    /// The binding of a contract's party in force at event `seq`.
    public func binding(_ contract: String, _ party: String, at seq: Int) -> Binding? {
        bindings.last {
            $0.contract == contract && $0.party == party && $0.added < seq && ($0.revoked.map { $0 > seq } ?? true)
        }
    }

    /// Events that claim an authority's act but are not signed by the authority: ignored
    /// (whoever wrote them into the database, they grant nothing); `register verify` reports them.
    public private(set) var unauthorised: [Int] = []

    /// Takes one event into the state (events it does not concern leave it unchanged). Once
    /// the register has an authority, an organisation, member, key or binding event counts
    /// only when the authority signed it.
    public mutating func apply(_ event: Event) {
        guard let kind = EventKind(rawValue: event.kind), let payload = EventPayload(event) else { return }
        if let authority, Self.authorityKinds.contains(kind), kind != .registerCreated, kind != .registerUpgraded {
            guard event.keyId == authority.keyID, let key = try? SigningKeys.publicKey(pem: authority.publicKeyPEM),
                let signature = event.signature.flatMap({ Data(base64Encoded: $0) }),
                SigningKeys.isValid(Array(signature), of: event.signedBytes, by: key)
            else {
                unauthorised.append(event.seq)
                return
            }
        }
        // A register has one authority: a second claim to it is ignored like any forgery.
        if authority != nil, kind == .registerCreated || kind == .registerUpgraded {
            unauthorised.append(event.seq)
            return
        }
        switch payload {
        case .opened(let opened):
            guard let pem = opened.authority, let key = try? SigningKeys.publicKey(pem: pem) else { return }
            authority = Authority(
                keyID: SigningKeys.keyID(key), publicKeyPEM: pem, fingerprint: SigningKeys.fingerprint(key),
                since: event.seq)
            if kind == .registerUpgraded { oldModelThrough = event.seq - 1 }
        case .organisationAdded(let added):
            guard let organisationKind = OrganisationKind(rawValue: added.kind) else { return }
            organisations[added.organisation] = Organisation(
                id: added.organisation, kind: organisationKind, nameJa: added.nameJa, nameEn: added.nameEn,
                added: event.seq)
        case .memberAdded(let added):
            members[added.member] = Member(
                id: added.member, organisation: added.organisation, nameJa: added.nameJa, nameEn: added.nameEn,
                added: event.seq)
        case .keyAdded(let added):
            keys[added.keyId] = KnownKey(
                keyID: added.keyId, member: added.member,
                holder: added.member.flatMap { members[$0]?.organisation } ?? added.party ?? "",
                publicKeyPEM: added.publicKey, certificate: added.certificate,
                certificateSignature: added.certificateSignature, added: event.seq)
        case .bindingAdded(let added):
            bindings.append(
                Binding(
                    contract: added.contract, party: added.party, role: added.role, organisation: added.organisation,
                    certificate: added.certificate, certificateSignature: added.certificateSignature, added: event.seq))
        case .revoked(let revoked):
            switch kind {
            case .keyRevoked:
                if let id = revoked.keyId, keys[id]?.revoked == nil { keys[id]?.revoked = event.seq }
            case .memberRevoked:
                if let id = revoked.member, members[id]?.revoked == nil { members[id]?.revoked = event.seq }
            case .organisationRevoked:
                if let id = revoked.organisation, organisations[id]?.revoked == nil {
                    organisations[id]?.revoked = event.seq
                }
            default:
                if let contract = revoked.contract, let party = revoked.party,
                    let index = bindings.lastIndex(where: {
                        $0.contract == contract && $0.party == party && $0.revoked == nil
                    })
                {
                    bindings[index].revoked = event.seq
                }
            }
        case .settled, .signedOff, .rejected, .issued, .paid, .corrected, .access:
            break
        }
    }

    /// Why a key may not act now, or nil when its chain leads to the authority: the key is a
    /// member's, added by the authority, and neither it, its member nor its organisation
    /// was revoked.
    public func chainProblem(_ keyID: String) -> String? {
        let short = keyID.prefix(16)
        guard authority != nil else {
            return "the register has no authority (it was made before organisations): upgrade it with `pfs register upgrade`"
        }
        guard let key = keys[keyID] else { return "the key \(short) is not registered" }
        guard let memberID = key.member else {
            return """
                the key \(short) was registered for party '\(key.holder)' before organisations existed; such a key \
                no longer acts
                """
        }
        if key.revoked != nil { return "the key \(short) of member '\(memberID)' was revoked" }
        guard let member = members[memberID] else { return "the key \(short) names a member the register does not hold" }
        if member.revoked != nil { return "member '\(memberID)' (key \(short)) was revoked" }
        guard let organisation = organisations[member.organisation] else {
            return "member '\(memberID)' names an organisation the register does not hold"
        }
        if organisation.revoked != nil { return "organisation '\(organisation.id)' was revoked" }
        return nil
    }

    /// The contract party `keyID` acts for in `role`: the one party of that role bound to the
    /// key's organisation (or `party`, when given and so bound).
    func actingParty(
        keyID: String, contract: Contract, role: PartyRole, party: String?, verb: String
    ) -> Result<(party: String, member: String, organisation: String), RegisterError> {
        let howToGetOne = """
            the register's administrator adds a member's key with the authority: `pfs key add --member M --public \
            KEY.pub --authority-key AUTHORITY.pem`
            """
        if let problem = chainProblem(keyID) { return .failure(.refused(problem, hint: howToGetOne)) }
        guard let key = keys[keyID], let member = key.member else {
            return .failure(.refused("the key \(keyID.prefix(16)) is not registered", hint: howToGetOne))
        }
        let organisation = key.holder
        let ofRole = contract.parties.filter { $0.role == role }
        let unbound = ofRole.filter { binding(contract.id, $0.id) == nil }.map(\.id)
        let mine = contract.parties.filter { binding(contract.id, $0.id)?.organisation == organisation }
        let candidates = mine.filter { $0.role == role && binding(contract.id, $0.id)?.role == role.rawValue }
        let bindHint = """
            the register's administrator binds a contract's parties to organisations with the authority: `pfs \
            register bind CONTRACT.xml --party PARTY=ORGANISATION --authority-key AUTHORITY.pem`
            """
        if let party {
            guard let declared = contract.parties.first(where: { $0.id == party }) else {
                return .failure(
                    .refused(
                        "party '\(party)' is not a party of contract '\(contract.id)'",
                        hint: "the contract's \(role.rawValue) parties: " + ofRole.map(\.id).joined(separator: ", ")))
            }
            guard declared.role == role else {
                return .failure(
                    .refused(
                        """
                        party '\(party)' is \(declared.role.rawValue) in contract '\(contract.id)'; only the \
                        \(role.rawValue) may \(verb)
                        """,
                        hint: "the contract's \(role.rawValue) parties: " + ofRole.map(\.id).joined(separator: ", ")))
            }
            guard candidates.contains(where: { $0.id == party }) else {
                return .failure(refusal(party: party, contract: contract, organisation: organisation, member: member, hint: bindHint))
            }
            return .success((party, member, organisation))
        }
        switch candidates.count {
        case 1: return .success((candidates[0].id, member, organisation))
        case 0:
            if let other = mine.first {
                return .failure(
                    .refused(
                        """
                        organisation '\(organisation)' (member '\(member)', key \(keyID.prefix(16))) is party \
                        '\(other.id)' of contract '\(contract.id)', which is \(other.role.rawValue); only the \
                        \(role.rawValue) may \(verb)
                        """,
                        hint: "sign with the key of a member of the organisation bound to the contract's \(role.rawValue)"))
            }
            if !unbound.isEmpty {
                return .failure(
                    .refused(
                        """
                        the \(role.rawValue) part\(unbound.count == 1 ? "y" : "ies") \
                        \(unbound.map { "'\($0)'" }.joined(separator: ", ")) of contract '\(contract.id)' \
                        \(unbound.count == 1 ? "is" : "are") bound to no organisation
                        """,
                        hint: bindHint))
            }
            let bound = ofRole.compactMap { binding(contract.id, $0.id).map { "'\($0.party)' → '\($0.organisation)'" } }
            return .failure(
                .refused(
                    """
                    organisation '\(organisation)' (member '\(member)', key \(keyID.prefix(16))) is not a party of \
                    contract '\(contract.id)'; its \(role.rawValue) is \(bound.joined(separator: ", "))
                    """,
                    hint: "a key acts only for the parties its organisation is bound to"))
        default:
            return .failure(
                .refused(
                    """
                    organisation '\(organisation)' is bound to several \(role.rawValue) parties of contract \
                    '\(contract.id)' (\(candidates.map(\.id).joined(separator: ", ")))
                    """,
                    hint: "say which with --party"))
        }
    }

    private func refusal(
        party: String, contract: Contract, organisation: String, member: String, hint: String
    ) -> RegisterError {
        guard let bound = binding(contract.id, party) else {
            return .refused("party '\(party)' of contract '\(contract.id)' is bound to no organisation", hint: hint)
        }
        return .refused(
            """
            party '\(party)' of contract '\(contract.id)' is organisation '\(bound.organisation)', not \
            '\(organisation)' (member '\(member)')
            """,
            hint: "a key acts only for the parties its organisation is bound to")
    }
}

/// The texts the authority signs for OpenSSL to check without pfs: a key certificate (the
/// key is a member's of an organisation) and a binding certificate (an organisation is a
/// contract's party in a role). A key certificate ends in the key's PEM block, so the file
/// is itself what `openssl pkeyutl -verify -pubin -inkey` reads (text before a PEM block is
/// skipped).
public enum Certificates {
    /// The key certificate's text.
    public static func key(
        keyID: String, publicKeyPEM: String, member: Member, organisation: Organisation, authority: String
    ) -> String {
        """
        pfs key certificate
        key: \(keyID)
        member: \(member.id) (\(member.nameJa) / \(member.nameEn))
        organisation: \(organisation.id) (\(organisation.nameJa) / \(organisation.nameEn))
        authority: \(authority)

        """ + publicKeyPEM
    }

    /// The binding certificate's text.
    public static func binding(
        contract: String, party: String, role: String, organisation: Organisation, authority: String
    ) -> String {
        """
        pfs party binding
        contract: \(contract)
        party: \(party)
        role: \(role)
        organisation: \(organisation.id) (\(organisation.nameJa) / \(organisation.nameEn))
        authority: \(authority)

        """
    }

    /// The value of a `name: value` line of a certificate.
    public static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ": ") {
            return String(line.dropFirst(name.count + 2))
        }
        return nil
    }

    /// The id at the start of a field (`city-maebashi (前橋市 / Maebashi)` → `city-maebashi`).
    public static func id(_ name: String, in text: String) -> String? {
        field(name, in: text).map { String($0.prefix { $0 != " " }) }
    }
}
