import PFS
import PFSModel
import PFSStatements

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

    /// A contract's summary from its settled years and their rows.
    public init?(
        _ history: [Settlement], rows: [LedgerRow], file: String, contract: Contract
    ) throws(ArithmeticError) {
        guard let last = history.last else { return nil }
        var years: [Int: ExactDecimal] = [:]
        for settlement in history { years[settlement.fiscalYear.year] = .zero }
        for row in rows { years[row.fiscalYear] = try (years[row.fiscalYear] ?? .zero).adding(row.amount) }
        self.contract = last.contract.id
        self.file = file
        self.years = years
        toDate = try ExactDecimal.sum(Array(years.values))
        lastYear = last.fiscalYear.year
        lastYearAmount = years[last.fiscalYear.year]
        remaining = last.paymentTotals?.remaining ?? last.rewardCap?.remaining
        envelope = try Envelope.bounds(contract, after: history)
    }

    /// The summary as an element of `summary.json`'s `perContract` array, laid out as
    /// `JSONEncoder` lays it out there (`first`: the array's first element).
    public func jsonElement(first: Bool) -> [UInt8] {
        var writer = JSONWriter(elementAtDepth: 2, first: first)
        writer.object { json in
            json.member("contract", contract)
            json.key("envelope")
            json.array(envelope) { json, bound in
                json.object { json in
                    json.member("contract", bound.contract)
                    json.member("currency", bound.currency)
                    json.member("fiscalYear", bound.fiscalYear)
                    json.member("maximum", bound.maximum)
                    json.member("minimum", bound.minimum)
                    json.member("payer", bound.payer)
                    json.member("paymentYear", bound.paymentYear)
                    json.member("scale", bound.scale)
                    json.key("uncapped")
                    json.array(bound.uncapped) { $0.string($1) }
                }
            }
            json.member("file", file)
            if let lastYear { json.member("lastYear", lastYear) }
            json.member("lastYearAmount", lastYearAmount)
            json.member("remaining", remaining)
            json.member("toDate", toDate)
            json.key("years")
            json.object { json in
                // JSONEncoder writes integer keys as strings, sorted as strings.
                for (year, amount) in years.sorted(by: { String($0.key) < String($1.key) }) {
                    json.key(String(year))
                    json.decimal(amount)
                }
            }
        }
        return writer.fragment()
    }

    /// The summary's line in the printed summary.
    public var line: String {
        let last = lastYear.map { "FY\($0) \(lastYearAmount ?? .zero)" } ?? "—"
        return "  \(contract)  to date \(toDate)  \(last)  remaining \(remaining.map(\.description) ?? "no maximum")"
    }
}

/// The portfolio's totals, added up contract by contract as a run goes (nothing per row or
/// per contract is kept but the first lines of the printed summary: memory stays flat
/// whatever the portfolio's size).
public struct LedgerSummary: Sendable {
    /// A payer's total for a fiscal year — the year whose budget pays it (支払年度), which is
    /// the outcome year's or the next one's as each contract declares — in the currency itself (each row's amount times
    /// its contract's scale: contracts written in 千円 and in yen add up correctly). Payers
    /// are matched by id across contracts, as a portfolio names them.
    public struct PayerYear: Sendable, Hashable {
        public let payer: String
        public let fiscalYear: Int
        public let currency: String
        public let total: ExactDecimal
    }

    /// The `format` member of `summary.json`.
    public static let format = "pfs-ledger-summary/1"
    /// Contracts listed one by one in the printed summary (all are in `summary.json`).
    public static let printedContracts = 50

    public private(set) var contracts = 0
    public private(set) var rows = 0
    /// Files refused, with their first diagnostic.
    public private(set) var refused: [String: String] = [:]
    private var totals: [String: PayerYear] = [:]
    private var envelopeTotals = EnvelopeTotals()
    private var contractLines: [String] = []

    public init() {}

    /// Per payer and fiscal year, sorted.
    public var payerYears: [PayerYear] {
        totals.values.sorted { ($0.payer, $0.fiscalYear, $0.currency) < ($1.payer, $1.fiscalYear, $1.currency) }
    }

    /// The budget envelope per payer and future fiscal year, sorted.
    public var envelope: [EnvelopeTotal] { envelopeTotals.totals }

    /// Adds a contract's rows and summary.
    public mutating func add(_ contractRows: [LedgerRow], _ summary: LedgerContractSummary?) throws(ArithmeticError) {
        for row in contractRows {
            let key = "\(row.payer)\u{0}\(row.paymentYear)\u{0}\(row.currency)"
            let inCurrency = try row.amount.multiplied(by: row.scale).normalized()
            totals[key] = PayerYear(
                payer: row.payer, fiscalYear: row.paymentYear, currency: row.currency,
                total: try (totals[key]?.total ?? .zero).adding(inCurrency).normalized())
        }
        rows += contractRows.count
        guard let summary else { return }
        contracts += 1
        if contractLines.count < Self.printedContracts { contractLines.append(summary.line) }
        try envelopeTotals.add(summary.envelope)
    }

    /// Records a file that was refused, with its first error.
    public mutating func refuse(_ file: String, reason: String) {
        refused[file] = reason
    }

    /// `summary.json` up to the first element of `perContract` (which are written
    /// elsewhere, one ``LedgerContractSummary/jsonElement(first:)`` each), and after the
    /// last: keys sorted, laid out as `JSONEncoder` with `.prettyPrinted, .sortedKeys`.
    public func jsonAround() -> (head: [UInt8], tail: [UInt8]) {
        var json = JSONWriter(capacity: 4_096)
        var head: [UInt8] = []
        json.object { json in
            json.member("contracts", contracts)
            json.key("envelope")
            json.array(envelope) { json, range in
                json.object { json in
                    json.member("currency", range.currency)
                    json.member("maximum", range.maximum)
                    json.member("minimum", range.minimum)
                    json.member("payer", range.payer)
                    json.member("paymentYear", range.fiscalYear)
                    json.key("uncapped")
                    json.array(range.uncapped) { $0.string($1) }
                }
            }
            json.member("format", Self.format)
            json.key("payerYears")
            json.array(payerYears) { json, total in
                json.object { json in
                    json.member("currency", total.currency)
                    json.member("payer", total.payer)
                    json.member("paymentYear", total.fiscalYear)
                    json.member("total", total.total)
                }
            }
            json.key("perContract")
            json.beginArray()
            head = json.take()
            json.endArray(hadElements: contracts > 0)
            json.key("refused")
            json.object { json in
                for (file, reason) in refused.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes($1.key.utf8) })
                {
                    json.key(file)
                    json.string(reason)
                }
            }
            json.member("rows", rows)
        }
        return (head, json.finished())
    }

    /// The printed summary.
    public var text: String {
        var lines = ["due per payer and fiscal year of payment (in the currency):"]
        for total in payerYears {
            lines.append("  \(total.payer)  FY\(total.fiscalYear)  \(total.total) \(total.currency)")
        }
        lines.append("per contract (in its written unit): to date, the last year's amount, remaining to its maximum:")
        lines += contractLines
        if contracts > contractLines.count {
            lines.append("  … and \(contracts - contractLines.count) more contracts: see summary.json")
        }
        lines += envelopeTotals.lines
        return lines.joined(separator: "\n") + "\n"
    }
}
