import PFSModel

/// Runs a social impact bond's waterfall over the payments its intermediary receives, in
/// order: the fee on each amount, then the investors' principal, then their return, then
/// the residual party. Each tier's part of an amount is shared among the investors still
/// owed in that tier by what each is still owed (not by principal), by largest remainder
/// in whole rounding increments; an investor never receives more than it is still owed
/// (the excess is shared again among the others), and a remainder below one increment
/// goes to the first investor still owed.
///
/// An investor whose return has no cap (`max-return="none"`) is never fully paid: while one
/// holds the bond, the return tier shares each amount among all investors by principal (a
/// capped one never beyond its cap, the excess shared again) and nothing reaches the
/// residual party.
struct Waterfall {
    let sib: SIB
    let rounding: RoundingRule
    private(set) var principalPaid: [ExactDecimal]
    private(set) var returnPaid: [ExactDecimal]
    private(set) var feePaid = ExactDecimal.zero
    private(set) var residualPaid = ExactDecimal.zero
    private(set) var received = ExactDecimal.zero
    /// Each investor's return at most, rounded; nil: no cap.
    let maximumReturns: [ExactDecimal?]

    init(sib: SIB, rounding: RoundingRule) throws(ArithmeticError) {
        self.sib = sib
        self.rounding = rounding
        principalPaid = Array(repeating: .zero, count: sib.investors.count)
        returnPaid = Array(repeating: .zero, count: sib.investors.count)
        var returns: [ExactDecimal?] = []
        for investor in sib.investors {
            guard let rate = investor.maximumReturn else {
                returns.append(nil)
                continue
            }
            returns.append(try rounding.rounded(try investor.principal.multiplied(by: rate)))
        }
        maximumReturns = returns
    }

    /// Takes one amount received by the intermediary through the tiers.
    mutating func receive(_ amount: ExactDecimal) throws(ArithmeticError) {
        received = try received.adding(amount)
        let fee = try rounding.rounded(try amount.multiplied(by: sib.feeRate))
        feePaid = try feePaid.adding(fee)
        var rest = try amount.subtracting(fee)
        rest = try pay(rest, owed: sib.investors.map(\.principal), paid: &principalPaid)
        let caps = maximumReturns.compactMap { $0 }
        if caps.count == maximumReturns.count {
            rest = try pay(rest, owed: caps, paid: &returnPaid)
        } else {
            rest = try payUncapped(rest)
        }
        residualPaid = try residualPaid.adding(rest)
    }

    /// The return tier when an investor's return has no cap: `amount` shared by principal
    /// among the investors still below their cap, by largest remainder, a capped investor
    /// never beyond it; returns what is left (only a part below one increment with no
    /// uncapped investor to take it, which cannot happen: one always is).
    private mutating func payUncapped(_ amount: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        var available = amount
        while available.signum > 0 {
            let open = sib.investors.indices.filter { index in
                maximumReturns[index].map { returnPaid[index] < $0 } ?? true
            }
            guard let first = open.first else { break }
            let (count, fraction) = try available.truncatingQuotient(dividingBy: rounding.increment)
            guard count > 0 else {
                returnPaid[first] = try returnPaid[first].adding(fraction)
                return .zero
            }
            let whole = try ExactDecimal.multiple(count, of: rounding.increment)
            let principals = open.map { sib.investors[$0].principal }
            // Investors who put in nothing share equally rather than not at all.
            let weights = principals.allSatisfy { $0.signum == 0 } ? principals.map { _ in ExactDecimal.one } : principals
            let parts = try LargestRemainder.allocate(whole, weights: weights, increment: rounding.increment)
            var given = ExactDecimal.zero
            for (index, part) in zip(open, parts) {
                let room = try maximumReturns[index].map { (most) throws(ArithmeticError) in
                    try most.subtracting(returnPaid[index])
                }
                let amount = room.map { part < $0 ? part : $0 } ?? part
                returnPaid[index] = try returnPaid[index].adding(amount)
                given = try given.adding(amount)
            }
            available = try available.subtracting(given)
        }
        return available
    }

    /// Pays what investors are still owed in one tier, from `amount`; returns what is left.
    private func pay(
        _ amount: ExactDecimal, owed: [ExactDecimal], paid: inout [ExactDecimal]
    ) throws(ArithmeticError) -> ExactDecimal {
        var available = amount
        // Investors still owed something share the amount by what they are owed in all;
        // one that would get more than it is owed gets exactly that, and the rest is
        // shared again among the others.
        while available.signum > 0 {
            var outstanding: [(index: Int, left: ExactDecimal)] = []
            for index in owed.indices {
                let left = try owed[index].subtracting(paid[index])
                if left.signum > 0 { outstanding.append((index, left)) }
            }
            guard !outstanding.isEmpty else { break }
            let totalLeft = try ExactDecimal.sum(outstanding.map(\.left))
            if available >= totalLeft {
                for entry in outstanding { paid[entry.index] = owed[entry.index] }
                return try available.subtracting(totalLeft)
            }
            let (count, fraction) = try available.truncatingQuotient(dividingBy: rounding.increment)
            guard count > 0 else {
                // Less than one increment left: it goes to the first investor still owed.
                paid[outstanding[0].index] = try paid[outstanding[0].index].adding(fraction)
                return .zero
            }
            let whole = try ExactDecimal.multiple(count, of: rounding.increment)
            let parts = try LargestRemainder.allocate(
                whole, weights: outstanding.map(\.left), increment: rounding.increment)
            var given = ExactDecimal.zero
            for (entry, part) in zip(outstanding, parts) {
                let amount = part < entry.left ? part : entry.left
                paid[entry.index] = try paid[entry.index].adding(amount)
                given = try given.adding(amount)
            }
            available = try available.subtracting(given)
        }
        return available
    }
}
