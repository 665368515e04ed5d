/// A settlement's calculation steps and the declared values they read.
extension Settlement {
    /// One step of the calculation.
    public struct Step: Sendable, Hashable, Codable {
        /// `S1`, `S2`…, in calculation order.
        public let id: String
        /// What was computed, as figures: PFSStatements words them (the description, and the
        /// formula with the values put in, e.g. `2500 − 2200 = 300`, in each language).
        public let figures: StepFigures
        /// The result.
        public let result: ExactDecimal
        /// The earlier steps whose results this step uses, in the order the formula names them.
        public let uses: [String]
        /// The declared values this step reads from the contract.
        public let reads: [Reading]
        /// How the result follows from the declared values and earlier steps, as arithmetic
        /// a spreadsheet can redo (nil where the rule is not plain arithmetic: a largest-
        /// remainder split, a tier looked up). Not part of the statement: its JSON, and
        /// whether two steps are the same, leave it out.
        public let expression: StepExpression?

        enum CodingKeys: String, CodingKey {
            case id, description, descriptionJA, formula, formulaJA, result, uses, reads
        }

        /// Creates a step.
        public init(
            id: String, figures: StepFigures, result: ExactDecimal,
            uses: [String] = [], reads: [Reading] = [], expression: StepExpression? = nil
        ) {
            self.id = id
            self.figures = figures
            self.result = result
            self.uses = uses
            self.reads = reads
            self.expression = expression
        }

        /// Reads a step as a statement wrote it: its words, not its figures.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            figures = .written(
                .init(
                    description: try container.decode(String.self, forKey: .description),
                    descriptionJA: try container.decode(String.self, forKey: .descriptionJA),
                    formula: try container.decode(String.self, forKey: .formula),
                    formulaJA: try container.decodeIfPresent(String.self, forKey: .formulaJA)))
            result = try container.decode(ExactDecimal.self, forKey: .result)
            uses = try container.decode([String].self, forKey: .uses)
            reads = try container.decode([Reading].self, forKey: .reads)
            expression = nil
        }

        /// Writes a step whose words are written (``StepFigures/written(_:)``): the words of
        /// figures are PFSStatements', which writes them first (`StepWords.written`).
        public func encode(to encoder: any Encoder) throws {
            guard case .written(let words) = figures else {
                throw EncodingError.invalidValue(
                    figures,
                    .init(codingPath: encoder.codingPath, debugDescription: "step \(id) has figures, not words"))
            }
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(words.description, forKey: .description)
            try container.encode(words.descriptionJA, forKey: .descriptionJA)
            try container.encode(words.formula, forKey: .formula)
            try container.encodeIfPresent(words.formulaJA, forKey: .formulaJA)
            try container.encode(result, forKey: .result)
            try container.encode(uses, forKey: .uses)
            try container.encode(reads, forKey: .reads)
        }

        public static func == (lhs: Step, rhs: Step) -> Bool {
            lhs.id == rhs.id && lhs.figures == rhs.figures && lhs.result == rhs.result && lhs.uses == rhs.uses
                && lhs.reads == rhs.reads
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(id)
            hasher.combine(result)
        }

        /// The same step with other figures (its words, once written).
        public func with(_ figures: StepFigures) -> Step {
            Step(id: id, figures: figures, result: result, uses: uses, reads: reads, expression: expression)
        }
    }

    /// A declared value a step reads: which KPI, which measure, which year. The figure
    /// itself (value, source, line, element) is the KPI's in ``Settlement/kpis``, once:
    /// see ``Settlement/figure(_:)``.
    public struct Reading: Sendable, Hashable, Codable {
        /// The KPI's id.
        public let kpi: String
        /// What the value is.
        public let measure: Measure
        /// The fiscal year of the value.
        public let year: Int
        /// Creates a reading.
        public init(kpi: String, measure: Measure, year: Int) {
            self.kpi = kpi
            self.measure = measure
            self.year = year
        }
    }

    /// The figure a step read, from the KPI outcomes of this settlement.
    public func figure(_ reading: Reading) -> Figure? {
        guard let kpi = kpis.first(where: { $0.id == reading.kpi }) else { return nil }
        let figure: Figure?
        switch reading.measure {
        case .baseline: figure = kpi.baseline
        case .expected: figure = kpi.expected
        case .actual: figure = kpi.actual
        case .valuePerUnit: figure = kpi.valuePerUnitInput
        case .comparison: figure = kpi.series?.first { $0.id == nil }?.figure
        }
        return figure?.year == reading.year ? figure : nil
    }

    /// The kinds of declared KPI values.
    public enum Measure: String, Sendable, Hashable, Codable, CaseIterable {
        /// The baseline year's value.
        case baseline
        /// The counterfactual had nothing been done (見込み).
        case expected
        /// The measured value (実績).
        case actual
        /// What one unit of improvement is worth (`<value-per-unit>`).
        case valuePerUnit = "value-per-unit"
        /// The comparison group's value for the year (format 2's `<comparison-group>`).
        case comparison = "comparison-group"
    }
}

/// A step's result as arithmetic over declared values and earlier steps: what a workbook
/// writes as a live formula (``Settlement/Step/expression``).
public indirect enum StepExpression: Sendable, Hashable {
    /// A declared value.
    case reading(Settlement.Reading)
    /// An earlier step's result.
    case step(String)
    /// A term of the contract written into the formula: a share, a price, an amount carried.
    case number(ExactDecimal)
    case sum([StepExpression])
    case difference(StepExpression, StepExpression)
    case product(StepExpression, StepExpression)
    case quotient(StepExpression, StepExpression)
    /// The smaller of the two (a cap).
    case smaller(StepExpression, StepExpression)
    /// `then` when `value` reaches `mark` — at or above it where higher is better, at or
    /// below where lower is (strictly, when not `inclusive`) — else `otherwise`.
    case reaching(
        value: StepExpression, mark: StepExpression, direction: Direction, inclusive: Bool, then: StepExpression,
        otherwise: StepExpression)
    /// Never below zero.
    case atLeastZero(StepExpression)
    /// To a multiple of `increment`, as the contract's rounding does.
    case rounded(StepExpression, increment: ExactDecimal, mode: RoundingMode)
}
