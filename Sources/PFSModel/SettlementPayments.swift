extension Settlement {
    /// One outcome payment of the settled year: the rule applied to the outcome, the caps,
    /// and what is paid.
    public struct PaymentOutcome: Sendable, Hashable, Codable {
        /// Payment id.
        public let id: String
        /// Its name.
        public let name: LocalizedText
        /// The rule's kind (`fixed`, `per-unit`, `band (linear)`, …).
        public let rule: String
        /// Who pays, and how much each.
        public let payers: [PartyAmount]
        /// Who is paid, and how much each.
        public let payees: [PartyAmount]
        /// The KPI measured, if any.
        public let kpi: String?
        /// The outcome used (the KPI's actual value for the year), if any.
        public private(set) var outcome: Figure?
        /// What the rule gives, rounded once by the contract's rule.
        public let byRule: ExactDecimal
        /// The payment's own cap, if any.
        public let cap: ExactDecimal?
        /// What the payment's cap and the contract's maximum cut off.
        public let cutByCaps: ExactDecimal
        /// What is paid.
        public let amount: ExactDecimal
        /// The step that computed ``amount``.
        public let step: String
        /// What of the KPI was measured, when not its actual value (format 2).
        public let measure: String?
        /// The payment's conditions as checked (format 2); absent when it has none.
        public private(set) var conditions: [ConditionResult]?
        /// Whether the conditions held; absent when it has none.
        public let conditionsHeld: Bool?
        /// A share of savings against its repayment mark; absent for other rules.
        public let repayment: Repayment?
        /// What a rate card gave; absent for other rules.
        public let rateCard: RateCardResult?
        /// Creates a payment outcome.
        public init(
            id: String, name: LocalizedText, rule: String, payers: [PartyAmount], payees: [PartyAmount], kpi: String?,
            outcome: Figure?, byRule: ExactDecimal, cap: ExactDecimal?, cutByCaps: ExactDecimal, amount: ExactDecimal,
            step: String, measure: String? = nil, conditions: [ConditionResult]? = nil, conditionsHeld: Bool? = nil,
            repayment: Repayment? = nil, rateCard: RateCardResult? = nil
        ) {
            self.rateCard = rateCard
            self.repayment = repayment
            self.measure = measure
            self.conditions = conditions
            self.conditionsHeld = conditionsHeld
            self.id = id
            self.name = name
            self.rule = rule
            self.payers = payers
            self.payees = payees
            self.kpi = kpi
            self.outcome = outcome
            self.byRule = byRule
            self.cap = cap
            self.cutByCaps = cutByCaps
            self.amount = amount
            self.step = step
        }
    }

    /// A party's share of a payment and the amount it makes.
    public struct PartyAmount: Sendable, Hashable, Codable {
        /// The party.
        public let party: PartyReference
        /// Its share.
        public let share: ExactDecimal
        /// Its part of the amount paid (largest remainder, ties to the party declared first).
        public let amount: ExactDecimal
        /// Creates a party amount.
        public init(party: PartyReference, share: ExactDecimal, amount: ExactDecimal) {
            self.party = party
            self.share = share
            self.amount = amount
        }
    }

    /// The outcome payments so far over the term.
    public struct PaymentTotals: Sendable, Hashable, Codable {
        /// Paid in earlier fiscal years of the term.
        public let paidBefore: ExactDecimal
        /// Paid for this fiscal year.
        public let paidThisYear: ExactDecimal
        /// paidBefore + paidThisYear.
        public let paidToDate: ExactDecimal
        /// The contract's maximum over the term, if declared.
        public let maximum: ExactDecimal?
        /// The contract's minimum over the term, if declared.
        public let minimum: ExactDecimal?
        /// maximum − paidToDate, if a maximum is declared.
        public let remaining: ExactDecimal?
        /// Creates totals.
        public init(
            paidBefore: ExactDecimal, paidThisYear: ExactDecimal, paidToDate: ExactDecimal,
            maximum: ExactDecimal?, minimum: ExactDecimal?, remaining: ExactDecimal?
        ) {
            self.paidBefore = paidBefore
            self.paidThisYear = paidThisYear
            self.paidToDate = paidToDate
            self.maximum = maximum
            self.minimum = minimum
            self.remaining = remaining
        }
    }
}

