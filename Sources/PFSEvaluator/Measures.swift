import PFSModel

/// A KPI's measure for a year (format 2): its actual value, its improvement on a reference,
/// or that improvement divided by the reference, computed exactly.
struct MeasuredValue {
    /// The value; a ratio that is not a finite decimal is cut to ``Evaluator/ratioDigits``
    /// decimals below its exact value (``belowExact``), which decides every comparison with
    /// a declared number exactly (see ``Comparison/holds(_:_:belowExact:)``).
    let value: ExactDecimal
    /// Whether ``value`` lies just below the exact ratio.
    let belowExact: Bool
    /// The value as statements show it: to the KPI's relative precision, `≈` when cut.
    let shown: String
    /// ``shown`` as a number (without the `≈`).
    let shownValue: ExactDecimal
    /// The contract figures it read.
    let reads: [Settlement.Reading]
    /// How it was computed, as figures.
    let working: MeasureWorking
}

extension Comparison {
    /// Whether `value` compares so with `operand`; `belowExact` says the value stands for a
    /// ratio a little above it (so it exceeds an operand it equals, and equals nothing).
    func holds(_ value: ExactDecimal, _ operand: ExactDecimal, belowExact: Bool = false) -> Bool {
        let above = value > operand || (belowExact && value == operand)
        let equal = value == operand && !belowExact
        switch self {
        case .ge: return above || equal
        case .gt: return above
        case .le: return !above
        case .lt: return !above && !equal
        case .eq: return equal
        }
    }
}

extension Evaluator {
    /// Decimals a ratio is cut to before it is compared (comparisons stay exact for
    /// declared numbers with at most this many decimals).
    static let ratioDigits = 18

    /// `kpi`'s `measure` for `year`; nil when a figure it needs is not declared.
    static func measured(
        _ measure: OutcomeMeasure, of kpi: KPI, year: Int, contract: Contract
    ) throws(ArithmeticError) -> MeasuredValue? {
        guard let actual = kpi.actual(in: year) else { return nil }
        let actualRead = Settlement.Reading(kpi: kpi.id, measure: .actual, year: year)
        if measure.kind == .actual {
            return MeasuredValue(
                // As the contract wrote it: 77.0 stays 77.0.
                value: actual.value, belowExact: false,
                shown: actual.value.asWritten(), shownValue: actual.value, reads: [actualRead],
                working: .init(kpi: .init(kpi), year: contract.names(of: year), actual: actual.value, kind: .actual))
        }
        let reference: (value: ExactDecimal, read: Settlement.Reading)
        switch measure.against {
        case .baseline:
            reference = (kpi.baseline.value, Settlement.Reading(kpi: kpi.id, measure: .baseline, year: kpi.baseline.year))
        case .expected:
            guard let expected = kpi.expected(in: year) else { return nil }
            reference = (expected.value, Settlement.Reading(kpi: kpi.id, measure: .expected, year: year))
        case .comparison:
            guard let group = kpi.comparisonGroup?.value(in: year) else { return nil }
            reference = (group.value, Settlement.Reading(kpi: kpi.id, measure: .comparison, year: year))
        }
        let reads = [actualRead, reference.read]
        let lowerIsBetter = kpi.direction == .lowerIsBetter
        let improvement =
            lowerIsBetter
            ? try reference.value.subtracting(actual.value) : try actual.value.subtracting(reference.value)
        if measure.kind == .improvement {
            return MeasuredValue(
                value: improvement, belowExact: false, shown: improvement.description, shownValue: improvement,
                reads: reads,
                working: .init(
                    kpi: .init(kpi), year: contract.names(of: year), actual: actual.value,
                    kind: .improvement(
                        .init(against: measure.against, value: reference.value), lowerIsBetter: lowerIsBetter,
                        improvement: improvement)))
        }
        guard reference.value.signum != 0 else { throw .invalidDivisor }
        let (value, belowExact) = try ratio(improvement, reference.value)
        let shown = try shownRatio(improvement, reference.value, digits: kpi.relativePrecision)
        return MeasuredValue(
            value: value, belowExact: belowExact, shown: shown.text, shownValue: shown.value,
            reads: reads,
            working: .init(
                kpi: .init(kpi), year: contract.names(of: year), actual: actual.value,
                kind: .relative(
                    .init(against: measure.against, value: reference.value), lowerIsBetter: lowerIsBetter,
                    shown: shown.text)))
    }

