import Foundation
import PFS
import PFSModel
import SQLKit

/// A value of an issued year that a new contract version changes.
public struct CorrectedValue: Sendable, Hashable {
    public let kpi: String
    public let year: Int
    public let series: String
    public let before: String
    public let after: String

    public init(kpi: String, year: Int, series: String, before: String, after: String) {
        self.kpi = kpi
        self.year = year
        self.series = series
        self.before = before
        self.after = after
    }
}

extension ActualsPlan {
    /// The values the plan changes (not those it adds), as a correction records them.
    public var correctedValues: [CorrectedValue] {
        changes.compactMap { change in
            guard let before = change.before else { return nil }
            return CorrectedValue(
                kpi: change.edit.kpi, year: change.edit.year, series: change.edit.series.rawValue,
                before: before.value, after: change.edit.value)
        }
    }
}

extension Register {
    /// Whether a correction to the contract version with SHA-256 `sha256` is recorded (the
    /// portal records it and settles in one request the browser sends again for each signature).
    public func correctionRecorded(contract: String, to sha256: String) async throws(RegisterError) -> Bool {
        try await read { db in
            try await db.correction(of: contract, to: sha256) != nil
        }
    }

    /// The state of each year of a contract the register holds.
    public func states(of contract: String) async throws(RegisterError) -> [Int: YearState] {
        let status = try await status(contract: contract)
        return Dictionary(uniqueKeysWithValues: status.years.map { ($0.year, $0.state) })
    }

    /// Records why values of issued years change, with the two versions' SHA-256 (the
    /// adjustment that settles them again names this reason).
    public func recordCorrection(
        contract: Contract, from before: String, to after: String, values: [CorrectedValue], reason: String,
        signer: (any EventSigner)?, party: String? = nil
    ) async throws(RegisterError) {
        try await write { db in
            let who = try await self.participant(.settle, contract: contract, signer: signer, party: party, in: db)
            _ = try await Event.append(
                .corrected, contract: contract.id, actor: who, comment: reason,
                payload: CorrectedPayload(
                    fromSHA256: before, toSHA256: after,
                    values: values.map {
                        .init(kpi: $0.kpi, year: $0.year, series: $0.series, before: $0.before, after: $0.after)
                    }), in: db)
        }
    }

    /// Refuses, before anything is written, a correction `signer` could not record.
    public func checkCorrection(contract: Contract, signer: (any EventSigner)?, party: String? = nil) async throws(RegisterError) {
        try await read { db in
            _ = try await self.participant(.settle, contract: contract, signer: signer, party: party, in: db)
        }
    }
}
