import Crypto
import Foundation
import PFS
import PFSModel
import SQLKit

/// What the authority can retire.
public enum Revocable: Sendable, Hashable {
    /// A member's key (its id, or the first digits of it).
    case key(String)
    case member(String)
    case organisation(String)
    /// A contract party's binding to its organisation.
    case binding(contract: String, party: String)
}

extension Register {
    /// Who may act for whom now.
    public func trust() async throws(RegisterError) -> TrustState {
        try await read { db in try await self.trust(in: db) }
    }

    /// The trust state from the events that shape it (inside a transaction).
    func trust(in db: any SQLDatabase) async throws -> TrustState {
        TrustState(try await db.events(TrustState.authorityKinds))
    }

    /// Refuses unless `signer` is the register's authority; returns the authority.
    func requireAuthority(_ signer: any EventSigner, _ trust: TrustState) throws -> Authority {
        guard let authority = trust.authority else {
            throw RegisterError.refused(
                "this register was made before organisations and has no authority",
                hint: "upgrade it first: `pfs register upgrade --authority-key NEW-AUTHORITY.pem --register R`")
        }
        guard signer.keyID == authority.keyID else {
            throw RegisterError.refused(
                """
                the key \(signer.keyID.prefix(16)) is not this register's authority (fingerprint \
                \(authority.fingerprint.prefix(16))…)
                """,
                hint: "organisations, members, keys and bindings are added and revoked with the authority's key only")
        }
        return authority
    }

    /// Records an organisation.
    public func addOrganisation(
        _ id: String, kind: OrganisationKind, nameJa: String, nameEn: String, authority signer: any EventSigner
    ) async throws(RegisterError) {
        try Self.requireIdentifier(id, "organisation")
        try Self.requireNames(nameJa, nameEn, "organisation")
        try await write { db in
            let trust = try await self.trust(in: db)
            _ = try self.requireAuthority(signer, trust)
            if trust.organisations[id] != nil {
                throw RegisterError.refused("organisation '\(id)' is already recorded", hint: "ids are never reused")
            }
            let event = try await Event.append(
                .organisationAdded, authority: signer,
                payload: OrganisationAddedPayload(organisation: id, kind: kind.rawValue, nameJa: nameJa, nameEn: nameEn),
                in: db)
            try await db.insert(
                [.organisation(id: id, kind: kind.rawValue, nameJa: nameJa, nameEn: nameEn)], writtenBy: event.seq)
        }
    }

    /// Records a member of an organisation.
    public func addMember(
        _ id: String, organisation: String, nameJa: String, nameEn: String, authority signer: any EventSigner
    ) async throws(RegisterError) {
        try Self.requireIdentifier(id, "member")
        try Self.requireNames(nameJa, nameEn, "member")
        try await write { db in
            let trust = try await self.trust(in: db)
            _ = try self.requireAuthority(signer, trust)
            guard let body = trust.organisations[organisation], body.revoked == nil else {
                throw RegisterError.refused(
                    "organisation '\(organisation)' is \(trust.organisations[organisation] == nil ? "not recorded" : "revoked")",
                    hint: "record it first: `pfs register organisation add \(organisation) --kind K --name-ja … --name-en …`")
            }
            if trust.members[id] != nil {
                throw RegisterError.refused("member '\(id)' is already recorded", hint: "ids are never reused")
            }
            let event = try await Event.append(
                .memberAdded, authority: signer,
                payload: MemberAddedPayload(member: id, organisation: organisation, nameJa: nameJa, nameEn: nameEn),
                in: db)
            try await db.insert(
                [.member(id: id, organisation: organisation, nameJa: nameJa, nameEn: nameEn)], writtenBy: event.seq)
        }
    }

    /// Records a member's public key with the authority's certificate of it; returns the key id.
    public func addKey(
        member memberID: String, publicKeyPEM: String, authority signer: any EventSigner, comment: String? = nil
    ) async throws(RegisterError) -> String {
        let key: Curve25519.Signing.PublicKey
        do {
            key = try SigningKeys.publicKey(pem: publicKeyPEM)
        } catch {
            throw .input("the public key file \(error)")
        }
        let keyID = SigningKeys.keyID(key)
        let pem = SigningKeys.pem(key)
        return try await write { db in
            let trust = try await self.trust(in: db)
            let authority = try self.requireAuthority(signer, trust)
            guard let member = trust.members[memberID], member.revoked == nil,
                let organisation = trust.organisations[member.organisation], organisation.revoked == nil
            else {
                throw RegisterError.refused(
                    "member '\(memberID)' is not recorded, or it or its organisation was revoked",
                    hint: "`pfs register organisation list` shows the organisations and their members")
            }
            if trust.keys[keyID] != nil || keyID == authority.keyID {
                throw RegisterError.refused(
                    "key \(keyID.prefix(16)) is already registered",
                    hint: "a key belongs to one member; generate a new one with `pfs key generate --out FILE`")
            }
            let certificate = Certificates.key(
                keyID: keyID, publicKeyPEM: pem, member: member, organisation: organisation,
                authority: authority.fingerprint)
            let event = try await Event.append(
                .keyAdded, authority: signer, comment: comment,
                payload: KeyAddedPayload(
                    keyId: keyID, member: memberID, organisation: organisation.id, publicKey: pem,
                    publicKeySHA256: sha256Hex(Array(pem.utf8)), certificate: certificate,
                    certificateSignature: try Self.sign(certificate, signer)),
                in: db)
            try await db.insert(
                [.key(id: keyID, party: organisation.id, publicKey: pem, member: memberID)], writtenBy: event.seq)
            return keyID
        }
    }

