extension Settlement {
    /// One condition as it was checked for a year: the figures compared, and whether it held.
    public struct ConditionResult: Sendable, Hashable, Codable {
        /// The KPI measured.
        public let kpi: String
        /// What was measured (`actual`, `improvement on comparison`…).
        public let measure: String
        /// The measure's value as shown (to the KPI's relative precision; `≈` when the exact
        /// ratio has more decimals); nil when the KPI has no value for the year.
        public let value: String?
        /// `≥`, `>`, `≤`, `<` or `=`.
        public let comparison: String
        /// What it was compared with: the number, or the series' value for the year.
        public let operand: String?
        /// The series compared with, if any.
        public let series: String?
        /// Whether it held (false when a figure is missing).
        public let holds: Bool
        /// The comparison with its figures, as figures: PFSStatements words them (`text`,
        /// `textJA`).
        public let figures: ConditionFigures

        enum CodingKeys: String, CodingKey {
            case kpi, measure, value, comparison, operand, series, holds, text, textJA
        }

        /// Creates a result.
        public init(
            kpi: String, measure: String, value: String?, comparison: String, operand: String?, series: String?,
            holds: Bool, figures: ConditionFigures
        ) {
            self.kpi = kpi
            self.measure = measure
            self.value = value
            self.comparison = comparison
            self.operand = operand
            self.series = series
            self.holds = holds
            self.figures = figures
        }

        /// Reads a result as a statement wrote it: its words, not its figures.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kpi = try container.decode(String.self, forKey: .kpi)
            measure = try container.decode(String.self, forKey: .measure)
            value = try container.decodeIfPresent(String.self, forKey: .value)
            comparison = try container.decode(String.self, forKey: .comparison)
            operand = try container.decodeIfPresent(String.self, forKey: .operand)
            series = try container.decodeIfPresent(String.self, forKey: .series)
            holds = try container.decode(Bool.self, forKey: .holds)
            figures = .written(
                text: try container.decode(String.self, forKey: .text),
                textJA: try container.decode(String.self, forKey: .textJA))
        }

        /// Writes a result whose words are written: the words of figures are PFSStatements'.
        public func encode(to encoder: any Encoder) throws {
            guard case .written(let text, let textJA) = figures else {
                throw EncodingError.invalidValue(
                    figures, .init(codingPath: encoder.codingPath, debugDescription: "a condition has figures, not words"))
            }
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kpi, forKey: .kpi)
            try container.encode(measure, forKey: .measure)
            try container.encodeIfPresent(value, forKey: .value)
            try container.encode(comparison, forKey: .comparison)
            try container.encodeIfPresent(operand, forKey: .operand)
            try container.encodeIfPresent(series, forKey: .series)
            try container.encode(holds, forKey: .holds)
            try container.encode(text, forKey: .text)
            try container.encode(textJA, forKey: .textJA)
        }

        /// The same result with other figures (its words, once written).
        public func with(_ figures: ConditionFigures) -> ConditionResult {
            ConditionResult(
                kpi: kpi, measure: measure, value: value, comparison: comparison, operand: operand, series: series,
                holds: holds, figures: figures)
        }
    }

    /// A KPI target checked for the settled year.
    public struct TargetResult: Sendable, Hashable, Codable {
        /// The target's id.
        public let id: String
        /// The KPI.
        public let kpi: String
        /// What the target says.
        public let name: LocalizedText
        /// The KPI's baseline value; nil for a KPI that declares none.
        public let baseline: ExactDecimal?
        /// The KPI's latest actual value at or before the year, if measured.
        public let actual: ExactDecimal?
        /// The year of that result (a plan's KPIs are measured in different years).
        public let resultYear: Int?
        /// The year the target is set for, when the plan names one (`by`).
        public let targetYear: Int?
        /// Whether it was achieved; nil when the KPI was not measured in the year.
        public let achieved: Bool?
        /// Every condition with its figures, in declared order.
        public private(set) var conditions: [ConditionResult]
        /// The step that checked it.
        public let step: String
        /// Creates a result.
        public init(
            id: String, kpi: String, name: LocalizedText, baseline: ExactDecimal?, actual: ExactDecimal?,
            achieved: Bool?, conditions: [ConditionResult], step: String, resultYear: Int? = nil,
            targetYear: Int? = nil
        ) {
            self.resultYear = resultYear
            self.targetYear = targetYear
            self.id = id
            self.kpi = kpi
            self.name = name
            self.baseline = baseline
            self.actual = actual
            self.achieved = achieved
            self.conditions = conditions
            self.step = step
        }
    }
}

/// A condition as checked, as figures (``Settlement/ConditionResult/figures``).
public enum ConditionFigures: Sendable, Hashable {
    case checked(CheckedCondition)
    /// Read back from a statement: its words in English and Japanese.
    case written(text: String, textJA: String)
}

/// What a condition compared for a year, and whether it held.
public struct CheckedCondition: Sendable, Hashable {
    public let kpi: StepFigures.Named
    public let measure: OutcomeMeasure
    /// The measure as shown and as a number; nil when not measured.
    public let shown: String?
    public let shownValue: ExactDecimal?
    /// A rate (0.58): a percentage to a Japanese reader.
    public let asRate: Bool
    /// A figure already in % (the KPI's unit), which keeps its sign in Japanese.
    public let inPercent: Bool
    /// What it was compared with; nil when the series has no value for the year.
    public let operand: ExactDecimal?
    /// The series compared with, if any.
    public let series: StepFigures.Named?
    public let year: YearName
    public let comparison: Comparison
    /// Nil when a figure is missing (not measured).
    public let holds: Bool?
    /// How a measure other than the actual value was worked out.
    public let working: MeasureWorking?

    public init(
        kpi: StepFigures.Named, measure: OutcomeMeasure, shown: String?, shownValue: ExactDecimal?, asRate: Bool,
        inPercent: Bool, operand: ExactDecimal?, series: StepFigures.Named?, year: YearName, comparison: Comparison,
        holds: Bool?, working: MeasureWorking?
    ) {
        self.kpi = kpi
        self.measure = measure
        self.shown = shown
        self.shownValue = shownValue
        self.asRate = asRate
        self.inPercent = inPercent
        self.operand = operand
        self.series = series
        self.year = year
        self.comparison = comparison
        self.holds = holds
        self.working = working
    }
}

extension Settlement.TargetResult {
    /// The same target with these conditions (the same, worded).
    public func with(conditions: [Settlement.ConditionResult]) -> Self {
        var copy = self
        copy.conditions = conditions
        return copy
    }
}
