extension Settlement {
    /// What a rate card gave for the year (format 2): totals per outcome, the participants
    /// capped, and every participant's lines (shown in the audit trail only).
    public struct RateCardResult: Sendable, Hashable, Codable {
        /// The totals of one outcome of the card.
        public struct OutcomeTotal: Sendable, Hashable, Codable {
            /// The outcome's id.
            public let outcome: String
            /// Its name.
            public let name: LocalizedText
            /// Its price.
            public let price: ExactDecimal
            /// How many times it was achieved in the year.
            public let achieved: Int
            /// achieved × price.
            public let value: ExactDecimal
            /// What the participants' caps cut off it.
            public let cut: ExactDecimal
            /// value − cut.
            public let paid: ExactDecimal
            /// Creates one.
            public init(
                outcome: String, name: LocalizedText, price: ExactDecimal, achieved: Int, value: ExactDecimal,
                cut: ExactDecimal, paid: ExactDecimal
            ) {
                self.outcome = outcome
                self.name = name
                self.price = price
                self.achieved = achieved
                self.value = value
                self.cut = cut
                self.paid = paid
            }
        }

        /// One achievement of one participant, as paid.
        public struct Line: Sendable, Hashable, Codable {
            /// The participant's pseudonymous id.
            public let participant: String
            /// The outcome's id.
            public let outcome: String
            /// Its price.
            public let price: ExactDecimal
            /// What the participant's caps cut off it.
            public let cut: ExactDecimal
            /// price − cut.
            public let paid: ExactDecimal
            /// Where the record was read: the records file as the contract names it (empty for
            /// a record in the contract itself), and its line.
            public let file: String
            public let line: Int
            /// Creates one.
            public init(
                participant: String, outcome: String, price: ExactDecimal, cut: ExactDecimal, paid: ExactDecimal,
                file: String, line: Int
            ) {
                self.participant = participant
                self.outcome = outcome
                self.price = price
                self.cut = cut
                self.paid = paid
                self.file = file
                self.line = line
            }
        }

        /// The card's id.
        public let card: String
        /// The most one participant may be paid in a year, and over the term.
        public let capPerYear: ExactDecimal?
        public let capPerTerm: ExactDecimal?
        /// The order capped achievements are cut in.
        public let cutOrder: String
        /// Per outcome, in declared order.
        public let outcomes: [OutcomeTotal]
        /// Participants with an achievement in the year, and how many of them were capped.
        public let participants: Int
        public let participantsCapped: Int
        /// Every achievement of the year, participant by participant.
        public let lines: [Line]
        /// Creates one.
        public init(
            card: String, capPerYear: ExactDecimal?, capPerTerm: ExactDecimal?, cutOrder: String,
            outcomes: [OutcomeTotal], participants: Int, participantsCapped: Int, lines: [Line]
        ) {
            self.card = card
            self.capPerYear = capPerYear
            self.capPerTerm = capPerTerm
            self.cutOrder = cutOrder
            self.outcomes = outcomes
            self.participants = participants
            self.participantsCapped = participantsCapped
            self.lines = lines
        }
    }
}
