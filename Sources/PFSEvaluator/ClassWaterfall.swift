import PFSModel

/// A social impact bond whose capital is in classes (format 2). The intermediary's
/// receipts of a year are run once, when the year closes: its fee first, then each class by
/// rank — a `coupons` class its returns owed, then at maturity its principal; a
/// `principal-first` class its principal, then its returns owed — each class's part shared
/// among its holders by their shares (largest remainder), and what is left to the residual
/// party. A year's return is the grid's rate for the year's performance × the principal,
/// rounded once, within the class's cap. At maturity (the term's last year) a class that is
/// not protected loses principal below its performance floor, and whatever of its principal
/// is still unpaid; a protected class's unpaid principal stays owed. Money is conserved:
/// received = fee + principal repaid + returns paid + residual, and each class's principal
/// = repaid + lost + outstanding.
struct ClassWaterfall {
    let sib: SIB
    let rounding: RoundingRule
    /// The classes in rank order.
    let classes: [InvestorClass]
    private(set) var received = ExactDecimal.zero
    private(set) var feePaid = ExactDecimal.zero
    private(set) var residualPaid = ExactDecimal.zero
    /// Received this year, not yet run through the classes.
    private var pending = ExactDecimal.zero
    private(set) var earned: [ExactDecimal]
    private(set) var returnPaid: [ExactDecimal]
    private(set) var principalPaid: [ExactDecimal]
    private(set) var lost: [ExactDecimal]
    /// The part of `lost` written down because the performance was below the class's floor
    /// (the rest was unpaid at maturity).
    private(set) var lostBelowFloor: [ExactDecimal]
    /// Per class, per holder: principal and return paid to date.
    private(set) var holderPrincipal: [[ExactDecimal]]
    private(set) var holderReturn: [[ExactDecimal]]

    init(sib: SIB, rounding: RoundingRule) {
        self.sib = sib
        self.rounding = rounding
        classes = sib.classes.sorted { $0.rank < $1.rank }
        let zeros = [ExactDecimal](repeating: .zero, count: classes.count)
        (earned, returnPaid, principalPaid, lost, lostBelowFloor) = (zeros, zeros, zeros, zeros, zeros)
        holderPrincipal = classes.map { [ExactDecimal](repeating: .zero, count: $0.holders.count) }
        holderReturn = holderPrincipal
    }

    /// One amount paid to the intermediary; it is run through the classes when the year closes.
    mutating func receive(_ amount: ExactDecimal) throws(ArithmeticError) {
        pending = try pending.adding(amount)
    }

    /// What one class got in the year being closed.
    struct ClassYear {
        var rate: String?
        var earned = ExactDecimal.zero
        var returnPaid = ExactDecimal.zero
        var principalPaid = ExactDecimal.zero
        var loss = ExactDecimal.zero
    }

    /// Runs the year's receipts through the classes; `performance` is the year's measure
    /// (nil when not measured: no return is earned), `maturity` the term's last year.
    mutating func closeYear(
        performance: MeasuredValue?, maturity: Bool
    ) throws(ArithmeticError) -> (fee: ExactDecimal, residual: ExactDecimal, classes: [ClassYear]) {
        let amount = pending
        pending = .zero
        received = try received.adding(amount)
        let fee = try rounding.rounded(try amount.multiplied(by: sib.feeRate))
        feePaid = try feePaid.adding(fee)
        var available = try amount.subtracting(fee)
        var years: [ClassYear] = []
        for (index, investorClass) in classes.enumerated() {
            var year = ClassYear()
            // The year's return: the grid's rate × the principal, within the cap.
            if let performance {
                let (numerator, denominator, shown) = try Self.rate(of: investorClass, at: performance.value)
                year.rate = shown
                var due = try rounding.rounded(
                    try numerator.multiplied(by: investorClass.principal), dividedBy: denominator)
                if let most = investorClass.maximumReturn {
                    let cap = try rounding.rounded(try most.multiplied(by: investorClass.principal))
                    let left = try cap.subtracting(earned[index])
                    due = min(due, left.signum > 0 ? left : .zero)
                }
                year.earned = due
                earned[index] = try earned[index].adding(due)
            }
            // A class at risk loses principal below its floor in the last year.
            var writeDown = ExactDecimal.zero
            if maturity, !investorClass.protected, let floor = investorClass.lossFloor, let performance,
                performance.value < floor
            {
                writeDown = investorClass.principal
                if let zeroAt = investorClass.totalLossAt, zeroAt < floor, performance.value > zeroAt {
                    writeDown = try rounding.rounded(
                        try investorClass.principal.multiplied(by: try floor.subtracting(performance.value)),
                        dividedBy: try floor.subtracting(zeroAt))
                }
                let unpaid = try investorClass.principal.subtracting(principalPaid[index])
                writeDown = min(writeDown, unpaid)
            }
            let repayable = try investorClass.principal.subtracting(writeDown)
            let principalDue: ExactDecimal =
                investorClass.repayment == .coupons && !maturity
                ? .zero : try repayable.subtracting(principalPaid[index])
            let returnDue = try earned[index].subtracting(returnPaid[index])
            let order: [(isPrincipal: Bool, due: ExactDecimal)] =
                investorClass.repayment == .coupons
                ? [(false, returnDue), (true, principalDue)] : [(true, principalDue), (false, returnDue)]
            for (isPrincipal, due) in order where due.signum > 0 {
                let paid = min(due, available)
                guard paid.signum > 0 else { continue }
                available = try available.subtracting(paid)
                let parts = try share(paid, among: investorClass.holders)
                if isPrincipal {
                    year.principalPaid = paid
                    principalPaid[index] = try principalPaid[index].adding(paid)
                    for (holder, part) in parts.enumerated() {
                        holderPrincipal[index][holder] = try holderPrincipal[index][holder].adding(part)
                    }
                } else {
                    year.returnPaid = paid
                    returnPaid[index] = try returnPaid[index].adding(paid)
                    for (holder, part) in parts.enumerated() {
                        holderReturn[index][holder] = try holderReturn[index][holder].adding(part)
                    }
                }
            }
            if maturity {
                let unpaid = try repayable.subtracting(principalPaid[index])
                year.loss = investorClass.protected ? writeDown : try writeDown.adding(unpaid)
                lost[index] = try lost[index].adding(year.loss)
                lostBelowFloor[index] = try lostBelowFloor[index].adding(writeDown)
            }
            years.append(year)
        }
        residualPaid = try residualPaid.adding(available)
        return (fee, available, years)
    }

