import Foundation
import PFSModel
import SQLKit

/// A finding of `pfs register verify`: which event or row, and what is wrong with it.
public struct Tampering: Sendable, Hashable, CustomStringConvertible {
    /// e.g. `event 12`, `statements row 4`.
    public let subject: String
    /// What was found.
    public let finding: String

    public var description: String { "\(subject): \(finding)" }
}

extension Register {
    /// Checks the whole history: the events numbered without gap, each hash recomputed and
    /// chained to the one before, each signature valid for a key registered for its party,
    /// and every row of every table written by the event that names it, with the SHA-256
    /// that event recorded (so an edit, a deletion, an insertion or a reordering made
    /// behind pfs's back is found).
    public func verify() async throws(RegisterError) -> (events: Int, findings: [Tampering]) {
        try await read { db in try await self.audit(db) }
    }

    /// The newest event's number and hash: kept outside the database (a printout, a
    /// message to the auditor), they show that no newest events were removed since, which
    /// nothing inside the database can show.
    public func head() async throws(RegisterError) -> (seq: Int, hash: String)? {
        try await read { db in try await Event.head(db).map { ($0.seq, $0.hash) } }
    }

    func audit(_ db: any SQLDatabase) async throws -> (events: Int, findings: [Tampering]) {
        do {
            return try await auditRows(db)
        } catch let error as DecodingError {
            // A column whose value is no longer of the type pfs wrote (SQLite's replace()
            // turns bytes into text): tampering, reported as one finding, never a dump.
            return (0, [Tampering(subject: "a table", finding: Self.unreadable(error))])
        }
    }

