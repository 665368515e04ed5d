/// Splits a total among shares so that the parts sum exactly to the total.
///
/// Each part is first given the whole increments its exact share contains (rounded
/// toward zero); the increments left over go one at a time to the largest remainders,
/// ties going to the earlier share, so the caller's order is the tie-break
/// (the contract's declared party order). No part differs from its exact value by a
/// whole increment or more, and every part has the sign of the total.
public enum LargestRemainder {
    /// One part of an allocation.
    public struct Part: Sendable, Hashable {
        /// `total × share` before rounding.
        public let exact: ExactDecimal
        /// The amount allocated: a multiple of the increment.
        public let amount: ExactDecimal
        /// Whether this part received one of the leftover increments.
        public let receivedRemainder: Bool
    }

    /// Allocates `total` (a multiple of `increment`) by `shares`, which must be
    /// non-negative and sum to exactly one.
    public static func allocate(
        _ total: ExactDecimal, shares: [ExactDecimal], increment: ExactDecimal
    ) throws(ArithmeticError) -> [Part] {
        precondition(!shares.isEmpty, "nothing to allocate to")
        let (count, remainder) = try total.truncatingQuotient(dividingBy: increment)
        precondition(remainder.signum == 0, "total must be a multiple of the increment")
        guard count != .min else { throw .overflow }
        let sign: Int128 = count < 0 ? -1 : 1
        let units = ExactDecimal(significand: count * sign, scale: 0)

        var floors: [Int128] = []
        var remainders: [ExactDecimal] = []
        var exacts: [ExactDecimal] = []
        for share in shares {
            let exactUnits = try units.multiplied(by: share)
            let (whole, fraction) = try exactUnits.truncatingQuotient(dividingBy: .one)
            floors.append(whole)
            remainders.append(fraction)
            exacts.append(try total.multiplied(by: share))
        }
        var leftover = units.significand - floors.reduce(0, +)
        // Stable order: larger remainder first, then declared order.
        let order = remainders.indices.sorted { a, b in
            remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
        }
        var received = Array(repeating: false, count: shares.count)
        for index in order where leftover > 0 {
            floors[index] += 1
            received[index] = true
            leftover -= 1
        }
        var parts: [Part] = []
        for index in shares.indices {
            let amount = try ExactDecimal.multiple(floors[index] * sign, of: increment)
            parts.append(Part(exact: exacts[index], amount: amount, receivedRemainder: received[index]))
        }
        return parts
    }
}

extension LargestRemainder {
    /// Allocates `total` (a multiple of `increment`, ≥ 0) in proportion to non-negative
    /// `weights` that need not sum to one (e.g. amounts): each part gets the whole
    /// increments of total × weight ÷ Σweights, computed exactly, and the leftover
    /// increments go to the largest remainders, ties to the earlier weight.
    public static func allocate(
        _ total: ExactDecimal, weights: [ExactDecimal], increment: ExactDecimal
    ) throws(ArithmeticError) -> [ExactDecimal] {
        let sum = try ExactDecimal.sum(weights)
        guard sum.signum > 0 else { return weights.map { _ in .zero } }
        let (count, _) = try total.truncatingQuotient(dividingBy: increment)
        let units = ExactDecimal(significand: count, scale: 0)
        var floors: [Int128] = []
        var remainders: [ExactDecimal] = []
        for weight in weights {
            // units × weight = whole × sum + remainder, exactly.
            let (whole, remainder) = try (try units.multiplied(by: weight)).truncatingQuotient(dividingBy: sum)
            floors.append(whole)
            remainders.append(remainder)
        }
        var leftover = count - floors.reduce(0, +)
        let order = remainders.indices.sorted { a, b in
            remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
        }
        for index in order where leftover > 0 {
            floors[index] += 1
            leftover -= 1
        }
        var parts: [ExactDecimal] = []
        for whole in floors { parts.append(try ExactDecimal.multiple(whole, of: increment)) }
        return parts
    }
}
