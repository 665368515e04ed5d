import Foundation
import PFSModel
import PFSStatements

/// One row of a portfolio's ledger: what a payer owes a payee under one clause of one
/// contract in one fiscal year, tied to the settlement statement `pfs settle` would make.
public struct LedgerRow: Sendable, Hashable, Codable {
    public let contract: String
    /// The contract's canonical digest.
    public let digest: String
    public let fiscalYear: Int
    /// `FY2024`, and `令和6年度` where the contract's years are Japanese.
    public let label: String
    public let labelJA: String?
    public let payer: String
    public let payee: String
    /// The project's or the payment's id.
    public let clause: String
    /// `fixed`, `outcome`, `profit-share` (or `adjustment` from a register).
    public let kind: String
    /// Exact, in the contract's written unit.
    public let amount: ExactDecimal
    public let currency: String
    public let scale: ExactDecimal
    /// The cap that cut the amount, when one did: `payment-caps` or `reward-maximum`.
    public let cappedBy: String?
    /// SHA-256 of the year's settlement JSON (`settle --year Y --format json`).
    public let settlementSHA256: String

    /// The CSV columns, in order.
    public static let columns = [
        "contract", "digest", "fiscalYear", "label", "labelJA", "payer", "payee", "clause", "kind", "amount",
        "currency", "scale", "cappedBy", "settlementSHA256",
    ]

    /// The row's fields in ``columns`` order, for CSV (texts guarded against formulas).
    public var fields: [String] {
        [
            contract, digest, String(fiscalYear), label, labelJA ?? "", SpreadsheetCSV.guarded(payer),
            SpreadsheetCSV.guarded(payee), SpreadsheetCSV.guarded(clause), kind, amount.description, currency,
            scale.description, cappedBy ?? "", settlementSHA256,
        ]
    }
}

/// What the ledger says of one contract: its years' totals and what remains to its maximum.
public struct LedgerContractSummary: Sendable, Hashable, Codable {
    public let contract: String
    public let file: String
    /// Every settled year's amount due, in order.
    public let years: [Int: ExactDecimal]
    /// The sum over the settled years.
    public let toDate: ExactDecimal
    /// The last settled year and its amount.
    public let lastYear: Int?
    public let lastYearAmount: ExactDecimal?
    /// What remains to the contract's maximum (payments' or rewards'), when it has one.
    public let remaining: ExactDecimal?
    /// The least and the most each payer may pay in each future year (see ``Envelope``).
    public let envelope: [EnvelopeBound]
}

/// The rows of a contract's settled years, and its summary.
public enum Ledger {
    /// Every row of every settled year of `history` (the term so far, in order).
    public static func rows(_ history: [Settlement]) throws(ArithmeticError) -> [LedgerRow] {
        var rows: [LedgerRow] = []
        for settlement in history {
            let sha = PFS.sha256Hex(JSONStatement.bytes(settlement))
            let rewardCut = (settlement.rewardCap?.cut ?? .zero) > .zero
            let cutPayments = Set((settlement.payments ?? []).filter { $0.cutByCaps > .zero }.map(\.id))
            for line in try DueLine.lines(of: settlement) {
                let capped: String? =
                    line.kind == "profit-share"
                    ? (rewardCut ? "reward-maximum" : nil) : (cutPayments.contains(line.clause) ? "payment-caps" : nil)
                rows.append(
                    LedgerRow(
                        contract: settlement.contract.id, digest: settlement.contract.digest,
                        fiscalYear: settlement.fiscalYear.year, label: settlement.fiscalYear.label,
                        labelJA: settlement.fiscalYear.labelJA, payer: line.payer, payee: line.payee,
                        clause: line.clause,
                        kind: line.kind, amount: line.amount, currency: settlement.amounts.currency,
                        scale: settlement.amounts.scale, cappedBy: capped, settlementSHA256: sha))
            }
        }
        return rows
    }

    /// A contract's summary from its settled years and their rows.
    public static func summary(
        _ history: [Settlement], rows: [LedgerRow], file: String, contract: Contract
    ) throws(ArithmeticError) -> LedgerContractSummary? {
        guard let last = history.last else { return nil }
        var years: [Int: ExactDecimal] = [:]
        for settlement in history { years[settlement.fiscalYear.year] = .zero }
        for row in rows { years[row.fiscalYear] = try (years[row.fiscalYear] ?? .zero).adding(row.amount) }
        let toDate = try ExactDecimal.sum(Array(years.values))
        return LedgerContractSummary(
            contract: last.contract.id, file: file, years: years, toDate: toDate, lastYear: last.fiscalYear.year,
            lastYearAmount: years[last.fiscalYear.year],
            remaining: last.paymentTotals?.remaining ?? last.rewardCap?.remaining,
            envelope: try Envelope.bounds(contract, after: history))
    }

    /// `ledger.csv`: UTF-8 with BOM, CRLF, a header row.
    public static func csv(_ rows: [LedgerRow]) -> String {
        SpreadsheetCSV.text([LedgerRow.columns] + rows.map(\.fields))
    }