    /// A class's part split among its holders by their shares, in whole rounding
    /// increments (largest remainder), a remainder below one increment to the first holder.
    func share(_ amount: ExactDecimal, among holders: [PartyShare]) throws(ArithmeticError) -> [ExactDecimal] {
        guard !holders.isEmpty else { return [] }
        let (count, rest) = try amount.truncatingQuotient(dividingBy: rounding.increment)
        var parts = try LargestRemainder.allocate(
            try ExactDecimal.multiple(count, of: rounding.increment), shares: holders.map(\.share),
            increment: rounding.increment
        ).map(\.amount)
        parts[0] = try parts[0].adding(rest)
        return parts
    }

    /// The grid's annual rate at `performance` as numerator ÷ denominator (exact), and as shown.
    static func rate(
        of investorClass: InvestorClass, at performance: ExactDecimal
    ) throws(ArithmeticError) -> (ExactDecimal, ExactDecimal, String) {
        let grid = investorClass.grid.sorted { $0.at < $1.at }
        guard let first = grid.first, let last = grid.last else { return (.zero, .one, "0") }
        switch investorClass.interpolation {
        case .steps:
            let rate = grid.last { $0.at <= performance }?.rate ?? .zero
            return (rate, .one, rate.description)
        case .linear:
            if performance <= first.at { return (first.rate, .one, first.rate.description) }
            if performance >= last.at { return (last.rate, .one, last.rate.description) }
            guard let upper = grid.firstIndex(where: { $0.at > performance }), upper > 0 else {
                return (last.rate, .one, last.rate.description)
            }
            let (a, b) = (grid[upper - 1], grid[upper])
            // ra + (rb − ra)(p − a) ÷ (b − a), over the one denominator b − a.
            let span = try b.at.subtracting(a.at)
            let numerator = try a.rate.multiplied(by: span).adding(
                try b.rate.subtracting(a.rate).multiplied(by: try performance.subtracting(a.at)))
            return (numerator, span, try Evaluator.shownRatio(numerator, span, digits: 6).text)
        }
    }
}

