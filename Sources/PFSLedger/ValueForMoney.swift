import PFSModel
import PFSStatements
import PFSValue

/// `pfs value`'s figures: the settled years of a contract assessed under the discount
/// schedule the command names, else the contract's, else Japan's 4%; the budget envelope of
/// the years after, summed over payers, in present values too.
public enum ValueForMoney {
    /// Why no assessment could be made.
    public enum Failure: Error, Sendable {
        /// The command's schedule does not hold (the contract's is checked with the contract).
        case schedule(DiscountScheduleError)
        case arithmetic(ArithmeticError)
    }

    /// The assessment of `history` (settled years of `contract`, in order); `command` is the
    /// schedule the command line declares, `paid` what a register records paid per year.
    public static func assess(
        _ contract: Contract, history: [Settlement], command: ValueDeclaration? = nil,
        paid: [Int: ExactDecimal]? = nil
    ) -> Result<ValueAssessment, Failure> {
        let declaration = command ?? contract.valueForMoney
        let source: ValueAssessment.ScheduleSource =
            command != nil ? .command : (contract.valueForMoney != nil ? .contract : .standard)
        let schedule: DiscountSchedule
        do throws(DiscountScheduleError) {
            schedule = try declaration.map(DiscountSchedule.init) ?? .japan
        } catch {
            return .failure(.schedule(error))
        }
        do throws(ArithmeticError) {
            let digits = ISO4217.amountDigits(currency: contract.amounts.currency, scale: contract.amounts.scale)
            return .success(
                try ValueAssessment.assess(
                    history: history, termFirst: contract.term.first, termLast: contract.term.last,
                    schedule: schedule, source: source,
                    rateDigits: declaration?.rateDigits ?? ValueDeclaration.defaultRateDigits, amountDigits: digits,
                    paid: paid, future: try future(contract, history)))
        } catch {
            return .failure(.arithmetic(error))
        }
    }

    /// The envelope's bounds per future year, over every payer (no most when any payer's
    /// is open).
    static func future(_ contract: Contract, _ history: [Settlement]) throws(ArithmeticError)
        -> [ValueAssessment.FutureBound]
    {
        let bounds = try Envelope.bounds(contract, after: history)
        var years: [ValueAssessment.FutureBound] = []
        for year in Array(Set(bounds.map(\.fiscalYear))).sorted() {
            let payers = bounds.filter { $0.fiscalYear == year }
            let most = payers.map(\.maximum)
            years.append(
                ValueAssessment.FutureBound(
                    year: year, paymentYear: payers.first?.paymentYear ?? year,
                    least: try ExactDecimal.sum(payers.map(\.minimum)),
                    most: most.contains(where: { $0 == nil }) ? nil : try ExactDecimal.sum(most.compactMap { $0 })))
        }
        return years
    }
}
