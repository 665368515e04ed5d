/// A settlement's profit share: projects, their attributions and allocations, the totals.
extension Settlement {
    /// A party as named in the settlement.
    public struct PartyReference: Sendable, Hashable, Codable {
        /// Party id.
        public let id: String
        /// Role.
        public let role: PartyRole
        /// Name.
        public let name: LocalizedText
        /// Creates a reference from a party.
        public init(_ party: Party) {
            id = party.id
            role = party.role
            name = party.name
        }
    }

    /// The part of one KPI's improvement credited to a project.
    public struct Attribution: Sendable, Hashable, Codable {
        /// KPI id.
        public let kpi: String
        /// The KPI's fiscal improvement.
        public let fiscalImprovement: ExactDecimal
        /// The project's share of it.
        public let share: ExactDecimal
        /// fiscalImprovement × share, exact.
        public let attributable: ExactDecimal
        /// The step that computed it.
        public let step: String
        /// Creates an attribution.
        public init(
            kpi: String, fiscalImprovement: ExactDecimal, share: ExactDecimal, attributable: ExactDecimal, step: String
        ) {
            self.kpi = kpi
            self.fiscalImprovement = fiscalImprovement
            self.share = share
            self.attributable = attributable
            self.step = step
        }
    }

    /// One party's part of a project's attributable improvement.
    public struct Allocation: Sendable, Hashable, Codable {
        /// Who receives (a provider) or keeps (the payer) it.
        public let party: PartyReference
        /// Its share of the attributable amount.
        public let share: ExactDecimal
        /// attributable × share before rounding.
        public let exact: ExactDecimal
        /// The amount, a multiple of the rounding increment.
        public package(set) var amount: ExactDecimal
        /// Whether the largest-remainder step gave it one of the leftover increments.
        public let receivedRemainder: Bool
        /// Claw-back: deducted from a provider's reward (negative), or kept by the payer
        /// because of it (positive); already included in ``amount``.
        public let clawback: ExactDecimal?
        /// Reward cap: cut from a provider's reward (negative), or kept by the payer
        /// because of it (positive); already included in ``amount``.
        public package(set) var rewardCapCut: ExactDecimal?
        /// The step that computed it.
        public package(set) var step: String
        /// Creates an allocation.
        public init(
            party: PartyReference, share: ExactDecimal, exact: ExactDecimal, amount: ExactDecimal,
            receivedRemainder: Bool,
            clawback: ExactDecimal? = nil, rewardCapCut: ExactDecimal? = nil, step: String
        ) {
            self.party = party
            self.share = share
            self.exact = exact
            self.amount = amount
            self.receivedRemainder = receivedRemainder
            self.clawback = clawback
            self.rewardCapCut = rewardCapCut
            self.step = step
        }
    }

    /// A project's settlement for the year.
    public struct ProjectSettlement: Sendable, Hashable, Codable {
        /// Project id.
        public let id: String
        /// Its name.
        public let name: LocalizedText
        /// The public-sector party that pays and keeps the rest.
        public let payer: PartyReference
        /// Its share of each credited KPI.
        public let attributions: [Attribution]
        /// Sum of the attributions, exact.
        public let netAttributable: ExactDecimal
        /// True when the net was negative and nothing is paid (floor at zero).
        public let flooredAtZero: Bool
        /// The amount split: the net (floored at zero) rounded once by the contract's rule.
        public let attributable: ExactDecimal
        /// The step that computed ``attributable``.
        public let step: String
        /// Providers' rewards and the payer's share, in declared party order.
        public package(set) var allocations: [Allocation]
        /// The contract's negative-improvement policy.
        public let negativeImprovement: NegativeImprovementPolicy
        /// Carry-forward: the shortfall brought from earlier years (0 or negative).
        public let carriedIn: ExactDecimal?
        /// Carry-forward: the shortfall taken to the next year (0 or negative).
        public let carriedOut: ExactDecimal?
        /// Claw-back: what each provider still owes after this year.
        public let clawbackOwed: [PartyTotal]?
        /// Creates a project settlement.
        public init(
            id: String, name: LocalizedText, payer: PartyReference, attributions: [Attribution],
            netAttributable: ExactDecimal,
            flooredAtZero: Bool, attributable: ExactDecimal, step: String, allocations: [Allocation],
            negativeImprovement: NegativeImprovementPolicy = .floor, carriedIn: ExactDecimal? = nil,
            carriedOut: ExactDecimal? = nil, clawbackOwed: [PartyTotal]? = nil
        ) {
            self.id = id
            self.name = name
            self.payer = payer
            self.attributions = attributions
            self.netAttributable = netAttributable
            self.flooredAtZero = flooredAtZero
            self.attributable = attributable
            self.step = step
            self.allocations = allocations
            self.negativeImprovement = negativeImprovement
            self.carriedIn = carriedIn
            self.carriedOut = carriedOut
            self.clawbackOwed = clawbackOwed
        }

        /// What the providers receive.
        public var providerReward: ExactDecimal {
            (try? ExactDecimal.sum(allocations.filter { $0.party.role == .provider }.map(\.amount))) ?? .zero
        }

        /// What the public sector keeps.
        public var publicShare: ExactDecimal {
            (try? ExactDecimal.sum(allocations.filter { $0.party.role == .publicSector }.map(\.amount))) ?? .zero
        }
    }

    /// Totals over every project.
    public struct Totals: Sendable, Hashable, Codable {
        /// Sum of projects' attributable amounts.
        public let attributable: ExactDecimal
        /// Sum of every provider's reward: what the payers pay.
        public let providerRewards: ExactDecimal
        /// Sum of what the public sector keeps.
        public let publicShare: ExactDecimal
        /// Per party, in declared order: what it receives (providers) or keeps (payers).
        public let byParty: [PartyTotal]
        /// Creates totals.
        public init(
            attributable: ExactDecimal, providerRewards: ExactDecimal, publicShare: ExactDecimal, byParty: [PartyTotal]
        ) {
            self.attributable = attributable
            self.providerRewards = providerRewards
            self.publicShare = publicShare
            self.byParty = byParty
        }
    }

    /// One party's total for the year.
    public struct PartyTotal: Sendable, Hashable, Codable {
        /// The party.
        public let party: PartyReference
        /// Its total.
        public let amount: ExactDecimal
        /// Creates a party total.
        public init(party: PartyReference, amount: ExactDecimal) {
            self.party = party
            self.amount = amount
        }
    }
}
