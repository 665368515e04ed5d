import PFSModel

/// Reading what format 2 adds: series and comparison groups on KPIs, measures, conditions
/// and targets. The format-1 schema allows none of these elements, so reading them for
/// every contract changes nothing for format 1.
extension ContractReader {
    /// A KPI's `<comparison-group>` or one of its `<series>`.
    mutating func readSeries(_ element: Element, id: String) -> Series {
        var values: [Observation] = []
        for value in element.children(named: "value") {
            values.append(
                Observation(
                    year: integer("year", of: value), value: decimal("value", of: value),
                    source: value.attribute("source"), location: location(of: value)))
        }
        return Series(
            id: id, name: names(element.child(named: "name")), source: element.attribute("source"), values: values,
            location: location(of: element))
    }

    /// The `measure` and `against` attributes of a payment or a condition.
    func measure(of element: Element) -> OutcomeMeasure {
        OutcomeMeasure(
            kind: element.attribute("measure").flatMap(OutcomeMeasure.Kind.init(rawValue:)) ?? .actual,
            against: element.attribute("against").flatMap(OutcomeMeasure.Reference.init(rawValue:)) ?? .baseline)
    }

    /// A `<condition>`, `<all-of>` or `<any-of>` element; nil for any other.
    mutating func readConditionTree(_ element: Element) -> ConditionTree? {
        switch element.name {
        case "condition":
            let operand: Condition.Operand
            if let series = element.attribute("series") {
                if element.attribute("value") != nil {
                    diagnostics.append(
                        Diagnostic(
                            check: .condition, message: "a condition compares with a value or with a series, not both",
                            hint: "keep value=\"…\" or series=\"…\"", at: location(of: element)))
                }
                operand = .series(series)
            } else if element.attribute("value") != nil {
                operand = .value(decimal("value", of: element))
            } else {
                diagnostics.append(
                    Diagnostic(
                        check: .condition, message: "a condition needs value=\"…\" or series=\"…\" to compare with",
                        hint: "e.g. <condition kpi=\"…\" compare=\"ge\" value=\"0.6\"/>", at: location(of: element)))
                operand = .value(.zero)
            }
            return .condition(
                Condition(
                    kpi: string("kpi", of: element), measure: measure(of: element),
                    comparison: Comparison(rawValue: string("compare", of: element)) ?? .ge, operand: operand,
                    location: location(of: element)))
        case "all-of", "when":
            return .allOf(readMembers(element), location(of: element))
        case "any-of":
            return .anyOf(readMembers(element), location(of: element))
        default:
            return nil
        }
    }

    private mutating func readMembers(_ element: Element) -> [ConditionTree] {
        var members: [ConditionTree] = []
        for child in element.children {
            if let member = readConditionTree(child) { members.append(member) }
        }
        return members
    }

    /// The `<targets>` element's targets.
    mutating func readTargets(_ element: Element?) -> [Target] {
        var targets: [Target] = []
        for target in element?.children(named: "target") ?? [] {
            var tree: ConditionTree?
            for child in target.children where tree == nil { tree = readConditionTree(child) }
            targets.append(
                Target(
                    id: string("id", of: target), kpi: string("kpi", of: target),
                    name: names(target.child(named: "name")),
                    year: target.attribute("year").map { _ in integer("year", of: target) },
                    targetYear: target.attribute("by").map { _ in integer("by", of: target) },
                    condition: tree ?? .allOf([], location(of: target)), location: location(of: target)))
        }
        return targets
    }

    /// A `<class>` of a social impact bond's capital.
    mutating func readInvestorClass(_ element: Element) -> InvestorClass {
        var holders: [PartyShare] = []
        for holder in element.children(named: "holder") {
            holders.append(
                PartyShare(
                    party: string("party", of: holder), share: decimal("share", of: holder),
                    location: location(of: holder)
                ))
        }
        var grid: [InvestorClass.Point] = []
        for point in element.children(named: "return") {
            grid.append(
                .init(at: decimal("at", of: point), rate: decimal("rate", of: point), location: location(of: point)))
        }
        return InvestorClass(
            id: string("id", of: element), name: names(element.child(named: "name")),
            rank: integer("rank", of: element),
            principal: decimal("principal", of: element),
            protected: element.attribute("protected") != nil && flag("protected", of: element),
            repayment: element.attribute("repayment").flatMap(InvestorClass.Repayment.init(rawValue:)) ?? .coupons,
            holders: holders, grid: grid,
            interpolation: element.attribute("interpolation").flatMap(InvestorClass.Interpolation.init(rawValue:))
                ?? .steps,
            maximumReturn: optionalDecimal("max-return", of: element),
            lossFloor: optionalDecimal("loss-floor", of: element),
            totalLossAt: optionalDecimal("total-loss-at", of: element), location: location(of: element))
    }
}
