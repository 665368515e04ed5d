/// A social impact bond's waterfall: outcome payments made to the intermediary go first
/// to its fee, then to the investors' principal, then to their return up to a maximum
/// rate, and what remains to the residual party (usually the provider).
public struct SIB: Sendable, Hashable {
    /// The intermediary (or trust) the payments are made to.
    public let intermediary: String
    /// Its fee, a fraction of every amount it receives (0 for none).
    public let feeRate: ExactDecimal
    /// The investors, in declared order.
    public let investors: [Investor]
    /// Who receives what remains once the investors are repaid with their return.
    public let residual: String
    /// The capital in classes (format 2), instead of ``investors``.
    public let classes: [InvestorClass]
    /// The performance the classes' return grids are keyed to (format 2).
    public let performance: PerformanceMeasure?
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a waterfall.
    public init(
        intermediary: String, feeRate: ExactDecimal, investors: [Investor], residual: String,
        classes: [InvestorClass] = [], performance: PerformanceMeasure? = nil, location: SourceLocation
    ) {
        self.classes = classes
        self.performance = performance
        self.intermediary = intermediary
        self.feeRate = feeRate
        self.investors = investors
        self.residual = residual
        self.location = location
    }

    /// An investor's stake.
    public struct Investor: Sendable, Hashable {
        /// The investor party.
        public let party: String
        /// What it put in, repaid first.
        public let principal: ExactDecimal
        /// Its return at most, as a fraction of its principal (0.08 for 8%), paid after every
        /// investor's principal; nil for an investor whose return has no cap
        /// (`max-return="none"`).
        public let maximumReturn: ExactDecimal?
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates an investor.
        public init(party: String, principal: ExactDecimal, maximumReturn: ExactDecimal?, location: SourceLocation) {
            self.party = party
            self.principal = principal
            self.maximumReturn = maximumReturn
            self.location = location
        }
    }
}

/// A class of a social impact bond's capital (format 2): principal, a ranking, whether the
/// principal is protected, and a return grid keyed to the bond's performance measure.
public struct InvestorClass: Sendable, Hashable {
    /// How the class is repaid.
    public enum Repayment: String, Sendable, Hashable, Codable, CaseIterable {
        /// The year's return (coupon) each year, the principal at maturity (the term's last year).
        case coupons
        /// The principal as soon as money allows, then the returns accrued.
        case principalFirst = "principal-first"
    }

    /// How the return grid gives a rate between its points.
    public enum Interpolation: String, Sendable, Hashable, Codable, CaseIterable {
        /// The rate of the last point at or below the performance (0 below the first).
        case steps
        /// Straight-line between the neighbouring points (the end points' rates beyond them).
        case linear
    }

    /// One point of the return grid: from performance `at`, an annual rate.
    public struct Point: Sendable, Hashable {
        /// The performance.
        public let at: ExactDecimal
        /// The annual return rate on the principal.
        public let rate: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates one.
        public init(at: ExactDecimal, rate: ExactDecimal, location: SourceLocation) {
            self.at = at
            self.rate = rate
            self.location = location
        }
    }

    /// Its id.
    public let id: String
    /// Its name.
    public let name: LocalizedText
    /// 1 is paid first.
    public let rank: Int
    /// What the class put in.
    public let principal: ExactDecimal
    /// Whether the principal is protected from the performance floor (and owed in full).
    public let protected: Bool
    /// How it is repaid.
    public let repayment: Repayment
    /// The investors holding the class and their shares of it (summing to 1).
    public let holders: [PartyShare]
    /// The return grid, in declared order (ascending performance).
    public let grid: [Point]
    /// Steps or linear interpolation.
    public let interpolation: Interpolation
    /// The most the returns may total, as a fraction of the principal; nil: no cap at all.
    public let maximumReturn: ExactDecimal?
    /// Below this performance in the last year an unprotected class loses principal.
    public let lossFloor: ExactDecimal?
    /// At or below this performance it loses all of it (straight-line from the floor); nil:
    /// all of it as soon as the performance is below the floor.
    public let totalLossAt: ExactDecimal?
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates one.
    public init(
        id: String, name: LocalizedText, rank: Int, principal: ExactDecimal, protected: Bool, repayment: Repayment,
        holders: [PartyShare], grid: [Point], interpolation: Interpolation, maximumReturn: ExactDecimal?,
        lossFloor: ExactDecimal?, totalLossAt: ExactDecimal?, location: SourceLocation
    ) {
        self.id = id
        self.name = name
        self.rank = rank
        self.principal = principal
        self.protected = protected
        self.repayment = repayment
        self.holders = holders
        self.grid = grid
        self.interpolation = interpolation
        self.maximumReturn = maximumReturn
        self.lossFloor = lossFloor
        self.totalLossAt = totalLossAt
        self.location = location
    }
}

/// The measure of a social impact bond's performance each year that its classes' return
/// grids are keyed to (format 2's `<performance>`).
public struct PerformanceMeasure: Sendable, Hashable {
    /// The KPI.
    public let kpi: String
    /// What of it is measured.
    public let measure: OutcomeMeasure
    /// Where it was declared.
    public let location: SourceLocation
    /// Creates one.
    public init(kpi: String, measure: OutcomeMeasure, location: SourceLocation) {
        self.kpi = kpi
        self.measure = measure
        self.location = location
    }
}
