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

extension Settlement {
    /// One class of a social impact bond's capital in the settled year (format 2).
    public struct ClassFlow: Sendable, Hashable, Codable {
        /// The class's id, name and rank (1 is paid first).
        public let id: String
        public let name: LocalizedText
        public let rank: Int
        /// Its principal, whether protected, and how it is repaid.
        public let principal: ExactDecimal
        public let protected: Bool
        public let repayment: String
        /// The annual rate the grid gives for this year's performance, as shown (`≈` when
        /// interpolation gives more decimals); nil when the performance was not measured.
        public let rate: String?
        /// The return the year earns (rate × principal, rounded once; within the class's cap).
        public let returnEarned: ExactDecimal
        /// Return paid this year and to date; earned but not paid to date.
        public let returnThisYear: ExactDecimal
        public let returnToDate: ExactDecimal
        public let returnUnpaid: ExactDecimal
        /// Principal repaid this year and to date.
        public let principalThisYear: ExactDecimal
        public let principalToDate: ExactDecimal
        /// Principal lost (below the performance floor, or unpaid at maturity when not
        /// protected): shown as a loss, never as a negative payment.
        public let loss: ExactDecimal
        /// Principal still owed (a protected class unpaid at maturity, or before it).
        public let principalOutstanding: ExactDecimal
        /// The performance below which the class loses principal at maturity, and the one at
        /// or below which it loses all of it: what a loss is explained by.
        public let lossFloor: ExactDecimal?
        public let totalLossAt: ExactDecimal?
        /// The part of ``loss`` lost because the performance was below ``lossFloor`` at
        /// maturity (the rest was principal unpaid at maturity); nil without a floor.
        public let lossBelowFloor: ExactDecimal?
        /// Creates one.
        public init(
            id: String, name: LocalizedText, rank: Int, principal: ExactDecimal, protected: Bool, repayment: String,
            rate: String?, returnEarned: ExactDecimal, returnThisYear: ExactDecimal, returnToDate: ExactDecimal,
            returnUnpaid: ExactDecimal, principalThisYear: ExactDecimal, principalToDate: ExactDecimal,
            loss: ExactDecimal, principalOutstanding: ExactDecimal, lossFloor: ExactDecimal? = nil,
            totalLossAt: ExactDecimal? = nil, lossBelowFloor: ExactDecimal? = nil
        ) {
            self.lossBelowFloor = lossBelowFloor
            self.lossFloor = lossFloor
            self.totalLossAt = totalLossAt
            self.id = id
            self.name = name
            self.rank = rank
            self.principal = principal
            self.protected = protected
            self.repayment = repayment
            self.rate = rate
            self.returnEarned = returnEarned
            self.returnThisYear = returnThisYear
            self.returnToDate = returnToDate
            self.returnUnpaid = returnUnpaid
            self.principalThisYear = principalThisYear
            self.principalToDate = principalToDate
            self.loss = loss
            self.principalOutstanding = principalOutstanding
        }
    }
}
