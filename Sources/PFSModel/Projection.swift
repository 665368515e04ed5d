/// How a KPI's expected (counterfactual) values follow from its baseline.
public struct Projection: Sendable, Hashable {
    /// The method.
    public enum Method: Sendable, Hashable {
        /// A constant annual growth rate; each year's value is rounded by `rounding`
        /// before the next year's growth is applied, as in a printed projection table.
        case growth(rate: ExactDecimal, rounding: RoundingRule)
        /// A linear trend: baseline + slope × years since the baseline.
        case linear(slope: ExactDecimal)
        /// A value per person times a projected population for the year.
        case perCapita(value: ExactDecimal, population: [Observation])
    }

    /// The method and its parameters.
    public let method: Method
    /// Where the method or its parameters come from (a fiscal plan, a trend…).
    public let source: String?

    /// The method's name as written: `growth`, `linear`, `per-capita`.
    public var kindName: String {
        switch method {
        case .growth: return "growth"
        case .linear: return "linear"
        case .perCapita: return "per-capita"
        }
    }
    /// The method's name in Japanese: 伸び率, 線形, 1人あたり.
    public var kindNameJA: String {
        switch method {
        case .growth: return "伸び率"
        case .linear: return "線形"
        case .perCapita: return "1人あたり"
        }
    }
    /// Where it was declared.
    public let location: SourceLocation

    /// Creates a projection.
    public init(method: Method, source: String? = nil, location: SourceLocation) {
        self.method = method
        self.source = source
        self.location = location
    }

    /// The projected value for `year` and the formula that gives it; nil when the method
    /// has no value for the year (before the baseline, or no population figure).
    public func value(in year: Int, from baseline: Observation) throws(ArithmeticError) -> (ExactDecimal, String)? {
        try valueWithFormulas(in: year, from: baseline).map { ($0.value, $0.formula) }
    }

    /// ``value(in:from:)`` with its formula in English and in Japanese.
    public func valueWithFormulas(
        in year: Int, from baseline: Observation
    ) throws(ArithmeticError)
        -> (value: ExactDecimal, formula: String, formulaJA: String)?
    {
        let years = year - baseline.year
        switch method {
        case .growth(let rate, let rounding):
            guard years >= 0 else { return nil }
            let factor = try ExactDecimal.one.adding(rate)
            var value = baseline.value
            for _ in 0..<years { value = try rounding.rounded(try value.multiplied(by: factor)) }
            return (
                value,
                """
                \(baseline.value) × (1 + \(rate)) per year for \(years) years, each year rounded \
                \(rounding.mode.rawValue) to \(rounding.increment) = \(value)
                """,
                """
                \(baseline.value) × (1 + \(rate)) を \(years) 年間、毎年 \(rounding.increment) \
                単位で\(rounding.mode.nameJA) = \(value)
                """
            )
        case .linear(let slope):
            guard years >= 0 else { return nil }
            let value = try baseline.value.adding(try slope.multiplied(by: ExactDecimal(years)))
            return (
                value, "\(baseline.value) + \(slope) × \(years) = \(value)",
                "\(baseline.value) + \(slope) × \(years) = \(value)"
            )
        case .perCapita(let perPerson, let population):
            guard let people = population.first(where: { $0.year == year }) else { return nil }
            let value = try perPerson.multiplied(by: people.value)
            return (
                value, "\(perPerson) per person × population \(people.value) = \(value)",
                "1人あたり \(perPerson) × 人口 \(people.value) = \(value)"
            )
        }
    }
}