    /// `numerator ÷ denominator` cut to ``ratioDigits`` decimals toward minus infinity, and
    /// whether anything was cut.
    static func ratio(
        _ numerator: ExactDecimal, _ denominator: ExactDecimal
    ) throws(ArithmeticError) -> (ExactDecimal, Bool) {
        let step = ExactDecimal(significand: 1, scale: ratioDigits)
        let cut = try RoundingRule(increment: step, mode: .down).rounded(numerator, dividedBy: denominator)
        let exact = try cut.multiplied(by: denominator) == numerator
        // Toward zero, then one step lower for a negative ratio that was cut: always below.
        if !exact, cut.signum < 0 || (cut.signum == 0 && (numerator.signum < 0) != (denominator.signum < 0)) {
            return (try cut.subtracting(step), true)
        }
        return (cut, !exact)
    }

    /// The ratio to `digits` decimals (half-even), with `≈` when that is not its exact value
    /// (the shown value times the denominator gives the numerator back only when it is).
    static func shownRatio(
        _ numerator: ExactDecimal, _ denominator: ExactDecimal, digits: Int
    ) throws(ArithmeticError) -> (value: ExactDecimal, text: String) {
        let step = ExactDecimal(significand: 1, scale: digits)
        let shown = try RoundingRule(increment: step, mode: .halfEven).rounded(numerator, dividedBy: denominator)
        let product = try shown.multiplied(by: denominator)
        return (shown, product == numerator ? shown.normalized().description : "≈" + shown.description)
    }

    /// Checks a condition tree for `year`: whether it holds, and every condition's figures.
    static func check(
        _ tree: ConditionTree, year: Int, contract: Contract
    ) throws(EvaluationError) -> (holds: Bool, results: [Settlement.ConditionResult]) {
        switch tree {
        case .condition(let condition):
            let result = try check(condition, year: year, contract: contract)
            return (result.holds, [result])
        case .allOf(let members, _), .anyOf(let members, _):
            var results: [Settlement.ConditionResult] = []
            var held: [Bool] = []
            for member in members {
                let (holds, memberResults) = try check(member, year: year, contract: contract)
                held.append(holds)
                results += memberResults
            }
            if case .allOf = tree { return (held.allSatisfy { $0 }, results) }
            return (held.contains(true), results)
        }
    }

    /// One condition checked for `year`, with its figures.
    static func check(
        _ condition: Condition, year: Int, contract: Contract
    ) throws(EvaluationError) -> Settlement.ConditionResult {
        guard let kpi = contract.kpi(condition.kpi) else {
            throw .missingData(
                "a condition names KPI '\(condition.kpi)', which is not declared", at: condition.location)
        }
        let value: MeasuredValue? = try checked("condition on '\(kpi.id)'", at: condition.location) {
            () throws(ArithmeticError) -> MeasuredValue? in
            try Self.measured(condition.measure, of: kpi, year: year, contract: contract)
        }
        let measured = value
        var operand: ExactDecimal?
        var series: StepFigures.Named?
        switch condition.operand {
        case .value(let value): operand = value
        case .series(let id):
            let declared = kpi.series.first { $0.id == id }
            series = .init(id: id, name: declared?.name ?? LocalizedText(ja: nil, en: nil))
            operand = declared?.value(in: year)?.value
        }
        var holds: Bool?
        if let measured, let operand {
            holds = condition.comparison.holds(measured.value, operand, belowExact: measured.belowExact)
        }
        let figures = CheckedCondition(
            kpi: .init(kpi), measure: condition.measure, shown: measured?.shown, shownValue: measured?.shownValue,
            asRate: condition.measure.kind == .relativeImprovement
                || (KPI.isRate(unit: kpi.unit) && condition.measure.kind == .actual),
            inPercent: kpi.unit == "%" && condition.measure.kind == .actual, operand: operand, series: series,
            year: contract.names(of: year), comparison: condition.comparison, holds: holds,
            // The actual value needs no working; an improvement shows how it was worked out.
            working: condition.measure.kind == .actual ? nil : measured?.working)
        return Settlement.ConditionResult(
            kpi: kpi.id, measure: condition.measure.description, value: measured?.shown,
            comparison: condition.comparison.symbol, operand: operand?.description,
            series: series.map { $0.name.en ?? $0.name.ja ?? $0.id }, holds: holds ?? false,
            figures: .checked(figures))
    }

