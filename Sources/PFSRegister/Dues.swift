import PFSModel

/// One amount a payer owes a payee for a settled year, summed over the clauses.
public struct Due: Sendable, Hashable, Codable {
    /// The paying party's id.
    public let payer: String
    /// The receiving party's id.
    public let payee: String
    /// The amount, exact, in the contract's amounts.
    public let amount: ExactDecimal

    /// Creates a due amount.
    public init(payer: String, payee: String, amount: ExactDecimal) {
        self.payer = payer
        self.payee = payee
        self.amount = amount
    }

    /// Every payer → payee amount of a settlement, summed over the clauses, in the order
    /// first met (see ``DueLine/lines(of:)``).
    public static func of(_ settlement: Settlement) throws(ArithmeticError) -> [Due] {
        try sum(DueLine.lines(of: settlement))
    }

    /// Lines summed per payer and payee, zero sums left out.
    public static func sum(_ lines: [DueLine]) throws(ArithmeticError) -> [Due] {
        var dues: [Due] = []
        for line in lines {
            if let index = dues.firstIndex(where: { $0.payer == line.payer && $0.payee == line.payee }) {
                dues[index] = Due(
                    payer: line.payer, payee: line.payee, amount: try dues[index].amount.adding(line.amount))
            } else {
                dues.append(Due(payer: line.payer, payee: line.payee, amount: line.amount))
            }
        }
        return dues.filter { $0.amount != .zero }
    }
}
