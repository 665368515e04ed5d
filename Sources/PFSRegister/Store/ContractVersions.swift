import Foundation
import SQLKit

/// A contract version as the register keeps it: the file's name and its bytes.
struct StoredContractVersion {
    let id: Int
    let fileName: String
    let bytes: [UInt8]

    /// The row, or nil when its columns do not read as a version's (an edited row).
    init?(_ row: any SQLRow) {
        guard let id = try? row.decode(column: "id", as: Int.self),
            let fileName = try? row.decode(column: "file_name", as: String.self),
            let bytes = try? row.decode(column: "bytes", as: Data.self)
        else { return nil }
        self.id = id
        self.fileName = fileName
        self.bytes = Array(bytes)
    }
}

extension SQLDatabase {
    /// Version `id`.
    func contractVersion(id: Int) async throws -> StoredContractVersion? {
        try await select().columns("id", "file_name", "bytes").from("contract_versions").where("id", .equal, id)
            .first().flatMap(StoredContractVersion.init)
    }

    /// The newest version of `contract` (of those with SHA-256 `sha256`, when given).
    func newestContractVersion(of contract: String, sha256: String? = nil) async throws -> StoredContractVersion? {
        var query = select().columns("id", "file_name", "bytes").from("contract_versions")
            .where("contract_id", .equal, contract)
        if let sha256 { query = query.where("sha256", .equal, sha256) }
        return try await query.orderBy("id", .descending).limit(1).first().flatMap(StoredContractVersion.init)
    }

    /// Every version of `contract`, oldest first.
    func contractVersions(of contract: String) async throws -> [StoredContractVersion] {
        try await select().columns("id", "file_name", "bytes").from("contract_versions")
            .where("contract_id", .equal, contract).orderBy("id").all().compactMap(StoredContractVersion.init)
    }

    /// The id of `contract`'s version with SHA-256 `sha256`, if the register holds it.
    func contractVersionID(of contract: String, sha256: String) async throws -> Int? {
        try await select().column("id").from("contract_versions").where("contract_id", .equal, contract)
            .where("sha256", .equal, sha256).first(decodingColumn: "id", as: Int.self)
    }

    /// Each statement of run `run` with its bytes, in order.
    func statementBytes(ofRun run: Int) async throws -> [(id: Int, bytes: [UInt8])] {
        try await select().columns("id", "bytes").from("statements").where("run_id", .equal, run).orderBy("id").all()
            .map { (try $0.decode(column: "id", as: Int.self), Array(try $0.decode(column: "bytes", as: Data.self))) }
    }
}