extension Evaluator {
    /// Closes the year of a bond whose capital is in classes: the year's performance, the
    /// receipts run through the classes, and the flows per class and per holder.
    static func classFlows(
        of contract: Contract, year: Int, payments: [String], state: inout TermState, steps: inout StepLog
    ) throws(EvaluationError) -> Settlement.SIBFlows? {
        guard var waterfall = state.classWaterfall else { return nil }
        let sib = waterfall.sib
        guard let intermediary = contract.party(sib.intermediary), let residual = contract.party(sib.residual) else {
            throw .missingData("the SIB names a party that is not declared", at: sib.location)
        }
        var performance: MeasuredValue?
        var reads: [Settlement.Reading] = []
        if let measure = sib.performance, let kpi = contract.kpi(measure.kpi) {
            performance = try checked("the SIB's performance", at: measure.location) {
                () throws(ArithmeticError) -> MeasuredValue? in
                try measured(measure.measure, of: kpi, year: year, contract: contract)
            }
            reads = performance?.reads ?? []
        }
        let before = waterfall
        let (fee, rest, years) = try checked("the SIB waterfall", at: sib.location) { () throws(ArithmeticError) in
            try waterfall.closeYear(performance: performance, maturity: year == contract.term.last)
        }
        state.classWaterfall = waterfall
        return try checked("the SIB waterfall", at: sib.location) { () throws(ArithmeticError) in
            let received = try waterfall.received.subtracting(before.received)
            var classes: [Settlement.ClassFlow] = []
            // Holders' flows, added up per party over the classes they hold.
            var holders:
                [String: (principal: ExactDecimal, most: ExactDecimal?, capped: Bool, values: [ExactDecimal])] =
                    [:]
            var order: [String] = []
            for (index, investorClass) in waterfall.classes.enumerated() {
                let year = years[index]
                let outstanding = try investorClass.principal.subtracting(
                    try waterfall.principalPaid[index].adding(waterfall.lost[index]))
                classes.append(
                    .init(
                        id: investorClass.id, name: investorClass.name, rank: investorClass.rank,
                        principal: investorClass.principal, protected: investorClass.protected,
                        repayment: investorClass.repayment.rawValue, rate: year.rate, returnEarned: year.earned,
                        returnThisYear: year.returnPaid, returnToDate: waterfall.returnPaid[index],
                        returnUnpaid: try waterfall.earned[index].subtracting(waterfall.returnPaid[index]),
                        principalThisYear: year.principalPaid, principalToDate: waterfall.principalPaid[index],
                        loss: waterfall.lost[index], principalOutstanding: outstanding,
                        lossFloor: investorClass.lossFloor, totalLossAt: investorClass.totalLossAt,
                        lossBelowFloor: investorClass.lossFloor == nil ? nil : waterfall.lostBelowFloor[index]))
                // Each holder's part of the class's loss, split as its payments are.
                let lostParts = try waterfall.share(waterfall.lost[index], among: investorClass.holders)
                for (holderIndex, holder) in investorClass.holders.enumerated() {
                    let principal = try investorClass.principal.multiplied(by: holder.share)
                    let most = try investorClass.maximumReturn.map { (rate) throws(ArithmeticError) in
                        try principal.multiplied(by: rate)
                    }
                    let values = [
                        try waterfall.holderPrincipal[index][holderIndex].subtracting(
                            before.holderPrincipal[index][holderIndex]),
                        waterfall.holderPrincipal[index][holderIndex],
                        try waterfall.holderReturn[index][holderIndex].subtracting(
                            before.holderReturn[index][holderIndex]),
                        waterfall.holderReturn[index][holderIndex],
                        lostParts.indices.contains(holderIndex) ? lostParts[holderIndex] : .zero,
                    ]
                    if let known = holders[holder.party] {
                        var total: ExactDecimal?
                        if let knownMost = known.most, let most { total = try knownMost.adding(most) }
                        var sums: [ExactDecimal] = []
                        for (a, b) in zip(known.values, values) { sums.append(try a.adding(b)) }
                        holders[holder.party] = (
                            try known.principal.adding(principal), total, known.capped && most != nil, sums
                        )
                    } else {
                        order.append(holder.party)
                        holders[holder.party] = (principal, most, most != nil, values)
                    }
                }
            }
            let investors: [Settlement.InvestorFlow] = order.compactMap { id in
                guard let party = contract.party(id), let flow = holders[id] else { return nil }
                return .init(
                    party: .init(party), principal: flow.principal, maximumReturn: flow.capped ? flow.most : nil,
                    principalThisYear: flow.values[0], principalToDate: flow.values[1], returnThisYear: flow.values[2],
                    returnToDate: flow.values[3], principalLost: flow.values[4])
            }
            let shown = performance?.shown ?? "not measured"
            let classYears = zip(waterfall.classes, years).map { investorClass, year in
                StepFigures.ClassYear(
                    id: investorClass.id, rank: investorClass.rank, repayment: investorClass.repayment,
                    rate: year.rate, principal: investorClass.principal, earned: year.earned,
                    returnPaid: year.returnPaid, principalPaid: year.principalPaid, loss: year.loss)
            }
            let step = steps.record(
                .classWaterfall(
                    .init(
                        intermediary: .init(intermediary), year: contract.names(of: year), received: received,
                        fee: fee, feeRate: sib.feeRate, performance: performance?.shown, classes: classYears,
                        residual: .init(residual), rest: rest)),
                received, uses: payments, reads: reads)
            return .init(
                intermediary: .init(intermediary), receivedThisYear: received, receivedToDate: waterfall.received,
                feeThisYear: fee, feeToDate: waterfall.feePaid, investors: investors, residual: .init(residual),
                residualThisYear: rest, residualToDate: waterfall.residualPaid, step: step,
                performance: sib.performance == nil ? nil : shown, classes: classes)
        }
    }
}
