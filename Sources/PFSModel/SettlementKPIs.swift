/// A settlement's KPI outcomes and the declared figures they read.
extension Settlement {
    /// A value as declared, with its year and source.
    public struct Figure: Sendable, Hashable, Codable {
        /// Fiscal year.
        public let year: Int
        /// The value in the KPI's unit.
        public let value: ExactDecimal
        /// Where it came from, as the contract says.
        public let source: String?
        /// Line in the contract file.
        public let line: Int
        /// The element it was read from, e.g. `/contract/kpis/kpi[@id='item-c']/actual[@year='2024']`.
        public let element: String?
        /// How an outcome a payment measured was worked out, as figures: its source in words
        /// is PFSStatements' (nil for a declared figure, and for one read back from a statement).
        public private(set) var working: OutcomeWorking? = nil

        enum CodingKeys: String, CodingKey {
            case year, value, source, line, element
        }

        /// Creates a figure from an observation.
        public init(_ observation: Observation, working: OutcomeWorking? = nil) {
            year = observation.year
            value = observation.value
            source = observation.source
            line = observation.location.line
            element = observation.location.element
            self.working = working
        }

        /// The same figure with its working written as its source.
        public func with(source: String?) -> Figure {
            Figure(
                Observation(
                    year: year, value: value, source: source,
                    location: SourceLocation(file: "", line: line, column: 0, element: element)))
        }
    }

    /// How an outcome a payment measured was worked out (format 2).
    public enum OutcomeWorking: Sendable, Hashable {
        /// A measure of one KPI other than its actual value.
        case measured(OutcomeMeasure, MeasureWorking)
        /// A weighted blend of several KPIs' actual values.
        case blended([BlendedPart], total: ExactDecimal)
    }

    /// One KPI's part of a blended outcome: its weight and actual value.
    public struct BlendedPart: Sendable, Hashable {
        public let weight: ExactDecimal
        public let kpi: String
        public let value: ExactDecimal
        public init(weight: ExactDecimal, kpi: String, value: ExactDecimal) {
            self.weight = weight
            self.kpi = kpi
            self.value = value
        }
    }

    /// Whether a KPI could be evaluated for the year.
    public enum KPIStatus: String, Sendable, Hashable, Codable {
        /// Both expected and actual values exist: the improvement is computed.
        case measured
        /// An actual value without a counterfactual (a KPI measured for a payment rule).
        case actualOnly = "actual-only"
        /// No actual value for the year.
        case notMeasured = "not-measured"
    }

    /// One KPI's figures for the year.
    public struct KPIOutcome: Sendable, Hashable, Codable {
        /// KPI id.
        public let id: String
        /// Its name.
        public let name: LocalizedText
        /// Unit of its values.
        public let unit: String
        /// Which way is better.
        public let direction: Direction
        /// Amount one unit of improvement is worth; nil when the KPI is money already.
        public let valuePerUnit: ExactDecimal?
        /// Reference value.
        public let baseline: Figure?
        /// Counterfactual (見込み) for the year.
        public let expected: Figure?
        /// Measured (実績) for the year.
        public let actual: Figure?
        /// Whether it was measured.
        public let status: KPIStatus
        /// Improvement in the KPI's unit (sign: positive is better).
        public let improvement: ExactDecimal?
        /// Improvement as an amount in the written unit.
        public let fiscalImprovement: ExactDecimal?
        /// The step that computed ``fiscalImprovement``.
        public let step: String?
        /// Where ``valuePerUnit`` was declared, with its source (the year is the one settled).
        public let valuePerUnitInput: Figure?
        /// The years of the term up to this one that the contract declares not measured, with
        /// the reason; nil when none.
        public let notMeasured: [YearNotMeasured]?
        /// The comparison group's value and the declared series' values for the year
        /// (format 2), the comparison group first; nil when the KPI declares none.
        public let series: [SeriesFigure]?
        /// Creates an outcome.
        public init(
            id: String, name: LocalizedText, unit: String, direction: Direction, valuePerUnit: ExactDecimal?,
            baseline: Figure?, expected: Figure?, actual: Figure?, status: KPIStatus,
            improvement: ExactDecimal?, fiscalImprovement: ExactDecimal?, step: String?,
            valuePerUnitInput: Figure? = nil, notMeasured: [YearNotMeasured]? = nil, series: [SeriesFigure]? = nil
        ) {
            self.series = series
            self.id = id
            self.name = name
            self.unit = unit
            self.direction = direction
            self.valuePerUnit = valuePerUnit
            self.baseline = baseline
            self.expected = expected
            self.actual = actual
            self.status = status
            self.improvement = improvement
            self.fiscalImprovement = fiscalImprovement
            self.step = step
            self.valuePerUnitInput = valuePerUnitInput
            self.notMeasured = notMeasured
        }
    }

    /// A value of a KPI's comparison group or of one of its series for the year.
    public struct SeriesFigure: Sendable, Hashable, Codable {
        /// The series' id; nil for the comparison group.
        public let id: String?
        /// Its name.
        public let name: LocalizedText
        /// Where the series comes from, as the contract says.
        public let source: String?
        /// The value for the year, with its own source and line.
        public let figure: Figure
        /// Creates one.
        public init(id: String?, name: LocalizedText, source: String?, figure: Figure) {
            self.id = id
            self.name = name
            self.source = source
            self.figure = figure
        }
    }

    /// A year a KPI was declared not measured (`<not-measured>`).
    public struct YearNotMeasured: Sendable, Hashable, Codable {
        /// The fiscal year.
        public let year: Int
        /// Why, as the contract says.
        public let reason: String
        /// Line in the contract file.
        public let line: Int
        /// Creates the record from the declaration.
        public init(_ declaration: NotMeasured) {
            year = declaration.year
            reason = declaration.reason
            line = declaration.location.line
        }
    }
}
