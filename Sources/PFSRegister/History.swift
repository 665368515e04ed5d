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
            let events = try await db.select().column("*").from("events").where("contract_id", .equal, contract)
                .orderBy("seq").all(decoding: Event.self, with: Event.decoding)
            let versions = try await self.figureChanges(contract, in: db)
            var entries: [HistoryEntry] = []
            for event in events where year == nil || event.fiscalYear == nil || event.fiscalYear == year {
                let payload = Payload(event.payload)
                let actor = payload?.members["actor"] as? [String: Any]
                let member = (actor?["member"] as? String).map { ", member \($0) of \(actor?["organisation"] as? String ?? "")" }
                let who =
                    event.role == "authority"
                    ? "the register's authority"
                    : event.party.map { party in
                        party + (event.role.map { " (\($0))" } ?? "") + (member ?? "")
                            + (event.keyId.map { ", key \($0.prefix(16))" } ?? "")
                    }
                var details: [String] = []
                if let version = (payload?.members["newContractVersion"] as? [String: Any])?["id"] as? NSNumber {
                    details += versions[version.intValue] ?? []
                }
                entries.append(
                    HistoryEntry(
                        at: event.at, year: event.fiscalYear, what: Self.describe(event, payload),
                        who: who, why: event.comment, details: details + Self.amounts(event, payload, year: year)))
            }
            return entries
        }
    }

    static func describe(_ event: Event, _ payload: Payload?) -> String {
        let year = event.fiscalYear.map { "FY\($0) " } ?? ""
        switch EventKind(rawValue: event.kind) {
        case .settled:
            let run = payload?.int("run").map { " (run \($0))" } ?? ""
            if let number = payload?.int("adjustment") {
                return "\(year)adjustment \(number) settled\(run), correcting run \(payload?.int("corrects") ?? 0)"
            }
            return "\(year)settled\(run) from contract \(payload?.string("sha256")?.prefix(12) ?? "")…"
        case .corrected:
            return
                """
                contract corrected: \(payload?.string("fromSHA256")?.prefix(12) ?? "")… → \
                \(payload?.string("toSHA256")?.prefix(12) ?? "")…
                """
        case .paid:
            return
                """
                \(year)paid: \(payload?.string("payer") ?? "") → \(payload?.string("payee") ?? "") \
                \(payload?.string("amount") ?? "") on \(payload?.string("date") ?? "") \
                (\(payload?.string("reference") ?? ""))
                """
        case .rejected: return "\(year)rejected at \(payload?.string("at") ?? "review")"
        case .bindingAdded:
            return """
                party \(payload?.string("party") ?? "") (\(payload?.string("role") ?? "")) bound to organisation \
                \(payload?.string("organisation") ?? "")
                """
        case .bindingRevoked: return "binding of party \(payload?.string("party") ?? "") ended"
        default: return "\(year)\(event.kind)"
        }
    }

    /// The changed figures a `corrected` event lists, and an adjustment's amounts.
    static func amounts(_ event: Event, _ payload: Payload?, year: Int?) -> [String] {
        guard let payload else { return [] }
        var lines: [String] = []
        for value in payload.objects("values") {
            guard let kpi = value["kpi"] as? String, let changed = (value["year"] as? NSNumber)?.intValue else {
                continue
            }
            if let year, changed != year { continue }
            lines.append(
                """
                KPI \(kpi) FY\(changed) \(value["series"] as? String ?? ""): \(value["before"] as? String ?? "") \
                → \(value["after"] as? String ?? "")
                """
            )
        }
        if payload.int("adjustment") != nil {
            for line in payload.objects("lines") {
                guard let difference = line["difference"] as? String, difference != "0" else { continue }
                lines.append(
                    """
                    \(line["payer"] as? String ?? "") → \(line["payee"] as? String ?? "") \
                    \(line["clause"] as? String ?? ""): issued \(line["issued"] as? String ?? ""), restated \
                    \(line["restated"] as? String ?? ""), difference \(difference)
                    """
                )
            }
        }
        return lines
    }

    /// For each contract version after the first, its figures that differ from the version
    /// before: "KPI item-c FY2024 actual 2200 (source) → 2250 (source)".
    func figureChanges(_ contract: String, in db: any SQLDatabase) async throws -> [Int: [String]] {
        let rows = try await db.select().columns("id", "file_name", "bytes").from("contract_versions")
            .where("contract_id", .equal, contract).orderBy("id").all()
        var changes: [Int: [String]] = [:]
        var previous: [String: String]?
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            let bytes = Array(try row.decode(column: "bytes", as: Data.self))
            guard
                let model = PFS.check(bytes: bytes, file: try row.decode(column: "file_name", as: String.self)).contract
            else { continue }
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
