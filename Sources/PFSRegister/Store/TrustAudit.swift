import Foundation
import PFSModel
import SQLKit

/// The parts of `register verify` that replay who could act: each event's signature against
/// the chain to the authority as it stood then, and the tables of organisations, members,
/// keys, bindings, signatures and migrations, and the append-only triggers, against the
/// events that wrote them.
extension Register {
    /// What is wrong with an event's signature, given who could act just before it.
    static func signatureProblems(
        _ event: Event, trust: TrustState, tableKeys: [String: (party: String, pem: String, seq: Int)]
    ) -> [String] {
        guard let kind = EventKind(rawValue: event.kind) else {
            return ["its kind '\(event.kind.printable())' is not one pfs records"]
        }
        let payload = EventPayload(event)
        if EventKind.access.contains(kind) {
            // A record of access acts for no one: a signature or a contract on it would claim authority.
            return event.keyId == nil && event.signature == nil && event.contractId == nil
                ? [] : ["a record of portal access that claims a signer or a contract"]
        }
        func verifies(_ pem: String?) -> Bool {
            guard let pem, let key = try? SigningKeys.publicKey(pem: pem),
                let signature = event.signature.flatMap({ Data(base64Encoded: $0) })
            else { return false }
            return SigningKeys.isValid(Array(signature), of: event.signedBytes, by: key)
        }
        // The event that makes the authority is signed with it.
        if case .opened(let opened) = payload, let pem = opened.authority {
            if let earlier = trust.authority {
                return ["names a second authority (the register's was made at event \(earlier.since))"]
            }
            guard let key = try? SigningKeys.publicKey(pem: pem), event.keyId == SigningKeys.keyID(key), verifies(pem)
            else { return ["is not signed by the authority it names"] }
            return []
        }
        guard let authority = trust.authority else {
            // The old model: a signed event is checked against the key then registered for its party.
            if kind == .registerUpgraded { return ["names no authority"] }
            guard let keyID = event.keyId else { return [] }
            guard let key = tableKeys[keyID], let publicKey = try? SigningKeys.publicKey(pem: key.pem) else {
                return ["signed by key \(keyID.prefix(16)), which the register does not hold"]
            }
            var problems: [String] = []
            if key.party != event.party {
                problems.append("signed by a key of '\(key.party)' for party '\(event.party ?? "")'")
            }
            let signature = event.signature.flatMap { Data(base64Encoded: $0) } ?? Data()
            if !SigningKeys.isValid(Array(signature), of: event.signedBytes, by: publicKey) {
                problems.append("its signature does not verify with key \(keyID.prefix(16))")
            }
            return problems
        }
        if TrustState.authorityKinds.contains(kind) {
            guard event.keyId == authority.keyID, verifies(authority.publicKeyPEM) else {
                return ["is not signed by the register's authority: only the authority adds and revokes"]
            }
            return certificateProblems(kind, payload, trust: trust, authority: authority)
        }
        // A member's action: signed by a key whose chain leads to the authority, for a party
        // the key's organisation was bound to then, in that party's role.
        guard let keyID = event.keyId else { return ["an unsigned change: no member's key signed it"] }
        if let problem = trust.chainProblem(keyID) {
            return ["signed by a key whose chain does not lead to the authority: \(problem)"]
        }
        guard let key = trust.keys[keyID] else { return [] }
        var problems: [String] = []
        if !verifies(key.publicKeyPEM) { problems.append("its signature does not verify with key \(keyID.prefix(16))") }
        let actor = payload?.actor
        if actor?.member != key.member || actor?.organisation != key.holder {
            problems.append("the member and organisation it names are not those of key \(keyID.prefix(16))")
        }
        guard let contract = event.contractId, let party = event.party else {
            return problems + ["names no contract party"]
        }
        let binding = trust.binding(contract, party)
        if binding?.organisation != key.holder {
            problems.append(
                "signed by organisation '\(key.holder)' for party '\(party)' of '\(contract)', which it was not bound to")
        } else if binding?.role != event.role {
            problems.append("party '\(party)' was bound as \(binding?.role ?? "nothing"), not \(event.role ?? "nothing")")
        }
        if let role = event.role, !Duty.roles(of: kind).contains(role) {
            problems.append("a \(kind.rawValue) event made as \(role)")
        }
        return problems
    }

