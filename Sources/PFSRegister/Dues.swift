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

/// One amount a payer owes a payee under one clause (a project's profit share, or a payment).
public struct DueLine: Sendable, Hashable {
    public let payer: String
    public let payee: String
    /// The project's or the payment's id.
    public let clause: String
    /// `profit-share`, `fixed` or `outcome`.
    public let kind: String
    public let amount: ExactDecimal

    public init(payer: String, payee: String, clause: String, kind: String, amount: ExactDecimal) {
        self.payer = payer
        self.payee = payee
        self.clause = clause
        self.kind = kind
        self.amount = amount
    }

    /// Where the line is in a settlement: by payer, payee and clause.
    public var key: String { "\(payer)\u{0}\(payee)\u{0}\(clause)" }

    /// Every line of a settlement: profit-share allocations (payer → each other party),
    /// then payments. A payment with several payers and several payees says only what each
    /// payer pays and each payee receives; its pairs are filled in statement order (each
    /// payer's amount to the payees in turn, north-west corner), which keeps every payer's
    /// and every payee's total exact.
    public static func lines(of settlement: Settlement) throws(ArithmeticError) -> [DueLine] {
        var lines: [DueLine] = []
        for project in settlement.projects {
            for allocation in project.allocations
            where allocation.party.id != project.payer.id && allocation.amount != .zero {
                lines.append(
                    DueLine(
                        payer: project.payer.id, payee: allocation.party.id, clause: project.id, kind: "profit-share",
                        amount: allocation.amount))
            }
        }
        for payment in settlement.payments ?? [] {
            var receivable = payment.payees.map { ($0.party.id, $0.amount) }
            var next = 0
            let kind = payment.rule == "fixed" ? "fixed" : "outcome"
            for payer in payment.payers {
                var left = payer.amount
                while left > .zero, next < receivable.count {
                    let part = min(left, receivable[next].1)
                    if part > .zero {
                        lines.append(
                            DueLine(
                                payer: payer.party.id, payee: receivable[next].0, clause: payment.id, kind: kind,
                                amount: part))
                    }
                    left = try left.subtracting(part)
                    receivable[next].1 = try receivable[next].1.subtracting(part)
                    if receivable[next].1 == .zero { next += 1 }
                }
            }
        }
        return lines
    }
}

extension ExactDecimal {
    /// A decimal written by pfs itself (a payload), or nil.
    static func parsed(_ text: String) -> ExactDecimal? { try? parse(text).get() }
}
