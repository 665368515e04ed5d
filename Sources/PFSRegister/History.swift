import Foundation
import PFS
import PFSModel
import SQLKit

/// One entry of a contract's history: when, what, who, why.
public struct HistoryEntry: Sendable, Hashable {
    public let at: String
    public let year: Int?
    /// What happened, in a line.
    public let what: String
    /// Who did it (party and role), when someone did.
    public let who: String?
    /// Why, when a reason was given.
    public let why: String?
    /// Further lines: the figures that changed, the amounts of an adjustment.
    public let details: [String]
}

extension Register {
    /// Every version of every figure of a contract, every settlement, adjustment and state
    /// change, in time order (all years, or one year and what concerns the whole contract).
    public func history(contract: String, year: Int? = nil) async throws(RegisterError) -> [HistoryEntry] {
        try await read { db in
            let events = try await db.events(contract: contract)
            let versions = try await self.figureChanges(contract, in: db)
            var entries: [HistoryEntry] = []
            for event in events where year == nil || event.fiscalYear == nil || event.fiscalYear == year {
                let payload = EventPayload(event)
                let member = payload?.actor.map { ", member \($0.member) of \($0.organisation)" }
                let who =
                    event.role == "authority"
                    ? "the register's authority"
                    : event.party.map { party in
                        party + (event.role.map { " (\($0))" } ?? "") + (member ?? "")
                            + (event.keyId.map { ", key \($0.prefix(16))" } ?? "")
                    }
                var details: [String] = []
                if case .settled(let settled) = payload, let version = settled.newContractVersion {
                    details += versions[version.id] ?? []
                }
                entries.append(
                    HistoryEntry(
                        at: event.at, year: event.fiscalYear, what: Self.describe(event, payload),
                        who: who, why: event.comment, details: details + Self.amounts(event, payload, year: year)))
            }
            return entries
        }
    }

    static func describe(_ event: Event, _ payload: EventPayload?) -> String {
        let year = event.fiscalYear.map { "FY\($0) " } ?? ""
        switch payload {
        case .settled(let settled):
            let run = " (run \(settled.run))"
            if let number = settled.adjustment {
                return "\(year)adjustment \(number) settled\(run), correcting run \(settled.corrects ?? 0)"
            }
            return "\(year)settled\(run) from contract \(settled.sha256?.prefix(12) ?? "")…"
        case .corrected(let corrected):
            return "contract corrected: \(corrected.fromSHA256.prefix(12))… → \(corrected.toSHA256.prefix(12))…"
        case .paid(let paid):
            return "\(year)paid: \(paid.payer) → \(paid.payee) \(paid.amount) on \(paid.date) (\(paid.reference))"
        case .rejected(let rejected): return "\(year)rejected at \(rejected.at)"
        case .bindingAdded(let binding):
            return "party \(binding.party) (\(binding.role)) bound to organisation \(binding.organisation)"
        case .revoked(let revoked) where event.kind == EventKind.bindingRevoked.rawValue:
            return "binding of party \(revoked.party ?? "") ended"
        default: return "\(year)\(event.kind)"
        }
    }

    /// The changed figures a `corrected` event lists, and an adjustment's amounts.
    static func amounts(_ event: Event, _ payload: EventPayload?, year: Int?) -> [String] {
        switch payload {
        case .corrected(let corrected):
            return corrected.values.filter { year == nil || $0.year == year }.map {
                "KPI \($0.kpi) FY\($0.year) \($0.series): \($0.before) → \($0.after)"
            }
        case .settled(let settled) where settled.adjustment != nil:
            return (settled.lines ?? []).compactMap { line in
                guard let difference = line.difference, difference != "0" else { return nil }
                return """
                    \(line.payer) → \(line.payee) \(line.clause): issued \(line.issued ?? ""), restated \
                    \(line.restated ?? ""), difference \(difference)
                    """
            }
        default: return []
        }
    }

    /// For each contract version after the first, its figures that differ from the version
    /// before: "KPI item-c FY2024 actual 2200 (source) → 2250 (source)".
    func figureChanges(_ contract: String, in db: any SQLDatabase) async throws -> [Int: [String]] {
        var changes: [Int: [String]] = [:]
        var previous: [String: String]?
        for version in try await db.contractVersions(of: contract) {
            let id = version.id
            guard let model = PFS.check(bytes: version.bytes, file: version.fileName).contract else { continue }
            var figures: [String: String] = [:]
            for kpi in model.kpis {
                for (series, observations) in [("expected", kpi.expected), ("actual", kpi.actual)] {
                    for observation in observations {
                        figures["KPI \(kpi.id) FY\(observation.year) \(series)"] =
                            observation.value.description + (observation.source.map { " (\($0))" } ?? "")
                    }
                }
            }
            if let previous {
                changes[id] = Set(figures.keys).union(previous.keys).sorted().compactMap { key -> String? in
                    guard figures[key] != previous[key] else { return nil }
                    return "\(key): \(previous[key] ?? "none") → \(figures[key] ?? "none")"
                }
            }
            previous = figures
        }
        return changes
    }
}