    /// A key or binding certificate that is not the authority's, or not of what the event records.
    private static func certificateProblems(
        _ kind: EventKind, _ payload: EventPayload?, trust: TrustState, authority: Authority
    ) -> [String] {
        guard kind == .keyAdded || kind == .bindingAdded else { return [] }
        var certified: (certificate: String, signature: String)?
        switch payload {
        case .keyAdded(let added):
            if let certificate = added.certificate, let signature = added.certificateSignature {
                certified = (certificate, signature)
            }
        case .bindingAdded(let added): certified = (added.certificate, added.certificateSignature)
        default: break
        }
        guard let certified, let signature = Data(base64Encoded: certified.signature),
            let authorityKey = try? SigningKeys.publicKey(pem: authority.publicKeyPEM),
            SigningKeys.isValid(Array(signature), of: Array(certified.certificate.utf8), by: authorityKey)
        else { return ["its certificate is not signed by the authority"] }
        let expected: String?
        switch payload {
        case .keyAdded(let added):
            let member = added.member.flatMap { trust.members[$0] }
            guard let member, let organisation = trust.organisations[member.organisation],
                added.organisation == organisation.id, let pem = added.publicKey,
                let key = try? SigningKeys.publicKey(pem: pem), added.keyId == SigningKeys.keyID(key)
            else { return ["the key, member or organisation it records does not agree with the history"] }
            expected = Certificates.key(
                keyID: SigningKeys.keyID(key), publicKeyPEM: pem, member: member, organisation: organisation,
                authority: authority.fingerprint)
        case .bindingAdded(let added):
            expected = trust.organisations[added.organisation].map { organisation in
                Certificates.binding(
                    contract: added.contract, party: added.party, role: added.role, organisation: organisation,
                    authority: authority.fingerprint)
            }
        default: expected = nil
        }
        return expected == certified.certificate ? [] : ["its certificate does not say what the event records"]
    }