    /// The settlement digest a settlement's JSON records (nil: none, or not JSON).
    static func settlementDigest(in json: [UInt8]) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any])?["settlementDigest"] as? String
    }

    /// What a row that cannot be read as pfs wrote it says: the table's column, briefly.
    static func unreadable(_ error: DecodingError) -> String {
        let column: String
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            column = context.codingPath.last?.stringValue ?? "a column"
        @unknown default: column = "a column"
        }
        return "\(column) holds a value of another type than pfs writes: it was edited"
    }

    private func auditRows(_ db: any SQLDatabase) async throws -> (events: Int, findings: [Tampering]) {
        do {
            var findings: [Tampering] = []
            func find(_ subject: String, _ finding: String) {
                findings.append(Tampering(subject: subject, finding: finding))
            }
            let events = try await db.select().column("*").from("events").orderBy("seq")
                .all(decoding: Event.self, with: Event.decoding)
            let keys = try await db.select().columns("key_id", "party", "public_key", "event_seq").from("signing_keys")
                .all()
            var publicKeys: [String: (party: String, pem: String, seq: Int)] = [:]
            for row in keys {
                publicKeys[try row.decode(column: "key_id", as: String.self)] = (
                    try row.decode(column: "party", as: String.self),
                    try row.decode(column: "public_key", as: String.self),
                    try row.decode(column: "event_seq", as: Int.self)
                )
            }
            var previous = Event.genesis
            var bySeq: [Int: Event] = [:]
            // Who could act at each event, replayed as the commands decided it.
            var trust = TrustState()
            for (index, event) in events.enumerated() {
                let subject = "event \(event.seq) (\(event.kind))"
                bySeq[event.seq] = event
                let expected = index == 0 ? 1 : events[index - 1].seq + 1
                if event.seq > expected {
                    find(
                        subject,
                        """
                        event\(event.seq - expected == 1 ? "" : "s") \
                        \(expected)\(event.seq - expected == 1 ? "" : "–\(event.seq - 1)") before it \
                        \(event.seq - expected == 1 ? "is" : "are") missing: deleted
                        """)
                } else if event.seq < expected {
                    find(subject, "out of order: it follows event \(expected - 1)")
                }
                if event.prevHash != previous {
                    find(subject, "does not follow the event before it (its previous hash differs)")
                }
                if event.computedHash != event.hash {
                    find(subject, "its fields do not give its hash: the event was edited")
                }
                previous = event.hash
                if let kind = EventKind(rawValue: event.kind), EventPayload(event) == nil {
                    find(subject, "its payload is not what '\(kind.rawValue)' events record")
                }
                for problem in Self.signatureProblems(event, trust: trust, tableKeys: publicKeys) {
                    find(subject, problem)
                }
                trust.apply(event)
            }
            findings += try await self.checkRows(db, events: bySeq, publicKeys: publicKeys)
            findings += try await self.checkTrustRows(db, events: events)
            findings += try await self.checkMigrations(db, events: events)
            findings += try await self.checkAppendOnly(db)
            return (events.count, findings)
        }
    }

    private func checkRows(
        _ db: any SQLDatabase, events: [Int: Event], publicKeys: [String: (party: String, pem: String, seq: Int)]
    ) async throws -> [Tampering] {
        var findings: [Tampering] = []
        func payload(_ seq: Int, _ table: String, _ id: String) -> EventPayload? {
            guard let event = events[seq], let payload = EventPayload(event) else {
                findings.append(
                    Tampering(
                        subject: "\(table) row \(id)", finding: "written by event \(seq), which is not in the history"))
                return nil
            }
            return payload
        }
        func mismatch(_ table: String, _ id: Any, _ what: String) {
            findings.append(Tampering(subject: "\(table) row \(id)", finding: what))
        }
        /// A bytes column: its bytes, or the text an edit put there (itself a finding).
        func bytes(_ row: any SQLRow, _ column: String, _ table: String, _ id: Int) throws -> [UInt8] {
            if let data = try? row.decode(column: column, as: Data.self) { return Array(data) }
            mismatch(table, id, "its \(column) holds text where pfs writes bytes: it was edited")
            return Array(try row.decode(column: column, as: String.self).utf8)
        }
        var mentioned: [String: Set<Int>] = [:]
        for event in events.values {
            switch EventPayload(event) {
            case .settled(let settled):
                if let version = settled.newContractVersion {
                    mentioned["contract_versions", default: []].insert(version.id)
                }
                mentioned["settlement_runs", default: []].insert(settled.run)
                for statement in settled.statements ?? [] { mentioned["statements", default: []].insert(statement.id) }
            case .paid(let paid): mentioned["payments", default: []].insert(paid.payment)
            default: break
            }
        }
        var seen: [String: Set<Int>] = [:]
        for row in try await db.select().columns("id", "event_seq", "sha256", "bytes").from("contract_versions").all() {
            let id = try row.decode(column: "id", as: Int.self)
            seen["contract_versions", default: []].insert(id)
            let bytes = try bytes(row, "bytes", "contract_versions", id)
            guard let p = payload(try row.decode(column: "event_seq", as: Int.self), "contract_versions", "\(id)")
            else { continue }
            var recorded: String?
            if case .settled(let settled) = p { recorded = settled.newContractVersion?.sha256 }
            if try recorded != sha256Hex(bytes) || recorded != row.decode(column: "sha256", as: String.self) {
                mismatch("contract_versions", id, "the contract's bytes are not the ones recorded")
            }
        }
        var runs: [Int: (contract: String, year: Int)] = [:]
        for row in try await db.select().columns(
            "id", "event_seq", "contract_id", "fiscal_year", "settlement_json", "settlement_sha256"
        ).from("settlement_runs").all() {
            let id = try row.decode(column: "id", as: Int.self)
            seen["settlement_runs", default: []].insert(id)
            runs[id] = (try row.decode(column: "contract_id", as: String.self), try row.decode(column: "fiscal_year", as: Int.self))
            let bytes = try bytes(row, "settlement_json", "settlement_runs", id)
            guard let p = payload(try row.decode(column: "event_seq", as: Int.self), "settlement_runs", "\(id)") else {
                continue
            }
            guard case .settled(let settled) = p, settled.run == id, settled.settlementSHA256 == sha256Hex(bytes) else {
                mismatch("settlement_runs", id, "the settlement's JSON is not the one recorded")
                continue
            }
            if let digest = settled.settlementDigest, Self.settlementDigest(in: bytes) != digest {
                // Runs recorded before registers kept the digest have none to compare.
                mismatch("settlement_runs", id, "the settlement digest recorded is not the one its JSON records")
            }
        }
        var statementBytes: [Int: [UInt8]] = [:]
        let statementColumns = ["id", "event_seq", "run_id", "document", "party", "language", "format", "path", "bytes", "sha256"]
        for row in try await db.select().columns(statementColumns.map { SQLIdentifier($0) }).from("statements").all() {
            let id = try row.decode(column: "id", as: Int.self)
            seen["statements", default: []].insert(id)
            let bytes = try bytes(row, "bytes", "statements", id)
            let path = try row.decode(column: "path", as: String.self)
            let derived = try runs[row.decode(column: "run_id", as: Int.self)].flatMap { run in
                StatementInput.derivedPath(
                    contract: run.contract, year: run.year,
                    document: StatementInput.document(try row.decode(column: "document", as: String.self), storedPath: path),
                    party: try row.decode(column: "party", as: String?.self),
                    language: try row.decode(column: "language", as: String.self),
                    format: try row.decode(column: "format", as: String.self))
            }
            if derived != path {
                mismatch(
                    "statements", id,
                    "its path '\(path.printable())' is not the one pfs gives it (\(derived ?? "none: not a document pfs makes"))")
            }
            statementBytes[id] = bytes
            guard let p = payload(try row.decode(column: "event_seq", as: Int.self), "statements", "\(id)") else {
                continue
            }
            var recorded: String?
            if case .settled(let settled) = p { recorded = settled.statements?.first { $0.id == id }?.sha256 }
            if try recorded != sha256Hex(bytes) || recorded != row.decode(column: "sha256", as: String.self) {
                mismatch("statements", id, "the statement's bytes are not the ones recorded")
            }
        }
        for (keyID, key) in publicKeys {
            guard let p = payload(key.seq, "signing_keys", String(keyID.prefix(16))) else { continue }
            // A member's key records its organisation where a key of the old model recorded its party.
            guard case .keyAdded(let added) = p, added.keyId == keyID,
                (added.member == nil ? added.party : added.organisation) == key.party,
                added.publicKeySHA256 == sha256Hex(Array(key.pem.utf8))
            else {
                mismatch("signing_keys", keyID.prefix(16), "the key or its party is not the one recorded")
                continue
            }
        }
        for row in try await db.select().columns("id", "event_seq", "statement_id", "key_id", "signature").from(
            "signatures"
        ).all() {
            let id = try row.decode(column: "id", as: Int.self)
            let statement = try row.decode(column: "statement_id", as: Int.self)
            let signature = try row.decode(column: "signature", as: String.self)
            guard let p = payload(try row.decode(column: "event_seq", as: Int.self), "signatures", "\(id)") else {
                continue
            }
            var recorded: String?
            if case .signedOff(let signedOff) = p {
                recorded = signedOff.signatures.first { $0.statement == statement }?.signature
            }
            let key = publicKeys[try row.decode(column: "key_id", as: String.self)].flatMap {
                try? SigningKeys.publicKey(pem: $0.pem)
            }
            if recorded != signature {
                mismatch("signatures", id, "the signature is not the one recorded")
            } else if let key, let bytes = statementBytes[statement], let raw = Data(base64Encoded: signature),
                !SigningKeys.isValid(Array(raw), of: bytes, by: key)
            {
                mismatch("signatures", id, "the signature does not verify over statement \(statement)")
            }
        }
        for row in try await db.select().columns("id", "event_seq", "payer", "payee", "amount", "paid_on", "reference")
            .from("payments").all()
        {
            let id = try row.decode(column: "id", as: Int.self)
            seen["payments", default: []].insert(id)
            guard let p = payload(try row.decode(column: "event_seq", as: Int.self), "payments", "\(id)") else {
                continue
            }
            var paid: PaidPayload?
            if case .paid(let recorded) = p { paid = recorded }
            let fields: [(column: String, recorded: String?)] = [
                ("payer", paid?.payer), ("payee", paid?.payee), ("amount", paid?.amount), ("paid_on", paid?.date),
                ("reference", paid?.reference),
            ]
            for (column, recorded) in fields where recorded != (try row.decode(column: column, as: String.self)) {
                mismatch("payments", id, "its \(column) is not the one recorded")
            }
        }
        for (table, ids) in mentioned {
            for id in ids.subtracting(seen[table] ?? []).sorted() {
                findings.append(
                    Tampering(
                        subject: "\(table) row \(id)", finding: "recorded by an event but missing: it was deleted"))
            }
        }
        return findings
    }
}
