/// How a contract's value for money is measured (`<value-for-money>`): the discount rate
/// schedule its present values are taken at, whether its rates are real or nominal, and
/// the precision a rate of return is found to.
public struct ValueDeclaration: Sendable, Hashable {
    /// The discount rate schedule: built in, one constant rate, or declared rate by rate.
    public enum Discount: String, Sendable, Hashable, CaseIterable {
        /// Japan's social discount rate, 4% (real).
        case japan
        /// HM Treasury's Green Book declining rate: 3.5%, 3.0% from year 31, 2.5% from year 76,
        /// 2.0% from 126, 1.5% from 201, 1.0% from 301.
        case greenBook = "green-book"
        /// One rate for every year (``ValueDeclaration/rate``).
        case constant
        /// The ``ValueDeclaration/rates``, each from its year on.
        case declared
    }

    /// One rate of a declared schedule: from year `from` (1 is the first year of the term).
    public struct DeclaredRate: Sendable, Hashable {
        public let from: Int
        public let rate: ExactDecimal
        public let location: SourceLocation

        public init(from: Int, rate: ExactDecimal, location: SourceLocation) {
            self.from = from
            self.rate = rate
            self.location = location
        }
    }

    public let discount: Discount
    /// The constant rate (`rate`), as written; meaningful for a constant schedule only.
    public let rate: ExactDecimal?
    /// The declared rates (`<rate>`), as written; meaningful for a declared schedule only.
    public let rates: [DeclaredRate]
    /// Whether a declared schedule may never rise (`declining`).
    public let declining: Bool
    public let terms: DiscountTerms
    /// Decimal places of a ratio a rate of return is found to (4: 0.0953, 9.53%).
    public let rateDigits: Int
    public let location: SourceLocation

    public init(
        discount: Discount, rate: ExactDecimal? = nil, rates: [DeclaredRate] = [], declining: Bool = false,
        terms: DiscountTerms = .real, rateDigits: Int = defaultRateDigits, location: SourceLocation
    ) {
        self.discount = discount
        self.rate = rate
        self.rates = rates
        self.declining = declining
        self.terms = terms
        self.rateDigits = rateDigits
        self.location = location
    }

    /// The places a rate of return is found to when nothing declares them.
    public static let defaultRateDigits = 4
}

/// Whether discount rates and the flows they discount are real (at constant prices, net of
/// inflation) or nominal (at the prices of their year).
public enum DiscountTerms: String, Sendable, Hashable, CaseIterable, Codable {
    case real, nominal
}
