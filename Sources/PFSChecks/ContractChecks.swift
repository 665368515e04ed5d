import PFSModel

/// A named semantic check: a stable id, what it guards, and the function that runs it.
public struct Check: Sendable {
    /// The stable id printed in diagnostics, e.g. `attribution-total`.
    public let id: CheckID
    let run: @Sendable (Contract) -> [Diagnostic]

    init(_ id: CheckID, run: @escaping @Sendable (Contract) -> [Diagnostic]) {
        self.id = id
        self.run = run
    }

    /// One sentence saying what the check requires.
    public var summary: String { id.summary }

    /// Runs the check.
    public func callAsFunction(_ contract: Contract) -> [Diagnostic] { run(contract) }
}

/// The semantic checks a schema-valid contract must pass before it is settled.
public enum ContractChecks {
    /// Every check, in the order they run.
    public static let all: [Check] = [
        uniqueIDs, namesPresent, currencyKnown, amountScale, roundingIncrement, termOrder,
        referencesResolve, partyRoles, sharesInRange, duplicateEntries, attributionTotal,
        profitShareTotal, valuePerUnit, yearsInTerm, duplicateYears, actualWithoutExpected,
        projectionRules, creditedValuation, paymentParties, paymentKPI, estimateBlend, amountsNonNegative, bandMarks,
        stepTable, tiersOrder, proportionalTarget,
        capBelowFixed, paymentLimits, sibWaterfall, perBeneficiary, partialYears, paymentsInSkippedYears, sizeLimits,
        yearLabels, paymentMeasures, conditions, targets, kpiBaselines, rateCards, investorClasses, paymentTiming,
        administration,
        valueForMoney,
        dataMissing,
    ]

    /// Runs every check; diagnostics come in check order, then declaration order.
    public static func run(_ contract: Contract) -> [Diagnostic] {
        all.flatMap { $0(contract) }
    }
}
