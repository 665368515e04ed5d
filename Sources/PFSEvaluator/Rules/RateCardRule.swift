import PFSModel

/// What a rate card gives for the achievements of the payment's year, each participant held
/// to the card's caps (format 2's `<rate-card-payment card="…"/>`). What it gives depends on
/// the card's records and on what each participant was paid before.
struct RateCardRule: AccountKeepingRule {
    let card: String

    var name: String { "rate card" }
    var version: String { "rate-card" }
    var inputs: Set<PaymentRuleInput> { [.rateCardRecords] }
    var comparesOnly: Bool { false }

    // The card's prices and caps are checked with the card.
    func declaredAmounts(of payment: Payment) -> [DeclaredAmount] { [] }

    /// Alone, it has no records: settling pays the card from them.
    func amount(_ input: RuleInput) throws(ArithmeticError) -> RuleResult {
        RuleResult(.zero, .rateCardWithoutRecords(card: card))
    }

    func expression(_ input: RuleExpressionInput) -> StepExpression? { nil }

    func marks(baseline: ExactDecimal) -> [ExactDecimal]? { nil }

    var bounds: (least: ExactDecimal, most: ExactDecimal?) { (.zero, nil) }

    /// A card whose conditions do not hold pays nobody, and counts nothing towards its caps.
    /// A card whose conditions do not hold pays nobody, and counts nothing towards its caps.
    func settle(
        _ payment: Payment, input: RuleInput, conditionsHold: Bool, in contract: Contract, state: inout TermState
    ) throws(EvaluationError) -> SettledRule? {
        guard conditionsHold else { return nil }
        let (result, record) = try Evaluator.payRateCard(card, payment: payment, in: contract, state: &state)
        return SettledRule(result: result, rateCard: record)
    }

    func book(
        _ paid: ExactDecimal, _ settled: inout SettledRule, payment: Payment, state: inout TermState
    ) throws(EvaluationError) {}
}

/// Rate cards (format 2): each participant's achievements of the year, priced, held to the
/// card's caps per participant (what is left of the year's cap and of the term's), the
/// achievements of a capped participant cut in the card's order; the sum is the amount of
/// the payment, rounded once, before the payment's own caps.
extension Evaluator {
    /// The payment's amount from its rate card, with the card's record for the statements;
    /// updates what each participant has been paid over the term.
    static func payRateCard(
        _ id: String, payment: Payment, in contract: Contract, state: inout TermState
    ) throws(EvaluationError) -> (RuleResult, Settlement.RateCardResult) {
        guard let card = contract.rateCards.first(where: { $0.id == id }) else {
            throw .missingData(
                "payment '\(payment.id)' pays by rate card '\(id)', which is not declared",
                at: payment.location)
        }
        let what = "rate card '\(card.id)'"
        return try checked(what, at: card.location) { () throws(ArithmeticError) in
            var paidBefore = state.participantPaid[card.id] ?? [:]
            let year = card.records.filter { $0.year == payment.year }
            // Participants in the order of their first record of the year.
            var order: [String] = []
            var byParticipant: [String: [RateCard.Record]] = [:]
            for record in year {
                if byParticipant[record.participant] == nil { order.append(record.participant) }
                byParticipant[record.participant, default: []].append(record)
            }
            var lines: [Settlement.RateCardResult.Line] = []
            var capped = 0
            for participant in order {
                let records = byParticipant[participant] ?? []
                let prices = records.map { card.outcome($0.outcome)?.price ?? .zero }
                let gross = try ExactDecimal.sum(prices)
                let before = paidBefore[participant] ?? .zero
                var allowed = gross
                if let cap = card.capPerYear { allowed = min(allowed, cap) }
                if let cap = card.capPerTerm {
                    let left = try cap.subtracting(before)
                    allowed = min(allowed, left.signum > 0 ? left : .zero)
                }
                var cuts = [ExactDecimal](repeating: .zero, count: records.count)
                var toCut = try gross.subtracting(allowed)
                if toCut.signum > 0 { capped += 1 }
                for index in cutSequence(records.count, prices: prices, order: card.cutOrder) where toCut.signum > 0 {
                    let cut = min(prices[index], toCut)
                    cuts[index] = cut
                    toCut = try toCut.subtracting(cut)
                }
                for (index, record) in records.enumerated() {
                    lines.append(
                        .init(
                            participant: participant, outcome: record.outcome, price: prices[index], cut: cuts[index],
                            paid: try prices[index].subtracting(cuts[index]), file: card.file?.path ?? "",
                            line: record.location.line))
                }
                paidBefore[participant] = try before.adding(allowed)
            }
            state.participantPaid[card.id] = paidBefore
            var totals: [Settlement.RateCardResult.OutcomeTotal] = []
            for outcome in card.outcomes {
                let mine = lines.filter { $0.outcome == outcome.id }
                totals.append(
                    .init(
                        outcome: outcome.id, name: outcome.name, price: outcome.price, achieved: mine.count,
                        value: try ExactDecimal.sum(mine.map(\.price)), cut: try ExactDecimal.sum(mine.map(\.cut)),
                        paid: try ExactDecimal.sum(mine.map(\.paid))))
            }
            let total = try ExactDecimal.sum(lines.map(\.paid))
            let gross = try ExactDecimal.sum(lines.map(\.price))
            let result = try contract.rounding.rounded(total)
            let record = Settlement.RateCardResult(
                card: card.id, capPerYear: card.capPerYear, capPerTerm: card.capPerTerm,
                cutOrder: card.cutOrder.rawValue, outcomes: totals, participants: order.count,
                participantsCapped: capped, lines: lines)
            let working = RateCardWorking(
                card: .init(id: card.id, name: card.name), achievements: lines.count, participants: order.count,
                outcomes: totals.filter { $0.achieved > 0 }.map {
                    .init(outcome: $0.outcome, count: $0.achieved, price: $0.price)
                },
                gross: gross, participantsCapped: capped, capPerYear: card.capPerYear, capPerTerm: card.capPerTerm,
                cut: try gross.subtracting(total), total: total, rounding: contract.rounding, result: result)
            return (RuleResult(result, .rateCard(working)), record)
        }
    }

    /// The indices of a participant's achievements in the order they are cut.
    static func cutSequence(_ count: Int, prices: [ExactDecimal], order: RateCard.CutOrder) -> [Int] {
        // The last recorded first; by price, ties keep that order (a stable sort).
        let lastFirst = Array((0..<count).reversed())
        guard order != .lastRecordedFirst else { return lastFirst }
        let cheapestFirst = order == .lowestPriceFirst
        return lastFirst.enumerated().sorted { a, b in
            let (pa, pb) = (prices[a.element], prices[b.element])
            guard pa != pb else { return a.offset < b.offset }
            return cheapestFirst ? pa < pb : pa > pb
        }.map(\.element)
    }
}