    /// Binds a contract's party to an organisation, in the role the contract gives the party.
    public func bind(
        _ contract: Contract, party: String, organisation organisationID: String, authority signer: any EventSigner
    ) async throws(RegisterError) {
        guard let declared = contract.parties.first(where: { $0.id == party }) else {
            throw .refused(
                "party '\(party)' is not a party of contract '\(contract.id)'",
                hint: "its parties: " + contract.parties.map(\.id).joined(separator: ", "))
        }
        try await write { db in
            let trust = try await self.trust(in: db)
            let authority = try self.requireAuthority(signer, trust)
            guard let organisation = trust.organisations[organisationID], organisation.revoked == nil else {
                throw RegisterError.refused(
                    "organisation '\(organisationID)' is \(trust.organisations[organisationID] == nil ? "not recorded" : "revoked")",
                    hint: "`pfs register organisation list` shows the organisations")
            }
            if let bound = trust.binding(contract.id, party) {
                throw RegisterError.refused(
                    "party '\(party)' of contract '\(contract.id)' is already bound to organisation '\(bound.organisation)'",
                    hint: bound.organisation == organisationID
                        ? "nothing to do"
                        : "end that binding first: `pfs register revoke --binding \(contract.id)/\(party) --reason …`")
            }
            let certificate = Certificates.binding(
                contract: contract.id, party: party, role: declared.role.rawValue, organisation: organisation,
                authority: authority.fingerprint)
            let id = try await db.nextID("bindings")
            let event = try await Event.append(
                .bindingAdded, contract: contract.id, authority: signer,
                payload: BindingAddedPayload(
                    binding: id, contract: contract.id, party: party, role: declared.role.rawValue,
                    organisation: organisationID, certificate: certificate,
                    certificateSignature: try Self.sign(certificate, signer)), in: db)
            try await db.insert(
                [
                    .binding(
                        id: id, contract: contract.id, party: party, role: declared.role.rawValue,
                        organisation: organisationID)
                ], writtenBy: event.seq)
        }
    }

    /// Retires a key, a member, an organisation or a binding: what it signed before stays
    /// valid; from this event on it acts no more.
    public func revoke(_ subject: Revocable, reason: String, authority signer: any EventSigner) async throws(RegisterError) {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .input("the reason is empty: say why it is revoked")
        }
        try await write { db in
            let trust = try await self.trust(in: db)
            _ = try self.requireAuthority(signer, trust)
            let kind: EventKind
            var payload: RevokedPayload
            var contract: String? = nil
            switch subject {
            case .key(let prefix):
                let matches = trust.keys.keys.filter { $0.hasPrefix(prefix.lowercased()) }
                guard matches.count == 1, let keyID = matches.first, let key = trust.keys[keyID] else {
                    throw RegisterError.refused(
                        matches.isEmpty ? "no key \(prefix) in the register" : "\(prefix) names several keys",
                        hint: "`pfs key list` lists the registered keys")
                }
                if key.revoked != nil {
                    throw RegisterError.refused("key \(keyID.prefix(16)) is already revoked", hint: "nothing to do")
                }
                kind = .keyRevoked
                payload = RevokedPayload(keyId: keyID)
            case .member(let id):
                guard let member = trust.members[id] else {
                    throw RegisterError.refused("no member '\(id)' in the register", hint: "`pfs register organisation list`")
                }
                if member.revoked != nil { throw RegisterError.refused("member '\(id)' is already revoked", hint: "nothing to do") }
                kind = .memberRevoked
                payload = RevokedPayload(member: id)
            case .organisation(let id):
                guard let organisation = trust.organisations[id] else {
                    throw RegisterError.refused(
                        "no organisation '\(id)' in the register", hint: "`pfs register organisation list`")
                }
                if organisation.revoked != nil {
                    throw RegisterError.refused("organisation '\(id)' is already revoked", hint: "nothing to do")
                }
                kind = .organisationRevoked
                payload = RevokedPayload(organisation: id)
            case .binding(let contractID, let party):
                guard trust.binding(contractID, party) != nil else {
                    throw RegisterError.refused(
                        "party '\(party)' of contract '\(contractID)' is bound to no organisation", hint: "nothing to do")
                }
                kind = .bindingRevoked
                contract = contractID
                payload = RevokedPayload(contract: contractID, party: party)
            }
            _ = try await Event.append(kind, contract: contract, authority: signer, comment: reason, payload: payload, in: db)
        }
    }

    /// The authority's signature of a certificate's text, base64 (made here with its key file,
    /// or in the administrator's browser).
    static func sign(_ text: String, _ signer: any EventSigner) throws(RegisterError) -> String {
        Data(try signer.signature(of: Array(text.utf8), for: .certificate)).base64EncodedString()
    }

    /// Statements and pages name an organisation or a member in both languages.
    static func requireNames(_ nameJa: String, _ nameEn: String, _ what: String) throws(RegisterError) {
        for (name, language) in [(nameJa, "Japanese"), (nameEn, "English")]
        where name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .input("the \(what)'s name is empty in \(language): give it in Japanese and in English")
        }
    }

    static func requireIdentifier(_ id: String, _ what: String) throws(RegisterError) {
        guard id.isContractIdentifier else {
            throw .input(
                "the \(what) id '\(id.printable())' is not an id: letters, digits, '.', '_' and '-', starting with a letter")
        }
    }
}