    /// The organisations, members, bindings, member keys and signatures rows against the events.
    func checkTrustRows(_ db: any SQLDatabase, events: [Event]) async throws -> [Tampering] {
        var findings: [Tampering] = []
        let bySeq = Dictionary(events.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        // The payload of the event that wrote a row (its kind is checked by the case matched).
        func payload(_ seq: Int) -> EventPayload? { bySeq[seq].flatMap(EventPayload.init) }
        // Signatures: each signed statement of a review or approval has its row, as the event says.
        var signatureRows: [String: (key: String, party: String, role: String, signature: String)] = [:]
        for row in try await db.select().columns("id", "event_seq", "statement_id", "key_id", "party", "role", "signature")
            .from("signatures").all()
        {
            let seq = try row.decode(column: "event_seq", as: Int.self)
            let statement = try row.decode(column: "statement_id", as: Int.self)
            let id = try row.decode(column: "id", as: Int.self)
            let values = (
                try row.decode(column: "key_id", as: String.self), try row.decode(column: "party", as: String.self),
                try row.decode(column: "role", as: String.self), try row.decode(column: "signature", as: String.self)
            )
            signatureRows["\(seq)/\(statement)"] = values
            if let event = bySeq[seq], values.0 != event.keyId || values.1 != event.party || values.2 != event.role {
                findings.append(
                    Tampering(
                        subject: "signatures row \(id)",
                        finding: "its key, party or role is not that of event \(seq), which made it"))
            }
        }
        for event in events where event.kind == EventKind.reviewed.rawValue || event.kind == EventKind.approved.rawValue {
            guard case .signedOff(let signedOff) = EventPayload(event) else { continue }
            for statement in signedOff.signatures.map(\.statement) {
                if signatureRows["\(event.seq)/\(statement)"] == nil {
                    findings.append(
                        Tampering(
                            subject: "signatures of event \(event.seq) (\(event.kind))",
                            finding: "the signature of statement \(statement) is recorded but its row is missing: deleted"))
                }
            }
        }
        guard try await schemaVersion(db) >= 2 else { return findings }
        // Organisations, members and bindings: each row as its event recorded it, none missing.
        var organisationRows: Set<String> = []
        for row in try await db.select().column("*").from("organisations").all() {
            let id = try row.decode(column: "id", as: String.self)
            organisationRows.insert(id)
            guard case .organisationAdded(let added) = payload(try row.decode(column: "event_seq", as: Int.self)),
                try added.organisation == id && added.kind == row.decode(column: "kind", as: String.self)
                    && added.nameJa == row.decode(column: "name_ja", as: String.self)
                    && added.nameEn == row.decode(column: "name_en", as: String.self)
            else {
                findings.append(
                    Tampering(subject: "organisations row \(id)", finding: "it is not what the event that added it records"))
                continue
            }
        }
        var memberRows: Set<String> = []
        for row in try await db.select().column("*").from("members").all() {
            let id = try row.decode(column: "id", as: String.self)
            memberRows.insert(id)
            guard case .memberAdded(let added) = payload(try row.decode(column: "event_seq", as: Int.self)),
                try added.member == id && added.organisation == row.decode(column: "organisation", as: String.self)
                    && added.nameJa == row.decode(column: "name_ja", as: String.self)
                    && added.nameEn == row.decode(column: "name_en", as: String.self)
            else {
                findings.append(Tampering(subject: "members row \(id)", finding: "it is not what the event that added it records"))
                continue
            }
        }
        for event in events {
            switch EventPayload(event) {
            case .organisationAdded(let added) where !organisationRows.contains(added.organisation):
                findings.append(
                    Tampering(
                        subject: "organisations row \(added.organisation)",
                        finding: "added by event \(event.seq) but missing: deleted"))
            case .memberAdded(let added) where !memberRows.contains(added.member):
                findings.append(
                    Tampering(subject: "members row \(added.member)", finding: "added by event \(event.seq) but missing: deleted"))
            default: break
            }
        }
        var boundRows: Set<Int> = []
        for row in try await db.select().column("*").from("bindings").all() {
            let id = try row.decode(column: "id", as: Int.self)
            boundRows.insert(id)
            guard case .bindingAdded(let bound) = payload(try row.decode(column: "event_seq", as: Int.self)),
                try bound.binding == id && bound.contract == row.decode(column: "contract_id", as: String.self)
                    && bound.party == row.decode(column: "party", as: String.self)
                    && bound.role == row.decode(column: "role", as: String.self)
                    && bound.organisation == row.decode(column: "organisation", as: String.self)
            else {
                findings.append(Tampering(subject: "bindings row \(id)", finding: "it is not what the event that bound it records"))
                continue
            }
        }
        for event in events {
            if case .bindingAdded(let bound) = EventPayload(event), !boundRows.contains(bound.binding) {
                findings.append(
                    Tampering(subject: "bindings row \(bound.binding)", finding: "bound by event \(event.seq) but missing: deleted"))
            }
        }
        // Member keys: the row's member and organisation are the event's.
        var keyRows: Set<String> = []
        for row in try await db.select().columns("key_id", "event_seq", "party", "member", "public_key").from("signing_keys").all() {
            let keyID = try row.decode(column: "key_id", as: String.self)
            keyRows.insert(keyID)
            guard let member = try row.decode(column: "member", as: String?.self) else { continue }
            var recorded: KeyAddedPayload?
            if case .keyAdded(let added) = payload(try row.decode(column: "event_seq", as: Int.self)) { recorded = added }
            if try recorded?.member != member || recorded?.organisation != row.decode(column: "party", as: String.self)
                || recorded?.publicKey != row.decode(column: "public_key", as: String.self)
            {
                findings.append(
                    Tampering(subject: "signing_keys row \(keyID.prefix(16))", finding: "its member, organisation or key is not the one recorded"))
            }
        }
        for event in events {
            if case .keyAdded(let added) = EventPayload(event), case let keyID = added.keyId, !keyRows.contains(keyID) {
                findings.append(
                    Tampering(subject: "signing_keys row \(keyID.prefix(16))", finding: "added by event \(event.seq) but missing: deleted"))
            }
        }
        return findings
    }

    /// The migrations rows against the events that applied them, and against what this pfs knows.
    func checkMigrations(_ db: any SQLDatabase, events: [Event]) async throws -> [Tampering] {
        var findings: [Tampering] = []
        var recorded: [Int: MigrationRecord] = [:]
        var createdRecordsMigrations = false
        for event in events {
            guard case .opened(let opened) = EventPayload(event) else { continue }
            for migration in opened.migrations ?? [] { recorded[migration.version] = migration }
            if event.kind == EventKind.registerCreated.rawValue, opened.migrations != nil { createdRecordsMigrations = true }
        }
        let known = Dictionary(Schema.migrations.map { ($0.version, $0.description) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<Int> = []
        for row in try await db.select().column("*").from("register_migrations").all() {
            let version = try row.decode(column: "version", as: Int.self)
            seen.insert(version)
            let description = try row.decode(column: "description", as: String.self)
            let subject = "register_migrations row \(version)"
            if known[version] != description {
                findings.append(Tampering(subject: subject, finding: "its description is not the migration's: it was edited"))
            }
            if let migration = recorded[version] {
                if try migration.appliedAt != row.decode(column: "applied_at", as: String.self)
                    || migration.engine != row.decode(column: "engine", as: String.self)
                {
                    findings.append(Tampering(subject: subject, finding: "its time or engine is not the one recorded: it was edited"))
                }
            } else if version != 1 || createdRecordsMigrations {
                // Only the first migration of a register made before organisations predates
                // the events that record migrations; its description is all there is to check.
                findings.append(Tampering(subject: subject, finding: "no event applied it"))
            }
        }
        for version in Set(recorded.keys).subtracting(seen).sorted() {
            findings.append(Tampering(subject: "register_migrations row \(version)", finding: "applied by an event but missing: deleted"))
        }
        return findings
    }

    /// The append-only triggers of every table, present and refusing (a client that dropped
    /// or disabled them first could rewrite what the chain does not cover).
    func checkAppendOnly(_ db: any SQLDatabase) async throws -> [Tampering] {
        let tables = Schema.definitions(at: try await schemaVersion(db)).map(\.name)
        var findings: [Tampering] = []
        switch store.backend {
        case .sqlite:
            var triggers: [String: String] = [:]
            for row in try await db.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() {
                triggers[try row.decode(column: "name", as: String.self)] = try row.decode(column: "sql", as: String?.self) ?? ""
            }
            for table in tables {
                for name in ["\(table)_no_update", "\(table)_no_delete"] where !(triggers[name]?.contains("RAISE(ABORT") ?? false) {
                    findings.append(
                        Tampering(
                            subject: "table \(table)",
                            finding: "its append-only trigger \(name) is \(triggers[name] == nil ? "missing: dropped" : "changed")"))
                }
            }
        case .postgres:
            var triggers: [String: String] = [:]
            for row in try await db.raw(
                """
                SELECT t.tgname, t.tgenabled::text AS enabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())::oid
                """
            ).all() {
                triggers[try row.decode(column: "tgname", as: String.self)] = try row.decode(column: "enabled", as: String.self)
            }
            for table in tables {
                for name in ["\(table)_append_only", "\(table)_no_truncate"] where triggers[name] == nil || triggers[name] == "D" {
                    findings.append(
                        Tampering(
                            subject: "table \(table)",
                            finding: "its append-only trigger \(name) is \(triggers[name] == nil ? "missing: dropped" : "disabled")"))
                }
            }
            let body = try await db.raw(
                "SELECT prosrc FROM pg_proc WHERE proname = 'pfs_append_only' AND pronamespace = to_regnamespace(current_schema())::oid"
            ).first(decodingColumn: "prosrc", as: String.self)
            if !(body?.contains("RAISE EXCEPTION") ?? false) {
                findings.append(
                    Tampering(subject: "function pfs_append_only", finding: "it no longer refuses: replaced or dropped"))
            }
        }
        return findings
    }

    /// The newest migration the rows say, inside a transaction.
    func schemaVersion(_ db: any SQLDatabase) async throws -> Int {
        let newest = try await db.raw("SELECT MAX(version) AS version FROM register_migrations")
            .first(decodingColumn: "version", as: Int?.self)
        return newest.flatMap { $0 } ?? 1
    }
}

extension Duty {
    /// The roles that may make an event of `kind`.
    static func roles(of kind: EventKind) -> Set<String> {
        switch kind {
        case .reviewed: return [PartyRole.evaluator.rawValue]
        case .rejected: return [PartyRole.evaluator.rawValue, PartyRole.publicSector.rawValue]
        case .settled, .approved, .issued, .paid, .corrected: return [PartyRole.publicSector.rawValue]
        default: return []
        }
    }
}
