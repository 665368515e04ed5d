import Foundation
import SQLKit

/// A statement as the register keeps it.
struct StoredStatement {
    let id: Int
    let document: String
    let party: String?
    let language: String
    let format: String
    let path: String
    let bytes: [UInt8]
    let sha256: String
}

/// A signature of a statement as the register keeps it, with the event that made it.
struct StoredSignature {
    let statement: Int
    let seq: Int
    let keyID: String
    let party: String
    let role: String
    /// Base64.
    let signature: String
}

/// Where a statement with given bytes was recorded: its run, contract and year, and the
/// contract version the run settled.
struct StatementPlace {
    let id: Int
    let run: Int
    let contract: String
    let year: Int
    let contractSHA256: String
}

extension SQLDatabase {
    /// The statements of run `run`, in order.
    func statements(ofRun run: Int) async throws -> [StoredStatement] {
        let columns = ["id", "document", "party", "language", "format", "path", "bytes", "sha256"]
        return try await select().columns(columns.map { SQLIdentifier($0) }).from("statements")
            .where("run_id", .equal, run).orderBy("id").all().map { row in
                StoredStatement(
                    id: try row.decode(column: "id", as: Int.self), document: try row.decode(column: "document", as: String.self),
                    party: try row.decode(column: "party", as: String?.self),
                    language: try row.decode(column: "language", as: String.self),
                    format: try row.decode(column: "format", as: String.self), path: try row.decode(column: "path", as: String.self),
                    bytes: Array(try row.decode(column: "bytes", as: Data.self)),
                    sha256: try row.decode(column: "sha256", as: String.self))
            }
    }

    /// The ids of run `run`'s statements, in order.
    func statementIDs(ofRun run: Int) async throws -> [Int] {
        try await select().column("id").from("statements").where("run_id", .equal, run).orderBy("id")
            .all(decodingColumn: "id", as: Int.self)
    }

    /// The run of statement `id`.
    func run(ofStatement id: Int) async throws -> Int? {
        try await select().column("run_id").from("statements").where("id", .equal, id)
            .first(decodingColumn: "run_id", as: Int.self)
    }

    /// The signatures of run `run`'s statements with the public key of each, in order.
    func signatures(ofRun run: Int) async throws -> [(StoredSignature, publicKeyPEM: String)] {
        try await raw(
            """
            SELECT s.statement_id, s.event_seq, s.key_id, s.party, s.role, s.signature, k.public_key, t.run_id
            FROM signatures s JOIN statements t ON t.id = s.statement_id JOIN signing_keys k ON k.key_id = s.key_id
            WHERE t.run_id = \(bind: run) ORDER BY s.id
            """
        ).all().map { (try StoredSignature($0), try $0.decode(column: "public_key", as: String.self)) }
    }

    /// The signatures of statement `id`, in order.
    func signatures(ofStatement id: Int) async throws -> [StoredSignature] {
        try await select().columns("statement_id", "key_id", "party", "role", "signature", "event_seq")
            .from("signatures").where("statement_id", .equal, id).orderBy("id").all().map(StoredSignature.init)
    }

    /// Where statements with SHA-256 `sha256` were recorded, in order.
    func statementPlaces(sha256: String) async throws -> [StatementPlace] {
        try await raw(
            """
            SELECT t.id, t.run_id, r.contract_id, r.fiscal_year, v.sha256 AS contract_sha256 FROM statements t
            JOIN settlement_runs r ON r.id = t.run_id JOIN contract_versions v ON v.id = r.contract_version_id
            WHERE t.sha256 = \(bind: sha256) ORDER BY t.id
            """
        ).all().map { row in
            StatementPlace(
                id: try row.decode(column: "id", as: Int.self), run: try row.decode(column: "run_id", as: Int.self),
                contract: try row.decode(column: "contract_id", as: String.self),
                year: try row.decode(column: "fiscal_year", as: Int.self),
                contractSHA256: try row.decode(column: "contract_sha256", as: String.self))
        }
    }

    /// Every signing key's id and public key (PEM).
    func signingKeys() async throws -> [(keyID: String, publicKeyPEM: String)] {
        try await select().columns("key_id", "public_key").from("signing_keys").all().map {
            (try $0.decode(column: "key_id", as: String.self), try $0.decode(column: "public_key", as: String.self))
        }
    }
}

extension StoredSignature {
    init(_ row: any SQLRow) throws {
        self.init(
            statement: try row.decode(column: "statement_id", as: Int.self), seq: try row.decode(column: "event_seq", as: Int.self),
            keyID: try row.decode(column: "key_id", as: String.self), party: try row.decode(column: "party", as: String.self),
            role: try row.decode(column: "role", as: String.self), signature: try row.decode(column: "signature", as: String.self))
    }
}
