import PFSModel

/// What a value-for-money document was made with, recorded in its JSON (`basis`) so that
/// `pfs verify` can make it again from the contract: the discount schedule and where it was
/// named, the places rates of return are found to, the last year settled, and whether a
/// register told payments made from payments due.
public struct ValueBasis: Sendable, Hashable {
    public let asOf: Int
    public let discount: ValueDeclaration.Discount
    public let steps: [DiscountSchedule.Step]
    public let declining: Bool
    public let terms: DiscountTerms
    public let rateDigits: Int
    public let scheduleSource: ValueAssessment.ScheduleSource
    public let paidFromRegister: Bool

    public init(
        asOf: Int, discount: ValueDeclaration.Discount, steps: [DiscountSchedule.Step], declining: Bool,
        terms: DiscountTerms, rateDigits: Int, scheduleSource: ValueAssessment.ScheduleSource, paidFromRegister: Bool
    ) {
        self.asOf = asOf
        self.discount = discount
        self.steps = steps
        self.declining = declining
        self.terms = terms
        self.rateDigits = rateDigits
        self.scheduleSource = scheduleSource
        self.paidFromRegister = paidFromRegister
    }

    /// The command line's declaration that names the same schedule again (`--discount`…);
    /// nil where the contract or the standard named it, which the contract gives again.
    public func commandDeclaration(at location: SourceLocation) -> ValueDeclaration? {
        guard scheduleSource == .command else { return nil }
        return ValueDeclaration(
            discount: discount, rate: discount == .constant ? steps.first?.rate : nil,
            rates: discount == .declared
                ? steps.map { ValueDeclaration.DeclaredRate(from: $0.from, rate: $0.rate, location: location) } : [],
            declining: declining, terms: terms, rateDigits: rateDigits, location: location)
    }
}

extension ValueAssessment {
    /// What this assessment was made with.
    public var basis: ValueBasis {
        ValueBasis(
            asOf: asOf, discount: schedule.kind, steps: schedule.steps, declining: schedule.declining,
            terms: schedule.terms, rateDigits: rateDigits, scheduleSource: scheduleSource,
            paidFromRegister: totalPaid != nil)
    }
}
