import PFSModel

/// Rules 1 and 2 for one KPI and year: the improvement (positive is better) and, unless the
/// KPI is measured only, its money value; the figures the steps read.
extension Evaluator {
    /// The KPI's outcome for `year`, with the steps that compute its improvement.
    static func evaluate(
        _ kpi: KPI, year: Int, yearName: YearName, steps: inout StepLog
    ) throws(EvaluationError) -> Settlement.KPIOutcome {
        let expected = kpi.expected(in: year)
        let actual = kpi.actual(in: year)
        var perUnit: ExactDecimal?
        if case .perUnit(let value) = kpi.valuation { perUnit = value.amount }
        var measured: (improvement: ExactDecimal, fiscal: ExactDecimal?, step: String)?
        if let expected, let actual {
            measured = try improvementSteps(
                kpi, year: year, expected: expected, actual: actual, yearName: yearName, steps: &steps)
        }
        return Settlement.KPIOutcome(
            id: kpi.id, name: kpi.name, unit: kpi.unit, direction: kpi.direction, valuePerUnit: perUnit,
            baseline: kpi.baselineDeclared ? .init(kpi.baseline) : nil, expected: expected.map { Settlement.Figure($0) },
            actual: actual.map { Settlement.Figure($0) },
            status: measured != nil ? .measured : (actual != nil ? .actualOnly : .notMeasured),
            improvement: measured?.improvement, fiscalImprovement: measured?.fiscal, step: measured?.step,
            valuePerUnitInput: unitValueFigure(kpi, year: year), notMeasured: yearsNotMeasured(kpi, through: year),
            series: seriesFigures(kpi, year: year))
    }

    /// The comparison group's and the series' values for `year`; nil when none is declared.
    static func seriesFigures(_ kpi: KPI, year: Int) -> [Settlement.SeriesFigure]? {
        let declared = (kpi.comparisonGroup.map { [$0] } ?? []) + kpi.series
        let figures = declared.compactMap { series in
            series.value(in: year).map {
                Settlement.SeriesFigure(
                    id: series.id.isEmpty ? nil : series.id, name: series.name, source: series.source,
                    figure: .init($0))
            }
        }
        return figures.isEmpty ? nil : figures
    }

    /// The steps of a measured year: the expected value derived (where a projection gives
    /// it), the improvement, and its money value (× the value per unit where there is one).
    static func improvementSteps(
        _ kpi: KPI, year: Int, expected: Observation, actual: Observation, yearName: YearName,
        steps: inout StepLog
    ) throws(EvaluationError) -> (improvement: ExactDecimal, fiscal: ExactDecimal?, step: String) {
        let derived = derivedExpectedStep(kpi, year: year, expected: expected, yearName: yearName, steps: &steps)
        // A derived expected value is read through its step; a declared one directly.
        let uses = derived.map { [$0] } ?? []
        let reads =
            (derived == nil ? [Settlement.Reading(kpi: kpi.id, measure: .expected, year: expected.year)] : [])
            + [Settlement.Reading(kpi: kpi.id, measure: .actual, year: actual.year)]
        let values = try checked("KPI '\(kpi.id)' fiscal improvement", at: kpi.location) { () throws(ArithmeticError) in
            try improvementValues(kpi, expected: expected.value, actual: actual.value)
        }
        let difference = values.improvement
        let expectedTerm: StepExpression =
            derived.map { .step($0) }
            ?? .reading(Settlement.Reading(kpi: kpi.id, measure: .expected, year: expected.year))
        let actualTerm = StepExpression.reading(Settlement.Reading(kpi: kpi.id, measure: .actual, year: actual.year))
        let improvement: StepExpression =
            kpi.direction == .lowerIsBetter
            ? .difference(expectedTerm, actualTerm) : .difference(actualTerm, expectedTerm)
        func figures(_ valuation: StepFigures.Valuation) -> StepFigures {
            .improvement(
                kpi: .init(kpi), direction: kpi.direction, unit: kpi.unit, valuation: valuation,
                expected: expected.value, actual: actual.value, improvement: difference)
        }
        switch kpi.valuation {
        case .measuredOnly:
            let step = steps.record(
                figures(.measuredOnly), difference, uses: uses, reads: reads, expression: improvement)
            return (difference, values.fiscal, step)
        case .perUnit(let perUnit):
            let improvementStep = steps.record(
                figures(.perUnit), difference, uses: uses, reads: reads, expression: improvement)
            let value = values.fiscal ?? .zero
            let step = steps.record(
                .fiscalImprovement(
                    kpi: .init(kpi), improvementStep: improvementStep, improvement: difference,
                    valuePerUnit: perUnit.amount, value: value),
                value, uses: [improvementStep], reads: [.init(kpi: kpi.id, measure: .valuePerUnit, year: year)],
                expression: .product(
                    .step(improvementStep), .reading(.init(kpi: kpi.id, measure: .valuePerUnit, year: year))))
            return (difference, values.fiscal, step)
        case .money:
            let step = steps.record(figures(.money), difference, uses: uses, reads: reads, expression: improvement)
            return (difference, values.fiscal, step)
        }
    }