    /// The contract's targets for `year`, each checked, with a step each.
    static func checkTargets(
        of contract: Contract, year: Int, steps: inout StepLog
    ) throws(EvaluationError) -> [Settlement.TargetResult]? {
        let targets = contract.targets.filter { $0.applies(to: year) }
        guard !targets.isEmpty else { return nil }
        var results: [Settlement.TargetResult] = []
        for target in targets {
            guard let kpi = contract.kpi(target.kpi) else {
                throw .missingData(
                    "target '\(target.id)' names KPI '\(target.kpi)', which is not declared",
                    at: target.location)
            }
            // Judged on the latest result so far: the KPIs of a plan are measured in different
            // years, and a year without a new figure keeps the last one, with its year.
            let resultYear = target.resultYear(in: year, of: kpi)
            let judged = resultYear ?? year
            let actual = kpi.actual(in: judged)
            let (holds, conditions) = try check(target.condition, year: judged, contract: contract)
            let achieved: Bool? = actual == nil ? nil : holds
            let step = steps.record(
                .target(
                    target: .init(id: target.id, name: target.name), kpi: .init(kpi), year: contract.names(of: year),
                    conditions: conditions, achieved: achieved),
                achieved == true ? .one : .zero, reads: conditionReads(target.condition, year: judged, contract))
            results.append(
                .init(
                    id: target.id, kpi: kpi.id, name: target.name,
                    baseline: kpi.baselineDeclared ? kpi.baseline.value : nil,
                    actual: actual?.value, achieved: achieved, conditions: conditions, step: step,
                    resultYear: actual == nil ? nil : judged, targetYear: target.targetYear))
        }
        return results
    }

    /// The contract figures a condition tree reads for `year`.
    static func conditionReads(_ tree: ConditionTree, year: Int, _ contract: Contract) -> [Settlement.Reading] {
        var reads: [Settlement.Reading] = []
        for condition in tree.conditions {
            guard let kpi = contract.kpi(condition.kpi),
                let measured = try? measured(condition.measure, of: kpi, year: year, contract: contract)
            else { continue }
            for read in measured.reads where !reads.contains(read) { reads.append(read) }
        }
        return reads
    }
}

extension Evaluator {
    /// The outcome a payment measures: one KPI's actual value for the payment's year, or the
    /// weighted blend of several (its source then shows the blend with the values put in).
    static func outcome(
        of payment: Payment, in contract: Contract
    ) throws(EvaluationError)
        -> (
            observation: Observation, reads: [Settlement.Reading], direction: Direction, baseline: ExactDecimal,
            belowExact: Bool, shown: ExactDecimal, working: MeasureWorking?, source: Settlement.OutcomeWorking?
        )
    {
        if payment.measure != .actual {
            // An improvement is better the higher it is, and counts from 0.
            guard let kpiID = payment.kpi, let kpi = contract.kpi(kpiID) else {
                throw .missingData("payment '\(payment.id)' names no KPI to measure", at: payment.location)
            }
            let value = try checked("payment '\(payment.id)' outcome", at: payment.location) {
                () throws(ArithmeticError) -> MeasuredValue? in
                try measured(payment.measure, of: kpi, year: payment.year, contract: contract)
            }
            guard let value else {
                throw .missingData(
                    "payment '\(payment.id)' has no measured \(payment.measure.description) for "
                        + contract.yearName(payment.year), at: payment.location)
            }
            let observation = Observation(
                year: payment.year, value: value.value, source: nil, location: payment.location)
            return (
                observation, value.reads, .higherIsBetter, .zero, value.belowExact, value.shownValue, value.working,
                .measured(payment.measure, value.working)
            )
        }
        var parts: [(weight: ExactDecimal, kpi: KPI, actual: Observation)] = []
        let weighted = payment.kpi.map { [($0, ExactDecimal.one)] } ?? payment.estimates.map { ($0.kpi, $0.weight) }
        for (kpiID, weight) in weighted {
            guard let kpi = contract.kpi(kpiID), let actual = kpi.actual(in: payment.year) else {
                throw .missingData(
                    "payment '\(payment.id)' has no measured outcome for \(contract.yearName(payment.year))",
                    at: payment.location)
            }
            parts.append((weight, kpi, actual))
        }
        guard let first = parts.first else {
            throw .missingData("payment '\(payment.id)' names no KPI to measure", at: payment.location)
        }
        let reads = parts.map { Settlement.Reading(kpi: $0.kpi.id, measure: .actual, year: $0.actual.year) }
        if payment.kpi != nil {
            return (
                first.actual, reads, first.kpi.direction, first.kpi.baseline.value, false, first.actual.value, nil, nil
            )
        }
        let what = "payment '\(payment.id)' blended outcome"
        let value = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try ExactDecimal.sum(
                try parts.map { (part) throws(ArithmeticError) in try part.actual.value.multiplied(by: part.weight) })
        }
        let baseline = try checked(what, at: payment.location) { () throws(ArithmeticError) in
            try ExactDecimal.sum(
                try parts.map { (part) throws(ArithmeticError) in
                    try part.kpi.baseline.value.multiplied(by: part.weight)
                })
        }
        return (
            Observation(year: payment.year, value: value, source: nil, location: payment.location),
            reads, first.kpi.direction, baseline, false, value, nil,
            .blended(parts.map { .init(weight: $0.weight, kpi: $0.kpi.id, value: $0.actual.value) }, total: value)
        )
    }
}