/// One line of an upgrade's mapping: a recorded contract's party and the organisation it is.
public struct PartyMapping: Sendable, Hashable {
    public let contract: String
    public let party: String
    public let organisation: String
    public let kind: OrganisationKind
    public let nameJa: String
    public let nameEn: String

    public init(
        contract: String, party: String, organisation: String, kind: OrganisationKind, nameJa: String, nameEn: String
    ) {
        self.contract = contract
        self.party = party
        self.organisation = organisation
        self.kind = kind
        self.nameJa = nameJa
        self.nameEn = nameEn
    }

    /// Reads `contract,party,organisation,kind,name_ja,name_en` lines (a header line first).
    public static func parse(_ text: String) -> Result<[PartyMapping], RegisterError> {
        var mappings: [PartyMapping] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated().dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count == 6, let kind = OrganisationKind(rawValue: cells[3]) else {
                return .failure(
                    .input(
                        """
                        line \(index + 1) of the mapping is not contract,party,organisation,kind,name_ja,name_en with \
                        a kind of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))
                        """))
            }
            mappings.append(
                PartyMapping(
                    contract: cells[0], party: cells[1], organisation: cells[2], kind: kind, nameJa: cells[4],
                    nameEn: cells[5]))
        }
        return .success(mappings)
    }
}

extension Register {
    /// Upgrades a register made before organisations: adds their tables and `authority`,
    /// re-signs nothing (the events before stay as they were, made under the old model, and
    /// `register verify` says so), then records the organisations and bindings `mappings`
    /// name, checked against the contracts the register holds before anything is written.
    /// Returns the number of the last event of the old model.
    public func upgrade(authority: Signer, mappings: [PartyMapping]) async throws(RegisterError) -> Int {
        var contracts: [String: Contract] = [:]
        for mapping in mappings where contracts[mapping.contract] == nil {
            guard let contract = try await recordedContract(mapping.contract) else {
                throw .input("the mapping names contract '\(mapping.contract)', which the register does not hold")
            }
            contracts[mapping.contract] = contract
        }
        for mapping in mappings where !(contracts[mapping.contract]?.parties.contains { $0.id == mapping.party } ?? false) {
            throw .input("the mapping names party '\(mapping.party)', which contract '\(mapping.contract)' does not have")
        }
        let oldModelThrough = try await write { db in
            let version = try await self.schemaVersion(db)
            guard version < Schema.version else {
                throw RegisterError.refused(
                    "this register already has organisations and an authority", hint: "nothing to upgrade")
            }
            var applied: [MigrationRecord] = []
            for migration in Schema.migrations where migration.version > version {
                try await migration.apply(db, self.store.backend)
                applied.append(try await self.recordMigration(migration, in: db))
            }
            let head = try await Event.head(db)?.seq ?? 0
            _ = try await Event.append(
                .registerUpgraded, authority: authority,
                payload: RegisterOpened(
                    engine: self.engine, authority: authority.publicKeyPEM, authorityFingerprint: authority.fingerprint,
                    migrations: applied, oldModelThrough: head), in: db)
            return head
        }
        var added: Set<String> = []
        for mapping in mappings {
            if !added.contains(mapping.organisation), try await trust().organisations[mapping.organisation] == nil {
                try await addOrganisation(
                    mapping.organisation, kind: mapping.kind, nameJa: mapping.nameJa, nameEn: mapping.nameEn,
                    authority: authority)
            }
            added.insert(mapping.organisation)
            if let contract = contracts[mapping.contract] {
                try await bind(contract, party: mapping.party, organisation: mapping.organisation, authority: authority)
            }
        }
        return oldModelThrough
    }

    /// The newest version of a contract the register holds, as a model.
    func recordedContract(_ id: String) async throws(RegisterError) -> Contract? {
        let version = try await read { db in try await db.newestContractVersion(of: id) }
        return version.flatMap { PFS.check(bytes: $0.bytes, file: $0.fileName).contract }
    }
}
