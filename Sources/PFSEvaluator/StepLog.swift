import PFSModel

/// Numbers the calculation's steps in order.
struct StepLog {
    private(set) var steps: [Settlement.Step] = []
    private var count = 0
    /// A log for a year the fold only carries through counts its steps: their figures are
    /// never gathered.
    private let keepsSteps: Bool

    init(keepsSteps: Bool = true) { self.keepsSteps = keepsSteps }

    @discardableResult
    mutating func record(
        _ figures: @autoclosure () -> StepFigures, _ result: ExactDecimal, uses: @autoclosure () -> [String] = [],
        reads: @autoclosure () -> [Settlement.Reading] = [],
        expression: @autoclosure () -> StepExpression? = nil
    ) -> String {
        count += 1
        let id = "S\(count)"
        guard keepsSteps else { return id }
        steps.append(
            .init(id: id, figures: figures(), result: result, uses: uses(), reads: reads(), expression: expression()))
        return id
    }
}

extension StepFigures.Named {
    init(_ kpi: KPI) { self.init(id: kpi.id, name: kpi.name) }
    init(_ project: Project) { self.init(id: project.id, name: project.name) }
    init(_ party: Party) { self.init(id: party.id, name: party.name) }
    init(_ payment: Payment) { self.init(id: payment.id, name: payment.name) }
}
