extension Settlement {
    /// How a share-of-savings payment stood against its repayment mark (format 2): the
    /// rate before and after, what was repaid before and after, and where the rate changed.
    public struct Repayment: Sendable, Hashable, Codable {
        /// The payments that repay the same investors share this id.
        public let account: String
        /// Principal plus the declared return.
        public let mark: ExactDecimal
        /// The savings the rates were applied to (0 when there were none).
        public let savings: ExactDecimal
        /// The rate until the mark is repaid.
        public let rate: ExactDecimal
        /// The rate once it is.
        public let thenRate: ExactDecimal
        /// Paid to the account by its earlier payments (repayment, then what follows it).
        public let paidBefore: ExactDecimal
        /// Paid to the account once this payment is made.
        public let paidAfter: ExactDecimal
        /// The savings of the year at which the mark was reached, as shown (`≈` when cut);
        /// nil when the rate did not change within this payment.
        public let switchedAtSavings: String?
        /// Creates one.
        public init(
            account: String, mark: ExactDecimal, savings: ExactDecimal, rate: ExactDecimal, thenRate: ExactDecimal,
            paidBefore: ExactDecimal, paidAfter: ExactDecimal, switchedAtSavings: String?
        ) {
            self.account = account
            self.mark = mark
            self.savings = savings
            self.rate = rate
            self.thenRate = thenRate
            self.paidBefore = paidBefore
            self.paidAfter = paidAfter
            self.switchedAtSavings = switchedAtSavings
        }
    }
}