    /// The step deriving the expected value from the baseline, where the projection gives
    /// it (no expected value is declared for the year); nil otherwise.
    static func derivedExpectedStep(
        _ kpi: KPI, year: Int, expected: Observation, yearName: YearName, steps: inout StepLog
    ) -> String? {
        guard let projection = kpi.projection, !kpi.expected.contains(where: { $0.year == year }) else { return nil }
        return steps.record(
            .derivedExpected(
                kpi: .init(kpi), year: yearName, projection: projection, baseline: kpi.baseline,
                source: expected.source ?? ""),
            expected.value, reads: [.init(kpi: kpi.id, measure: .baseline, year: kpi.baseline.year)],
            expression: projectionExpression(kpi, projection: projection, year: year))
    }

    /// A projected expected value as arithmetic over the baseline.
    static func projectionExpression(_ kpi: KPI, projection: Projection, year: Int) -> StepExpression? {
        let baseline = StepExpression.reading(.init(kpi: kpi.id, measure: .baseline, year: kpi.baseline.year))
        let years = year - kpi.baseline.year
        guard years >= 0 else { return nil }
        switch projection.method {
        case .linear(let slope): return .sum([baseline, .product(.number(slope), .number(ExactDecimal(years)))])
        case .growth(let rate, let rounding):
            guard years <= 60, let factor = try? ExactDecimal.one.adding(rate) else { return nil }
            var value = baseline
            for _ in 0..<years {
                value = .rounded(.product(value, .number(factor)), increment: rounding.increment, mode: rounding.mode)
            }
            return value
        case .perCapita(let perPerson, let population):
            guard let people = population.first(where: { $0.year == year }) else { return nil }
            return .product(.number(perPerson), .number(people.value))
        }
    }

    /// Rules 1 and 2: the improvement (positive is better) and, unless the KPI is measured
    /// only, its money value.
    static func improvementValues(
        _ kpi: KPI, expected: ExactDecimal, actual: ExactDecimal
    ) throws(ArithmeticError)
        -> (improvement: ExactDecimal, fiscal: ExactDecimal?)
    {
        let difference =
            kpi.direction == .lowerIsBetter ? try expected.subtracting(actual) : try actual.subtracting(expected)
        switch kpi.valuation {
        case .money: return (difference, difference)
        case .perUnit(let value): return (difference, try difference.multiplied(by: value.amount))
        case .measuredOnly: return (difference, nil)
        }
    }

    /// The value per unit as the figure a step reads: declared once, applied in `year`.
    static func unitValueFigure(_ kpi: KPI, year: Int) -> Settlement.Figure? {
        guard case .perUnit(let value) = kpi.valuation else { return nil }
        return Settlement.Figure(
            Observation(year: year, value: value.amount, source: value.source, location: value.location))
    }

    /// The years up to `year` declared not measured; nil when none.
    static func yearsNotMeasured(_ kpi: KPI, through year: Int) -> [Settlement.YearNotMeasured]? {
        let declared = kpi.notMeasured.filter { $0.year <= year }.sorted { $0.year < $1.year }
        return declared.isEmpty ? nil : declared.map(Settlement.YearNotMeasured.init)
    }
}
