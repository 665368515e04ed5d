import PFSModel
import PFSStatements

/// One row of a portfolio's ledger: what a payer owes a payee under one clause of one
/// contract in one fiscal year, tied to the settlement statement `pfs settle` would make.
public struct LedgerRow: Sendable, Hashable, Codable {
    public let contract: String
    /// The contract's canonical digest.
    public let digest: String
    /// The outcome year (成果対象年度).
    public let fiscalYear: Int
    /// The fiscal year whose budget pays it (支払年度): what per-payer totals are grouped by.
    public let paymentYear: Int
    /// `FY2024`, and `令和6年度` where the contract's years are Japanese.
    public let label: String
    public let labelJA: String?
    public let payer: String
    public let payee: String
    /// The project's or the payment's id.
    public let clause: String
    /// `fixed`, `outcome`, `profit-share`, or `adjustment` (an issued correction in a register).
    public let kind: String
    /// Exact, in the contract's written unit.
    public let amount: ExactDecimal
    public let currency: String
    public let scale: ExactDecimal
    /// The cap that cut the amount, when one did: `payment-caps` or `reward-maximum`.
    public let cappedBy: String?
    /// The year's settlement digest (``SettlementDigest``), which its statements record;
    /// for a year a register holds, the digest of the run it booked (empty for a run
    /// recorded before registers kept it).
    public let settlementDigest: String
    /// With `--register`: the year's state there (`settled` … `paid`), or `unrecorded`.
    public let registerState: String?

    /// The CSV columns, in order.
    public static let columns = [
        "contract", "digest", "fiscalYear", "paymentYear", "label", "labelJA", "payer", "payee", "clause", "kind", "amount",
        "currency", "scale", "cappedBy", "settlementDigest", "registerState",
    ]

    /// The row's fields in ``columns`` order, for CSV (texts guarded against formulas).
    public var fields: [String] {
        [
            contract, digest, String(fiscalYear), String(paymentYear), label, labelJA ?? "", SpreadsheetCSV.guarded(payer),
            SpreadsheetCSV.guarded(payee), SpreadsheetCSV.guarded(clause), kind, amount.description, currency,
            scale.description, cappedBy ?? "", settlementDigest, registerState ?? "",
        ]
    }

    /// The row as a CSV line: a line end first (the header has none after it).
    public var csvLine: [UInt8] {
        var bytes: [UInt8] = [0x0D, 0x0A]
        SpreadsheetCSV.append(fields, to: &bytes)
        return bytes
    }

    /// The row as one JSON Lines record: keys sorted, amounts as exact decimal strings,
    /// absent values left out (what `JSONEncoder` writes with `.sortedKeys`).
    public var jsonLine: [UInt8] {
        var writer = JSONWriter(capacity: 512, layout: .compact)
        writer.object { json in
            json.member("amount", amount)
            json.member("cappedBy", cappedBy)
            json.member("clause", clause)
            json.member("contract", contract)
            json.member("currency", currency)
            json.member("digest", digest)
            json.member("fiscalYear", fiscalYear)
            json.member("kind", kind)
            json.member("label", label)
            json.member("labelJA", labelJA)
            json.member("payee", payee)
            json.member("payer", payer)
            json.member("paymentYear", paymentYear)
            json.member("registerState", registerState)
            json.member("scale", scale)
            json.member("settlementDigest", settlementDigest)
        }
        return writer.finished()
    }
}

/// What a register holds for one contract-year, as the ledger takes it: the state and the
/// lines booked (an issued year: its original amounts, then each issued adjustment's
/// differences; a year not yet issued: its latest run's lines).
public struct RecordedYear: Sendable, Hashable {
    /// One booked line and the run whose settlement it comes from.
    public struct Line: Sendable, Hashable {
        public let line: DueLine
        /// `adjustment` for an issued correction's difference, else the line's own kind.
        public let kind: String
        public let amount: ExactDecimal
        /// The settlement digest of the run it comes from (empty: not recorded).
        public let settlementDigest: String

        public init(line: DueLine, kind: String, amount: ExactDecimal, settlementDigest: String) {
            self.line = line
            self.kind = kind
            self.amount = amount
            self.settlementDigest = settlementDigest
        }
    }

    public let state: String
    /// The contract's canonical digest when the latest run was settled.
    public let digest: String
    /// The settlement digest of the latest run (empty: recorded before registers kept it).
    public let settlementDigest: String
    public let lines: [Line]

    public init(state: String, digest: String, settlementDigest: String, lines: [Line]) {
        self.state = state
        self.digest = digest
        self.settlementDigest = settlementDigest
        self.lines = lines
    }
}

/// The rows of a contract's settled years, and its summary.
public enum Ledger {
    /// Every row of every settled year of `history` (the term so far, in order).
    public static func rows(_ history: [Settlement]) throws(ArithmeticError) -> [LedgerRow] {
        try rows(history, recorded: nil).rows
    }

