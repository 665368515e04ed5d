import Foundation
import SQLKit

/// The register's reads of its history and of its runs: every query the workflow, the
/// adjustments, the trust and the history make of the events and the runs' rows.
extension SQLDatabase {
    /// The events of `kinds` (all kinds when nil), of `contract` and `year` when given, in
    /// order (newest first when `newestFirst`).
    func events(
        _ kinds: Set<EventKind>? = nil, contract: String? = nil, year: Int? = nil, newestFirst: Bool = false
    ) async throws -> [Event] {
        var query = select().column("*").from("events")
        if let kinds { query = query.where("kind", .in, kinds.map(\.rawValue).sorted()) }
        if let contract { query = query.where("contract_id", .equal, contract) }
        if let year { query = query.where("fiscal_year", .equal, year) }
        return try await query.orderBy("seq", newestFirst ? .descending : .ascending)
            .all(decoding: Event.self, with: Event.decoding)
    }

    /// The newest `corrected` event of `contract` that changed it to the version with SHA-256 `sha256`.
    func correction(of contract: String, to sha256: String) async throws -> Event? {
        try await events([.corrected], contract: contract, newestFirst: true).first {
            EventPayload.decode(CorrectedPayload.self, from: $0.payload)?.toSHA256 == sha256
        }
    }

    /// Each contract and fiscal year with an event of `kind` (of `contract` when given), in order.
    func contractYears(with kind: EventKind, contract: String? = nil) async throws -> [(contract: String, year: Int)] {
        var query = select().columns("contract_id", "fiscal_year").distinct().from("events")
            .where("kind", .equal, kind.rawValue)
        if let contract { query = query.where("contract_id", .equal, contract) }
        return try await query.all().map {
            (try $0.decode(column: "contract_id", as: String.self), try $0.decode(column: "fiscal_year", as: Int.self))
        }.sorted { ($0.contract, $0.year) < ($1.contract, $1.year) }
    }

    /// The newest event of `kinds` (0 when none).
    func head(of kinds: Set<EventKind>) async throws -> Int {
        try await select().column(SQLFunction("MAX", args: SQLIdentifier("seq")), as: "head").from("events")
            .where("kind", .in, kinds.map(\.rawValue).sorted()).first()?.decode(column: "head", as: Int?.self) ?? 0
    }

    /// A run's contract and fiscal year.
    func runYear(_ run: Int) async throws -> (contract: String, year: Int)? {
        guard let row = try await select().columns("contract_id", "fiscal_year").from("settlement_runs")
            .where("id", .equal, run).first()
        else { return nil }
        return (try row.decode(column: "contract_id", as: String.self), try row.decode(column: "fiscal_year", as: Int.self))
    }

    /// A run's settlement as recorded (its JSON).
    func settlementJSON(ofRun run: Int) async throws -> Data? {
        try await select().column("settlement_json").from("settlement_runs").where("id", .equal, run)
            .first(decodingColumn: "settlement_json", as: Data.self)
    }

    /// The path and SHA-256 of a run's JSON settlement statement.
    func settlementStatement(ofRun run: Int) async throws -> (path: String, sha256: String)? {
        guard let row = try await select().columns("path", "sha256").from("statements").where("run_id", .equal, run)
            .where("document", .equal, "settlement").where("format", .equal, "json").first()
        else { return nil }
        return (try row.decode(column: "path", as: String.self), try row.decode(column: "sha256", as: String.self))
    }
}
