import Foundation
import PFS
import PFSLedger
import PFSModel
import SQLKit

/// What `pfs status` answers: per contract and year, the state, the amounts due and paid
/// per payer and payee, and who signed when; per payer and fiscal year, issued, paid and
/// outstanding; per contract, what remains to its maximum.
public struct RegisterStatus: Sendable {
    /// Every contract-year the register holds, by contract then year.
    public let years: [YearRecord]
    /// Each contract's budget envelope (the least and the most each payer may pay in each
    /// year after the last with data), from its newest version in the register.
    public let envelopes: [String: [EnvelopeBound]]
    /// What `pfs register verify` finds in the register: status checks what it shows, and
    /// says so when the register was changed behind pfs's back.
    public let findings: [Tampering]

    /// The envelopes added up per payer and fiscal year, in the currency.
    public var envelopeTotals: EnvelopeTotals {
        var totals = EnvelopeTotals()
        for contract in envelopes.keys.sorted() { try? totals.add(envelopes[contract] ?? []) }
        return totals
    }

    /// Per payer and fiscal year of payment (the year whose budget pays it): issued, paid,
    /// outstanding (issued years only).
    public var byPayer:
        [(payer: String, year: Int, issued: ExactDecimal, paid: ExactDecimal, outstanding: ExactDecimal)]
    {
        Self.byPayer(years)
    }

    /// ``byPayer`` of any contract-years (the portal's, of the contracts a member may see).
    public static func byPayer(_ years: [YearRecord])
        -> [(payer: String, year: Int, issued: ExactDecimal, paid: ExactDecimal, outstanding: ExactDecimal)]
    {
        var rows: [String: (String, Int, ExactDecimal, ExactDecimal)] = [:]
        var order: [String] = []
        for record in years {
            for run in record.issuedRuns {
                for due in run.dues {
                    let key = "\(due.payer)\u{0}\(record.paymentYear)"
                    if rows[key] == nil {
                        rows[key] = (due.payer, record.paymentYear, .zero, .zero)
                        order.append(key)
                    }
                    let paid = run.payments.contains { $0.payer == due.payer && $0.payee == due.payee }
                    guard var row = rows[key] else { continue }
                    row.2 = (try? row.2.adding(due.amount)) ?? row.2
                    if paid { row.3 = (try? row.3.adding(due.amount)) ?? row.3 }
                    rows[key] = row
                }
            }
        }
        return order.compactMap { rows[$0] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map {
            ($0.0, $0.1, $0.2, $0.3, (try? $0.2.subtracting($0.3)) ?? .zero)
        }
    }

    /// The status as text, for a terminal.
    public var text: String {
        var warning: [String] = []
        if let first = findings.first {
            warning = [
                """
                WARNING: the register does not verify (\(findings.count) finding\(findings.count == 1 ? "" : "s"); \
                first: \(first)): what follows may not be what pfs recorded; `pfs register verify` lists them
                """
            ]
        }
        guard !years.isEmpty else { return (warning + ["The register holds no settled year."]).joined(separator: "\n") + "\n" }
        var lines: [String] = []
        var contract = ""
        for record in years {
            if record.contractID != contract {
                contract = record.contractID
                lines.append("")
                lines.append("contract \(contract)")
            }
            let adjustment = record.adjustment.map { "adjustment \($0) " } ?? ""
            // An issued year that owes nothing was not "paid": there was nothing to pay.
            let state = record.state == .paid && record.dues.isEmpty ? "issued, nothing due" : record.state.rawValue
            // The digest statements show (the canonical form's SHA-256), not the file's.
            lines.append(
                "  FY\(record.year)  \(adjustment)\(state)  "
                    + "(run \(record.runID), contract digest \(record.digest.prefix(12))…)")
            for event in record.events where event.kind != EventKind.paid.rawValue {
                let who = [event.party, event.role.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
                let member = EventPayload(event)?.actor.map { "member \($0.member) of \($0.organisation)" }
                // Events made before organisations name only the key (or nothing, unsigned).
                let signed =
                    event.keyId.map { key in member.map { " signed by \($0) (key \(key.prefix(16)))" } ?? " signed with key \(key.prefix(16))" }
                    ?? " unsigned"
                let note = event.comment.map { ": \($0)" } ?? ""
                lines.append("    \(event.at)  \(event.kind) by \(who.isEmpty ? "—" : who)\(signed)\(note)")
            }
            for due in record.dues {
                let payment = record.payments.first { $0.payer == due.payer && $0.payee == due.payee }
                let paid = payment.map { "paid \($0.date) ref \($0.reference)" } ?? "not paid"
                lines.append("    \(due.payer) → \(due.payee)  due \(due.amount)  \(paid)")
            }
            if let toDate = record.paidToDate { lines.append("    payments to date \(toDate)") }
            if let remaining = record.remaining { lines.append("    remaining to the maximum \(remaining)") }
            let next = years.firstIndex { $0.contractID == contract && $0.year > record.year }
            if next == nil {
                for bound in envelopes[contract] ?? [] {
                    let most =
                        bound.maximum.map(\.description) ?? "no maximum (\(bound.uncapped.joined(separator: ", ")))"
                    lines.append(
                        """
                            envelope FY\(bound.fiscalYear)\(bound.paymentYear == bound.fiscalYear ? "" : " (paid FY\(bound.paymentYear))")\
                          \(bound.payer)  least \(bound.minimum)  most \(most)
                        """)
                }
            }
        }
        let payers = byPayer
        if !payers.isEmpty {
            lines.append("")
            lines.append("per payer and fiscal year of payment (issued years)")
            for row in payers {
                lines.append(
                    "  \(row.payer)  FY\(row.year)  issued \(row.issued)  paid \(row.paid)  "
                        + "outstanding \(row.outstanding)")
            }
        }
        let envelope = envelopeTotals.lines
        if !envelope.isEmpty { lines += [""] + envelope }
        return (warning + lines.dropFirst()).joined(separator: "\n") + "\n"
    }
}

extension Register {
    /// Where one contract-year stands, or nil when the register does not hold it.
    public func record(of contract: String, year: Int) async throws(RegisterError) -> YearRecord? {
        try await read { db in try await self.record(contract, year, in: db) }
    }

    /// The status of one contract, or of every contract.
    public func status(contract: String? = nil) async throws(RegisterError) -> RegisterStatus {
        try await read { db in
            let pairs = try await db.contractYears(with: .settled, contract: contract)
            var records: [YearRecord] = []
            for (id, year) in pairs {
                if let record = try await self.record(id, year, in: db) { records.append(record) }
            }
            var envelopes: [String: [EnvelopeBound]] = [:]
            for id in Set(records.map(\.contractID)) { envelopes[id] = try await self.envelope(of: id, in: db) }
            let (_, findings) = try await self.audit(db)
            return RegisterStatus(years: records, envelopes: envelopes, findings: findings)
        }
    }
}

extension Register {
    /// The budget envelope of a contract's newest version in the register: its term settled
    /// as far as it has data, the bounds of every year after (none when the version no
    /// longer settles: `pfs check` says why).
    func envelope(of contract: String, in db: any SQLDatabase) async throws -> [EnvelopeBound] {
        guard let version = try await db.newestContractVersion(of: contract) else { return [] }
        let fileName = version.fileName
        let checked = PFS.check(bytes: version.bytes, file: fileName)
        guard let model = checked.contract, case .success(let history) = PFS.settleTerm(checked, fileName: fileName)
        else { return [] }
        return (try? Envelope.bounds(model, after: history)) ?? []
    }
}