    /// Every row of every settled year of `history`; with `recorded` (what a register holds
    /// for the contract, by year), the years it holds are taken from it, and each is checked
    /// against the settlement made now (`ledger-register` when they differ).
    public static func rows(
        _ history: [Settlement], recorded: [Int: RecordedYear]?
    ) throws(ArithmeticError) -> (rows: [LedgerRow], diagnostics: [Diagnostic]) {
        var rows: [LedgerRow] = []
        var diagnostics: [Diagnostic] = []
        for settlement in history {
            let digest = SettlementDigest.of(settlement)
            let year = settlement.fiscalYear.year
            if let held = recorded?[year] {
                // A settlement digest changes with the contract's digest (a correction of
                // another year) though its figures do not: warn only when the money differs.
                if held.settlementDigest != digest, try !sameMoney(held, DueLine.lines(of: settlement)) {
                    diagnostics.append(difference(settlement, held: held, digest: digest))
                }
                rows += held.lines.map { recordedRow($0, of: settlement, held: held) }
                continue
            }
            let rewardCut = (settlement.rewardCap?.cut ?? .zero) > .zero
            let cutPayments = Set((settlement.payments ?? []).filter { $0.cutByCaps > .zero }.map(\.id))
            for line in try DueLine.lines(of: settlement) {
                let capped: String? =
                    line.kind == "profit-share"
                    ? (rewardCut ? "reward-maximum" : nil) : (cutPayments.contains(line.clause) ? "payment-caps" : nil)
                rows.append(
                    row(
                        settlement, line: line, kind: line.kind, amount: line.amount, cappedBy: capped,
                        settlementDigest: digest, state: recorded == nil ? nil : "unrecorded"))
            }
        }
        return (rows, diagnostics)
    }

    private static func recordedRow(
        _ booked: RecordedYear.Line, of settlement: Settlement, held: RecordedYear
    )
        -> LedgerRow
    {
        row(
            settlement, line: booked.line, kind: booked.kind, amount: booked.amount, cappedBy: nil,
            settlementDigest: booked.settlementDigest, state: held.state, digest: held.digest)
    }

    private static func row(
        _ settlement: Settlement, line: DueLine, kind: String, amount: ExactDecimal, cappedBy: String?,
        settlementDigest: String, state: String?, digest: String? = nil
    ) -> LedgerRow {
        LedgerRow(
            contract: settlement.contract.id, digest: digest ?? settlement.contract.digest,
            fiscalYear: settlement.fiscalYear.year, paymentYear: settlement.paymentYear.fiscalYear.year,
            label: settlement.fiscalYear.label,
            labelJA: settlement.fiscalYear.labelJA, payer: line.payer, payee: line.payee, clause: line.clause,
            kind: kind, amount: amount, currency: settlement.amounts.currency, scale: settlement.amounts.scale,
            cappedBy: cappedBy, settlementDigest: settlementDigest, registerState: state)
    }

    /// Whether the register's booked lines (an adjustment's differences included) come to
    /// the same amount per payer, payee and clause as the lines settled now.
    private static func sameMoney(_ held: RecordedYear, _ now: [DueLine]) throws(ArithmeticError) -> Bool {
        func totals(_ lines: [(payer: String, payee: String, clause: String, amount: ExactDecimal)])
            throws(ArithmeticError) -> [String: ExactDecimal]
        {
            var sums: [String: ExactDecimal] = [:]
            for line in lines {
                let key = "\(line.payer)\u{0}\(line.payee)\u{0}\(line.clause)"
                sums[key] = try (sums[key] ?? .zero).adding(line.amount)
            }
            return sums.filter { $0.value != .zero }
        }
        return try totals(held.lines.map { ($0.line.payer, $0.line.payee, $0.line.clause, $0.amount) })
            == totals(now.map { ($0.payer, $0.payee, $0.clause, $0.amount) })
    }

    /// A year the register holds that the contract now settles differently.
    private static func difference(_ settlement: Settlement, held: RecordedYear, digest: String) -> Diagnostic {
        let year = settlement.fiscalYear.label
        // A run recorded before registers kept settlement digests has none to show.
        let heldDigest = held.settlementDigest.isEmpty ? "(not recorded)" : "\(held.settlementDigest.prefix(12))…"
        let cause =
            held.digest == settlement.contract.digest
            ? "the contract is the same (digest \(held.digest.prefix(12))…), so the engine or its rules differ"
            : "the contract changed since (digest \(held.digest.prefix(12))… then, "
                + "\(settlement.contract.digest.prefix(12))… now)"
        return Diagnostic(
            .warning, check: .ledgerRegister,
            message:
                """
                \(year) of contract '\(settlement.contract.id)' is \(held.state) in the register with settlement \
                digest \(heldDigest), but the contract settles to \(digest.prefix(12))… now: \
                \(cause); \
                the ledger shows the register's amounts
                """,
            hint:
                """
                run `pfs settle \(settlement.contract.file) --year \(settlement.fiscalYear.year) --register …` to \
                record the new figures (an adjustment once the year is issued)
                """,
            at: .file(settlement.contract.file))
    }

    /// The CSV header: the BOM and the column names (each row starts with its line end).
    public static var csvHeader: [UInt8] {
        var bytes = SpreadsheetCSV.byteOrderMark
        SpreadsheetCSV.append(LedgerRow.columns, to: &bytes)
        return bytes
    }
}
