import Foundation
import SQLKit

/// A row an event writes, in a table other than `events` (``Event/append`` writes those): the
/// rows name the event, so they go in after it, each with its `event_seq`. The one place the
/// register inserts a row.
enum RegisterRow {
    case contractVersion(
        id: Int, contract: String, digest: String, sha256: String, fileName: String, bytes: [UInt8])
    case run(
        id: Int, contractVersion: Int, contract: String, year: Int, engine: String, rules: String, json: [UInt8],
        sha256: String)
    case statement(
        id: Int, run: Int, document: String, party: String?, language: String, format: String, path: String,
        bytes: [UInt8], sha256: String)
    case signature(id: Int, statement: Int, keyID: String, party: String, role: String, signature: String)
    case payment(
        id: Int, contract: String, year: Int, payer: String, payee: String, amount: String, date: String,
        reference: String)
    case organisation(id: String, kind: String, nameJa: String, nameEn: String)
    case member(id: String, organisation: String, nameJa: String, nameEn: String)
    case key(id: String, party: String, publicKey: String, member: String)
    case binding(id: Int, contract: String, party: String, role: String, organisation: String)

    /// Inserts the row, written by event `seq`.
    func insert(writtenBy seq: Int, in db: any SQLDatabase) async throws {
        let query: SQLQueryString
        switch self {
        case .contractVersion(let id, let contract, let digest, let sha256, let fileName, let bytes):
            query = """
                INSERT INTO contract_versions (id, event_seq, contract_id, digest, sha256, file_name, bytes)
                VALUES (\(bind: id), \(bind: seq), \(bind: contract), \(bind: digest), \(bind: sha256),
                \(bind: fileName), \(bind: Data(bytes)))
                """
        case .run(let id, let version, let contract, let year, let engine, let rules, let json, let sha256):
            query = """
                INSERT INTO settlement_runs (id, event_seq, contract_version_id, contract_id, fiscal_year,
                engine_version, rules, settlement_json, settlement_sha256)
                VALUES (\(bind: id), \(bind: seq), \(bind: version), \(bind: contract), \(bind: year), \(bind: engine),
                \(bind: rules), \(bind: Data(json)), \(bind: sha256))
                """
        case .statement(let id, let run, let document, let party, let language, let format, let path, let bytes, let sha256):
            query = """
                INSERT INTO statements (id, event_seq, run_id, document, party, language, format, path, bytes,
                sha256)
                VALUES (\(bind: id), \(bind: seq), \(bind: run), \(bind: document), \(bind: party), \(bind: language),
                \(bind: format), \(bind: path), \(bind: Data(bytes)), \(bind: sha256))
                """
        case .signature(let id, let statement, let keyID, let party, let role, let signature):
            query = """
                INSERT INTO signatures (id, event_seq, statement_id, key_id, party, role, signature)
                VALUES (\(bind: id), \(bind: seq), \(bind: statement), \(bind: keyID), \(bind: party), \(bind: role),
                \(bind: signature))
                """
        case .payment(let id, let contract, let year, let payer, let payee, let amount, let date, let reference):
            query = """
                INSERT INTO payments (id, event_seq, contract_id, fiscal_year, payer, payee, amount, paid_on, reference)
                VALUES (\(bind: id), \(bind: seq), \(bind: contract), \(bind: year), \(bind: payer), \(bind: payee),
                \(bind: amount), \(bind: date), \(bind: reference))
                """
        case .organisation(let id, let kind, let nameJa, let nameEn):
            query = """
                INSERT INTO organisations (id, event_seq, kind, name_ja, name_en)
                VALUES (\(bind: id), \(bind: seq), \(bind: kind), \(bind: nameJa), \(bind: nameEn))
                """
        case .member(let id, let organisation, let nameJa, let nameEn):
            query = """
                INSERT INTO members (id, event_seq, organisation, name_ja, name_en)
                VALUES (\(bind: id), \(bind: seq), \(bind: organisation), \(bind: nameJa), \(bind: nameEn))
                """
        case .key(let id, let party, let publicKey, let member):
            query = """
                INSERT INTO signing_keys (key_id, event_seq, party, public_key, member)
                VALUES (\(bind: id), \(bind: seq), \(bind: party), \(bind: publicKey), \(bind: member))
                """
        case .binding(let id, let contract, let party, let role, let organisation):
            query = """
                INSERT INTO bindings (id, event_seq, contract_id, party, role, organisation)
                VALUES (\(bind: id), \(bind: seq), \(bind: contract), \(bind: party), \(bind: role),
                \(bind: organisation))
                """
        }
        try await db.raw(query).run()
    }
}

extension SQLDatabase {
    /// The next id of a table (inside the write lock).
    func nextID(_ table: String) async throws -> Int {
        let largest = try await raw("SELECT MAX(id) AS m FROM \(unsafeRaw: table)").first(decodingColumn: "m", as: Int?.self)
        return (largest.flatMap { $0 } ?? 0) + 1
    }

    /// The seq the next event appended will have (inside the write lock).
    func nextSeq() async throws -> Int { (try await Event.head(self)?.seq ?? 0) + 1 }

    /// Inserts the rows event `seq` wrote.
    func insert(_ rows: [RegisterRow], writtenBy seq: Int) async throws {
        for row in rows { try await row.insert(writtenBy: seq, in: self) }
    }
}