    /// One JSON object per line, keys sorted, amounts as exact decimal strings.
    public static func jsonLine(_ row: LedgerRow) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(row)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// The portfolio's totals: per payer and fiscal year, and per contract.
public struct LedgerSummary: Sendable, Codable {
    /// A payer's total for a fiscal year, in the currency itself (each row's amount times
    /// its contract's scale: contracts written in 千円 and in yen add up correctly). Payers
    /// are matched by id across contracts, as a portfolio names them.
    public struct PayerYear: Sendable, Hashable, Codable {
        public let payer: String
        public let fiscalYear: Int
        public let currency: String
        public let total: ExactDecimal
    }

    public let format: String
    public let contracts: Int
    public let rows: Int
    public let payerYears: [PayerYear]
    /// The budget envelope per payer and future fiscal year, summed over the portfolio in
    /// the currency: the least, and the most (nil when a clause has no cap).
    public let envelope: [PayerYearRange]
    public let perContract: [LedgerContractSummary]

    /// A payer's envelope for a fiscal year.
    public struct PayerYearRange: Sendable, Hashable, Codable {
        public let payer: String
        public let fiscalYear: Int
        public let currency: String
        public let minimum: ExactDecimal
        public let maximum: ExactDecimal?
        /// `contract/clause` of every clause that leaves the maximum open.
        public let uncapped: [String]
    }
    /// Files refused, with their first diagnostic.
    public let refused: [String: String]

    /// A summary of nothing.
    public static let empty = LedgerSummary(
        format: "pfs-ledger-summary/1", contracts: 0, rows: 0, payerYears: [], envelope: [], perContract: [],
        refused: [:])

    private init(
        format: String, contracts: Int, rows: Int, payerYears: [PayerYear], envelope: [PayerYearRange],
        perContract: [LedgerContractSummary], refused: [String: String]
    ) {
        self.format = format
        self.contracts = contracts
        self.rows = rows
        self.payerYears = payerYears
        self.envelope = envelope
        self.perContract = perContract
        self.refused = refused
    }

    public init(
        rows: [LedgerRow], contracts: [LedgerContractSummary], refused: [String: String]
    ) throws(ArithmeticError) {
        var totals: [String: PayerYear] = [:]
        for row in rows {
            let key = "\(row.payer)\u{0}\(row.fiscalYear)\u{0}\(row.currency)"
            let before = totals[key]?.total ?? .zero
            let inCurrency = try row.amount.multiplied(by: row.scale).normalized()
            totals[key] = PayerYear(
                payer: row.payer, fiscalYear: row.fiscalYear, currency: row.currency,
                total: try before.adding(inCurrency).normalized())
        }
        format = "pfs-ledger-summary/1"
        self.contracts = contracts.count
        self.rows = rows.count
        payerYears = totals.values.sorted {
            ($0.payer, $0.fiscalYear, $0.currency) < ($1.payer, $1.fiscalYear, $1.currency)
        }
        var ranges: [String: PayerYearRange] = [:]
        for bound in contracts.flatMap(\.envelope) {
            let key = "\(bound.payer)\u{0}\(bound.fiscalYear)\u{0}\(bound.currency)"
            let least = try bound.minimum.multiplied(by: bound.scale)
            let before = ranges[key]
            var maximum: ExactDecimal?
            if let most = bound.maximum, before == nil || before?.maximum != nil {
                maximum = try (try most.multiplied(by: bound.scale)).adding(before?.maximum ?? .zero).normalized()
            }
            ranges[key] = PayerYearRange(
                payer: bound.payer, fiscalYear: bound.fiscalYear, currency: bound.currency,
                minimum: try least.adding(before?.minimum ?? .zero).normalized(), maximum: maximum,
                uncapped: (before?.uncapped ?? []) + bound.uncapped.map { "\(bound.contract)/\($0)" })
        }
        envelope = ranges.values.sorted {
            ($0.payer, $0.fiscalYear, $0.currency) < ($1.payer, $1.fiscalYear, $1.currency)
        }
        perContract = contracts.sorted { $0.contract < $1.contract }
        self.refused = refused
    }

    /// The summary as `summary.json`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }

    /// The printed summary.
    public var text: String {
        var lines = ["due per payer and fiscal year (in the currency):"]
        for total in payerYears {
            lines.append("  \(total.payer)  FY\(total.fiscalYear)  \(total.total) \(total.currency)")
        }
        lines.append("per contract (in its written unit): to date, the last year's amount, remaining to its maximum:")
        for contract in perContract {
            let last = contract.lastYear.map { "FY\($0) \(contract.lastYearAmount ?? .zero)" } ?? "—"
            let remaining = contract.remaining.map(\.description) ?? "no maximum"
            lines.append("  \(contract.contract)  to date \(contract.toDate)  \(last)  remaining \(remaining)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
