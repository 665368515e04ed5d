/// Who owes whom under which clause: the lines of a settled year that the register records
/// and the portfolio ledger lists.

/// One amount a payer owes a payee under one clause (a project's profit share, or a payment).
public struct DueLine: Sendable, Hashable, Codable {
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
