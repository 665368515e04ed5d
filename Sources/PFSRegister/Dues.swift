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

    /// Every payer → payee amount of a settlement, in the order first met (profit-share
    /// allocations, then payments). A payment with several payers and several payees says
    /// only what each payer pays and each payee receives; the pairs are filled in the
    /// order of the statement (each payer's amount to the payees in turn, north-west
    /// corner), which keeps both every payer's and every payee's total exact.
    public static func of(_ settlement: Settlement) throws(ArithmeticError) -> [Due] {
        var dues: [Due] = []
        func add(_ payer: String, _ payee: String, _ amount: ExactDecimal) throws(ArithmeticError) {
            guard amount != .zero else { return }
            if let index = dues.firstIndex(where: { $0.payer == payer && $0.payee == payee }) {
                dues[index] = Due(payer: payer, payee: payee, amount: try dues[index].amount.adding(amount))
            } else {
                dues.append(Due(payer: payer, payee: payee, amount: amount))
            }
        }
        for project in settlement.projects {
            for allocation in project.allocations where allocation.party.id != project.payer.id {
                try add(project.payer.id, allocation.party.id, allocation.amount)
            }
        }
        for payment in settlement.payments ?? [] {
            var receivable = payment.payees.map { ($0.party.id, $0.amount) }
            var next = 0
            for payer in payment.payers {
                var left = payer.amount
                while left > .zero, next < receivable.count {
                    let part = min(left, receivable[next].1)
                    try add(payer.party.id, receivable[next].0, part)
                    left = try left.subtracting(part)
                    receivable[next].1 = try receivable[next].1.subtracting(part)
                    if receivable[next].1 == .zero { next += 1 }
                }
            }
        }
        return dues
    }
}

extension ExactDecimal {
    /// A decimal written by pfs itself (a payload), or nil.
    static func parsed(_ text: String) -> ExactDecimal? { try? parse(text).get() }
}