extension Settlement {
    /// Where the payments to a social impact bond's intermediary went: this year and to date.
    public struct SIBFlows: Sendable, Hashable, Codable {
        /// The intermediary.
        public let intermediary: PartyReference
        /// Received by the intermediary this year.
        public let receivedThisYear: ExactDecimal
        /// Received over the term so far.
        public let receivedToDate: ExactDecimal
        /// Its fee this year.
        public let feeThisYear: ExactDecimal
        /// Its fee so far.
        public let feeToDate: ExactDecimal
        /// Each investor's repayment and return.
        public let investors: [InvestorFlow]
        /// Who receives what is left.
        public let residual: PartyReference
        /// Left for the residual party this year.
        public let residualThisYear: ExactDecimal
        /// Left for it so far.
        public let residualToDate: ExactDecimal
        /// The step that computed the flows.
        public let step: String
        /// The bond's performance this year, as shown, when its capital is in classes (format 2).
        public let performance: String?
        /// Each class of capital (format 2); the investors above are their holders.
        public let classes: [ClassFlow]?
        /// Creates flows.
        public init(
            intermediary: PartyReference, receivedThisYear: ExactDecimal, receivedToDate: ExactDecimal,
            feeThisYear: ExactDecimal,
            feeToDate: ExactDecimal, investors: [InvestorFlow], residual: PartyReference,
            residualThisYear: ExactDecimal,
            residualToDate: ExactDecimal, step: String, performance: String? = nil, classes: [ClassFlow]? = nil
        ) {
            self.performance = performance
            self.classes = classes
            self.intermediary = intermediary
            self.receivedThisYear = receivedThisYear
            self.receivedToDate = receivedToDate
            self.feeThisYear = feeThisYear
            self.feeToDate = feeToDate
            self.investors = investors
            self.residual = residual
            self.residualThisYear = residualThisYear
            self.residualToDate = residualToDate
            self.step = step
        }
    }

    /// One investor's repayment and return.
    public struct InvestorFlow: Sendable, Hashable, Codable {
        /// The investor.
        public let party: PartyReference
        /// What it put in.
        public let principal: ExactDecimal
        /// Its maximum return, as an amount; nil where its class has no cap at all.
        public let maximumReturn: ExactDecimal?
        /// Principal repaid this year.
        public let principalThisYear: ExactDecimal
        /// Principal repaid so far.
        public let principalToDate: ExactDecimal
        /// Return paid this year.
        public let returnThisYear: ExactDecimal
        /// Return paid so far.
        public let returnToDate: ExactDecimal
        /// Principal lost so far, its part of its classes' losses (format 2's classes; nil
        /// for a bond whose investors are declared one by one, which never lose principal).
        public let principalLost: ExactDecimal?
        /// Creates a flow.
        public init(
            party: PartyReference, principal: ExactDecimal, maximumReturn: ExactDecimal?,
            principalThisYear: ExactDecimal,
            principalToDate: ExactDecimal, returnThisYear: ExactDecimal, returnToDate: ExactDecimal,
            principalLost: ExactDecimal? = nil
        ) {
            self.principalLost = principalLost
            self.party = party
            self.principal = principal
            self.maximumReturn = maximumReturn
            self.principalThisYear = principalThisYear
            self.principalToDate = principalToDate
            self.returnThisYear = returnThisYear
            self.returnToDate = returnToDate
        }
    }
}

extension Settlement {
    /// The providers' profit-share rewards against their cap over the term.
    public struct RewardCap: Sendable, Hashable, Codable {
        /// The cap.
        public let maximum: ExactDecimal
        /// Rewards paid in earlier years of the term.
        public let paidBefore: ExactDecimal
        /// This year's rewards before the cap.
        public let beforeCap: ExactDecimal
        /// What the cap cut from them (the public sector keeps it).
        public let cut: ExactDecimal
        /// What remains under the cap after this year.
        public let remaining: ExactDecimal
        /// The step that applied the cap.
        public let step: String
        /// Creates the record.
        public init(
            maximum: ExactDecimal, paidBefore: ExactDecimal, beforeCap: ExactDecimal, cut: ExactDecimal,
            remaining: ExactDecimal, step: String
        ) {
            self.maximum = maximum
            self.paidBefore = paidBefore
            self.beforeCap = beforeCap
            self.cut = cut
            self.remaining = remaining
            self.step = step
        }
    }
}

extension Settlement.PaymentOutcome {
    /// What the rule priced before any cap: ``byRule``, and for a rate card the value of
    /// its outcomes before the caps per participant too. Less ``cutByAllCaps``, it is
    /// ``amount``.
    public var pricedBeforeCaps: ExactDecimal {
        // byRule is after the caps per participant: add back what they held.
        guard let card = rateCard, let held = try? ExactDecimal.sum(card.outcomes.map(\.cut)),
            let priced = try? byRule.adding(held)
        else { return byRule }
        return priced
    }

    /// Everything the caps held back: the payment's caps, and a rate card's caps per
    /// participant.
    public var cutByAllCaps: ExactDecimal {
        guard let card = rateCard, let perParticipant = try? ExactDecimal.sum(card.outcomes.map(\.cut)) else {
            return cutByCaps
        }
        return (try? cutByCaps.adding(perParticipant)) ?? cutByCaps
    }

    /// Whether the payment had conditions and they did not hold (it pays nothing for that).
    public var conditionsFailed: Bool { conditionsHeld == false }
}

extension Settlement.PaymentOutcome {
    /// The same payment with this outcome and these conditions (the same, worded).
    public func with(outcome: Settlement.Figure?, conditions: [Settlement.ConditionResult]?) -> Self {
        var copy = self
        copy.outcome = outcome
        copy.conditions = conditions
        return copy
    }
}
