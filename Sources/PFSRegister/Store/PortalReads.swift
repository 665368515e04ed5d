import Foundation
import PFS
import PFSLedger
import PFSModel
import SQLKit

/// A statement the register holds, without its bytes.
public struct RecordedStatement: Sendable, Hashable {
    public let id: Int
    public let contractID: String
    /// The outcome year of the run that made it.
    public let year: Int
    public let runID: Int
    /// `settlement`, `audit`, `payout` or `adjustment-N`.
    public let document: String
    /// The contractor or investor, for a payout statement.
    public let party: String?
    public let language: String
    public let format: String
    public let sha256: String
}

/// A contract the register holds: its newest version.
public struct RecordedContract: Sendable {
    public let contract: Contract
    public let fileName: String
    /// The version's exact bytes.
    public let bytes: [UInt8]

    public init(contract: Contract, fileName: String, bytes: [UInt8]) {
        self.contract = contract
        self.fileName = fileName
        self.bytes = bytes
    }
}

/// Who used the portal, recorded in the hash chain (unsigned: see ``EventKind/access``).
public struct AccessRecord: Sendable {
    public let kind: EventKind
    /// The portal account's name, and the member it acts as (nil for an administrator).
    public let account: String
    public let member: String?
    /// Why a sign-in was refused, or how a session ended.
    public let reason: String?

    public init(kind: EventKind, account: String, member: String?, reason: String? = nil) {
        self.kind = kind
        self.account = account
        self.member = member
        self.reason = reason
    }
}

extension Register {
    /// The newest version of every contract the register holds, by id.
    public func contracts() async throws(RegisterError) -> [RecordedContract] {
        var contracts: [RecordedContract] = []
        for version in try await newestVersions() {
            if let recorded = try await contractVersion(version.id) { contracts.append(recorded) }
        }
        return contracts
    }

    /// The budget envelope of a contract's newest version (as `pfs status` shows it).
    public func envelope(of contract: String) async throws(RegisterError) -> [EnvelopeBound] {
        try await read { db in try await self.envelope(of: contract, in: db) }
    }

    /// The row id of each contract's newest version, by contract id: what tells a reader
    /// that keeps parsed contracts whether one changed (versions are only ever added).
    public func newestVersions() async throws(RegisterError) -> [(id: Int, contractID: String)] {
        try await read { db in
            try await db.raw(
                """
                SELECT MAX(id) AS id, contract_id FROM contract_versions GROUP BY contract_id ORDER BY contract_id
                """
            ).all().map {
                (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "contract_id", as: String.self))
            }
        }
    }

    /// One contract version, read and checked (nil when the register holds no such row, or
    /// its bytes no longer load).
    public func contractVersion(_ id: Int) async throws(RegisterError) -> RecordedContract? {
        let version = try await read { db in try await db.contractVersion(id: id) }
        guard let version, let contract = PFS.check(bytes: version.bytes, file: version.fileName).contract else {
            return nil
        }
        return RecordedContract(contract: contract, fileName: version.fileName, bytes: version.bytes)
    }

    /// The newest event that can change who may act for whom (0 when none): a reader that
    /// keeps a ``TrustState`` folds the history again only when this moved.
    public func trustHead() async throws(RegisterError) -> Int {
        try await read { db in
            try await db.head(of: TrustState.authorityKinds)
        }
    }

    /// Where each settled year of a contract stands, oldest first (without `status`'s audit).
    public func years(of contract: String) async throws(RegisterError) -> [YearRecord] {
        try await read { db in
            let years = try await db.contractYears(with: .settled, contract: contract).map(\.year)
            var records: [YearRecord] = []
            for year in years {
                if let record = try await self.record(contract, year, in: db) { records.append(record) }
            }
            return records
        }
    }

    /// The contract version a year was settled from (its last run), as a command reads a
    /// file: what review, approval, issue and payments of that year are checked against.
    public func settledInput(contract: String, year: Int) async throws(RegisterError) -> ContractInput? {
        guard let record = try await record(of: contract, year: year) else { return nil }
        let version = try await read { db in try await db.newestContractVersion(of: contract, sha256: record.sha256) }
        guard let version else { return nil }
        return ContractInput(
            checked: PFS.check(bytes: version.bytes, file: version.fileName, canonical: true), fileName: version.fileName)
    }

    /// The statements of a contract's runs, newest run first.
    public func statements(of contract: String) async throws(RegisterError) -> [RecordedStatement] {
        try await read { db in
            try await db.raw(
                """
                SELECT s.id, r.contract_id, r.fiscal_year, s.run_id, s.document, s.party, s.language, s.format,
                s.sha256 FROM statements s JOIN settlement_runs r ON r.id = s.run_id
                WHERE r.contract_id = \(bind: contract) ORDER BY s.run_id DESC, s.id
                """
            ).all().map(Self.recordedStatement)
        }
    }

    /// One statement and its exact bytes, or nil when the register holds no statement `id`.
    public func statement(_ id: Int) async throws(RegisterError) -> (RecordedStatement, [UInt8])? {
        try await read { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT s.id, r.contract_id, r.fiscal_year, s.run_id, s.document, s.party, s.language, s.format,
                    s.sha256, s.bytes FROM statements s JOIN settlement_runs r ON r.id = s.run_id
                    WHERE s.id = \(bind: id)
                    """
                ).first()
            else { return nil }
            return (try Self.recordedStatement(row), Array(try row.decode(column: "bytes", as: Data.self)))
        }
    }

    /// One statement with the signatures its year collected and their chains to the
    /// authority, as an issue hands it over (nil when the register holds no statement `id`).
    public func issuedStatement(_ id: Int) async throws(RegisterError) -> IssuedStatement? {
        try await read { db in
            guard let run = try await db.run(ofStatement: id) else { return nil }
            let ids = try await db.statementIDs(ofRun: run)
            let statements = try await self.statements(ofRun: run, in: db)
            return zip(ids, statements).first { $0.0 == id }?.1
        }
    }

    /// Records a sign-in, a sign-out or a refused sign-in as an event of the chain.
    public func recordAccess(_ record: AccessRecord) async throws(RegisterError) {
        precondition(EventKind.access.contains(record.kind), "only access kinds are recorded unsigned")
        let payload = AccessPayload(account: record.account, member: record.member)
        try await write { db in
            _ = try await Event.append(record.kind, comment: record.reason, payload: payload, in: db)
        }
    }

    private static func recordedStatement(_ row: any SQLRow) throws -> RecordedStatement {
        RecordedStatement(
            id: try row.decode(column: "id", as: Int.self),
            contractID: try row.decode(column: "contract_id", as: String.self),
            year: try row.decode(column: "fiscal_year", as: Int.self),
            runID: try row.decode(column: "run_id", as: Int.self),
            document: try row.decode(column: "document", as: String.self),
            party: try row.decode(column: "party", as: String?.self),
            language: try row.decode(column: "language", as: String.self),
            format: try row.decode(column: "format", as: String.self),
            sha256: try row.decode(column: "sha256", as: String.self))
    }
}
