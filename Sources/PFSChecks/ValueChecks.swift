import PFSModel
import PFSValue

/// The value-for-money declaration (`<value-for-money>`) must name a schedule pfs can
/// discount with: the schedule's own checks (``DiscountScheduleError``), said at the
/// element or the `<rate>` that breaks them.
extension ContractChecks {
    static let valueForMoney = Check(.valueForMoney) { contract in
        guard let declaration = contract.valueForMoney else { return [] }
        var diagnostics: [Diagnostic] = []
        func add(_ message: String, hint: String, at location: SourceLocation) {
            diagnostics.append(Diagnostic(check: .valueForMoney, message: message, hint: hint, at: location))
        }
        let discount = declaration.discount.rawValue
        if declaration.discount != .constant, declaration.rate != nil {
            add(
                "<value-for-money> gives rate=\"…\", which only a constant schedule uses (discount=\"\(discount)\")",
                hint: "remove the rate, or declare discount=\"constant\"", at: declaration.location)
        }
        if declaration.discount != .declared, let stray = declaration.rates.first {
            add(
                "<rate> declares a rate from year \(stray.from), which only a declared schedule uses (discount=\"\(discount)\")",
                hint: "remove the <rate> elements, or declare discount=\"declared\"", at: stray.location)
        }
        do throws(DiscountScheduleError) {
            _ = try DiscountSchedule(declaration)
        } catch {
            add(error.description, hint: hint(error), at: location(of: error, in: declaration))
        }
        return diagnostics
    }

    /// Where a schedule's error is: the `<rate>` it names, else the declaration.
    private static func location(of error: DiscountScheduleError, in declaration: ValueDeclaration) -> SourceLocation {
        let step: DiscountSchedule.Step?
        switch error {
        case .empty, .noConstantRate: step = nil
        case .firstYear(let from): step = DiscountSchedule.Step(from: from, rate: declaration.rates.first?.rate ?? .zero)
        case .negative(let at), .notAfter(let at, _), .rises(let at, _): step = at
        }
        guard let step, declaration.discount == .declared else { return declaration.location }
        return declaration.rates.first { $0.from == step.from && $0.rate == step.rate }?.location
            ?? declaration.location
    }

    private static func hint(_ error: DiscountScheduleError) -> String {
        switch error {
        case .empty: return "add <rate from-year=\"1\" value=\"0.035\"/> and a <rate> for each year the rate changes"
        case .noConstantRate: return "a rate is a fraction: 0.04 for 4%"
        case .firstYear: return "declare the first <rate> from-year=\"1\""
        case .negative: return "a discount rate is zero or more: 0.035 for 3.5%"
        case .notAfter: return "list the <rate> elements in order of their from-year, each year once"
        case .rises: return "a declining schedule's rates never rise; declare declining=\"false\" if this one may"
        }
    }
}
