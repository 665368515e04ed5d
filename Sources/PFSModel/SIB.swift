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
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a waterfall.
    public init(
        intermediary: String, feeRate: ExactDecimal, investors: [Investor], residual: String, location: SourceLocation
    ) {
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
        /// investor's principal.
        public let maximumReturn: ExactDecimal
        /// Where it was declared.
        public let location: SourceLocation
        /// Creates an investor.
        public init(party: String, principal: ExactDecimal, maximumReturn: ExactDecimal, location: SourceLocation) {
            self.party = party
            self.principal = principal
            self.maximumReturn = maximumReturn
            self.location = location
        }
    }
}
