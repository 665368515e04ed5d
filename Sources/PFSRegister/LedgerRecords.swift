import PFS
import PFSLedger
import PFSModel

extension Register {
    /// What the register holds for a portfolio's ledger, by contract id and fiscal year: each
    /// year's state and the lines it books — an issued year its original amounts, then
    /// every issued adjustment's differences (kind `adjustment`); a year not yet issued its
    /// latest run's lines.
    public func ledgerRecords() async throws(RegisterError) -> [String: [Int: RecordedYear]] {
        var records: [String: [Int: RecordedYear]] = [:]
        for record in try await status().years {
            guard let settled = record.events.last(where: { $0.kind == EventKind.settled.rawValue }),
                case .settled(let latest) = EventPayload(settled)
            else { continue }
            let cycles = Self.issuedCycles(record)
            var lines: [RecordedYear.Line] = []
            for (index, cycle) in (cycles.isEmpty ? [latest] : cycles).enumerated() {
                // Runs recorded before registers kept settlement digests have none.
                let digest = cycle.settlementDigest ?? ""
                for recorded in cycle.lines ?? [] {
                    let line = recorded.due
                    if index == 0 {
                        lines.append(
                            RecordedYear.Line(line: line, kind: line.kind, amount: line.amount, settlementDigest: digest))
                        continue
                    }
                    let difference = recorded.difference.flatMap(ExactDecimal.init(plain:)) ?? .zero
                    guard difference != .zero else { continue }
                    lines.append(
                        RecordedYear.Line(line: line, kind: "adjustment", amount: difference, settlementDigest: digest))
                }
            }
            records[record.contractID, default: [:]][record.year] = RecordedYear(
                state: record.state.rawValue, digest: record.digest,
                settlementDigest: latest.settlementDigest ?? "", lines: lines)
        }
        return records
    }
}

extension Register {
    /// What the register records paid for each outcome year of a contract (years it holds
    /// with nothing paid are zero): the payments made that `pfs value` tells from those due.
    public func paidByYear(contract: String) async throws(RegisterError) -> [Int: ExactDecimal] {
        var paid: [Int: ExactDecimal] = [:]
        for record in try await status(contract: contract).years where record.contractID == contract {
            do {
                paid[record.year] = try ExactDecimal.sum(record.payments.map(\.amount))
            } catch {
                // Each payment was checked against an amount due when it was recorded.
                throw .database("the payments recorded for FY\(record.year) do not add up: \(error)")
            }
        }
        return paid
    }
}
