/// What a municipal payment (支出) document needs beyond the figures, as the contract
/// declares it (`<administration>`, optional in both formats): the contract's number and
/// date, the budget line, the multi-year debt authorisation (債務負担行為), consumption tax,
/// the evaluation and invoice dates of each year, the issuing office. Every member is
/// optional: a contract without it settles as before, and statements print what is there.
public struct Administration: Sendable, Hashable, Codable {
    /// 契約番号, as the city numbers its contracts (not the file's id).
    public let contractNumber: String?
    /// 契約締結日, ISO 8601.
    public let concluded: String?
    /// The contract's payment clauses (支払条件: 第5条・別紙2).
    public let clauses: String?
    /// 予算科目 (款・項・目・節, e.g. 節12 委託料).
    public let budgetAccount: String?
    /// The 支出負担行為 reference.
    public let commitment: String?
    /// The multi-year debt authorisation the contract rests on.
    public let debtBurden: DebtBurden?
    /// Whether amounts include consumption tax (消費税及び地方消費税).
    public let tax: Tax?
    /// The issuing office (作成課).
    public let office: String?
    /// How the document is authenticated on paper: 公印省略, or the electronic signature.
    public let seal: Seal?
    /// Per fiscal year: who confirmed the outcomes when, and the invoice and payment dates;
    /// a settlement keeps only its own year's.
    public let years: [YearRecord]
    /// Where it was declared; nil in a settlement, which carries figures, not places.
    public let location: SourceLocation?

    /// 債務負担行為: set in a fiscal year, for a span of years, up to a limit.
    public struct DebtBurden: Sendable, Hashable, Codable {
        /// 設定年度.
        public let setIn: Int
        /// First fiscal year of its span.
        public let first: Int
        /// Last fiscal year of its span.
        public let last: Int
        /// 限度額, in the contract's written unit.
        public let limit: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation?

        /// Creates one.
        public init(setIn: Int, first: Int, last: Int, limit: ExactDecimal, location: SourceLocation? = nil) {
            self.setIn = setIn
            self.first = first
            self.last = last
            self.limit = limit
            self.location = location
        }
    }

    /// Consumption tax: included in the amounts, or added to them at `rate`.
    public struct Tax: Sendable, Hashable, Codable {
        /// Whether the contract's amounts include the tax.
        public let included: Bool
        /// The rate added when not included (0.10).
        public let rate: ExactDecimal?
        /// Where it was declared.
        public let location: SourceLocation?

        /// Creates one.
        public init(included: Bool, rate: ExactDecimal?, location: SourceLocation? = nil) {
            self.included = included
            self.rate = rate
            self.location = location
        }
    }

    /// How a printed statement is authenticated.
    public enum Seal: String, Sendable, Hashable, Codable, CaseIterable {
        /// 公印省略: issued without the official seal.
        case omitted
        /// Signed electronically (the register's Ed25519 signatures).
        case electronic
    }

    /// One fiscal year's dates of confirmation and payment.
    public struct YearRecord: Sendable, Hashable, Codable {
        /// The outcome year.
        public let year: Int
        /// 評価確定日: when the third-party evaluator confirmed the outcomes, ISO 8601.
        public let evaluated: String?
        /// The evaluator's report (評価報告書の番号・日付).
        public let report: String?
        /// 請求書提出期限, ISO 8601.
        public let invoiceBy: String?
        /// 支払期日, ISO 8601; absent: 30 days after a proper invoice, by law.
        public let payBy: String?
        /// Where it was declared.
        public let location: SourceLocation?

        /// Creates one.
        public init(
            year: Int, evaluated: String?, report: String?, invoiceBy: String?, payBy: String?,
            location: SourceLocation? = nil
        ) {
            self.location = location
            self.year = year
            self.evaluated = evaluated
            self.report = report
            self.invoiceBy = invoiceBy
            self.payBy = payBy
        }
    }

    /// Creates the record.
    public init(
        contractNumber: String?, concluded: String?, clauses: String?, budgetAccount: String?, commitment: String?,
        debtBurden: DebtBurden?, tax: Tax?, office: String?, seal: Seal?, years: [YearRecord],
        location: SourceLocation? = nil
    ) {
        self.location = location
        self.contractNumber = contractNumber
        self.concluded = concluded
        self.clauses = clauses
        self.budgetAccount = budgetAccount
        self.commitment = commitment
        self.debtBurden = debtBurden
        self.tax = tax
        self.office = office
        self.seal = seal
        self.years = years
    }

    /// The same record for one settled year: its own year's dates only, and no source
    /// locations (a settlement carries figures, not places in a file).
    public func forYear(_ year: Int) -> Administration {
        Administration(
            contractNumber: contractNumber, concluded: concluded, clauses: clauses, budgetAccount: budgetAccount,
            commitment: commitment,
            debtBurden: debtBurden.map { .init(setIn: $0.setIn, first: $0.first, last: $0.last, limit: $0.limit) },
            tax: tax.map { .init(included: $0.included, rate: $0.rate) }, office: office, seal: seal,
            years: years.filter { $0.year == year }.map {
                .init(year: $0.year, evaluated: $0.evaluated, report: $0.report, invoiceBy: $0.invoiceBy, payBy: $0.payBy)
            })
    }
}
