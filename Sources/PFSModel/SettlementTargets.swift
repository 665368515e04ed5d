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
        /// The comparison with its figures, in English and in Japanese.
        public let text: String
        /// The same in Japanese.
        public let textJA: String
        /// Creates a result.
        public init(
            kpi: String, measure: String, value: String?, comparison: String, operand: String?, series: String?,
            holds: Bool, text: String, textJA: String
        ) {
            self.kpi = kpi
            self.measure = measure
            self.value = value
            self.comparison = comparison
            self.operand = operand
            self.series = series
            self.holds = holds
            self.text = text
            self.textJA = textJA
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
        public let conditions: [ConditionResult]
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
