import PFSEvaluator
import PFSModel

/// Outcome payments, their rules, limits and the SIB.
extension ContractChecks {

    static let projectionRules = Check(.projection) { contract in
        var diagnostics: [Diagnostic] = []
        for kpi in contract.kpis {
            guard let projection = kpi.projection else { continue }
            if case .growth(_, let rounding) = projection.method, rounding.increment.signum <= 0 {
                diagnostics.append(
                    Diagnostic(
                        check: .projection,
                        message: "KPI '\(kpi.id)': projection precision \(rounding.increment) is not positive",
                        hint: "precision is the multiple each projected year is rounded to, e.g. 1 or 0.1",
                        at: projection.location))
                continue
            }
            guard contract.term.first <= contract.term.last else { continue }
            for year in contract.term.first...contract.term.last {
                do {
                    _ = try projection.value(in: year, from: kpi.baseline)
                } catch {
                    // Overflow or precision loss; a zero precision is reported above.
                    diagnostics.append(
                        Diagnostic(
                            check: .projection,
                            message: "KPI '\(kpi.id)': the projection for \(year) cannot be represented exactly",
                            hint:
                                """
                                use a coarser precision, a rate with fewer decimal places, or declare <expected> \
                                values
                                """,
                            at: projection.location))
                    break
                }
            }
        }
        return diagnostics
    }

    static let creditedValuation = Check(.kpiValuation) { contract in
        contract.projects.flatMap { project in
            project.credits.compactMap { credit in
                guard let kpi = contract.kpi(credit.kpi), case .measuredOnly = kpi.valuation else { return nil }
                return Diagnostic(
                    check: .kpiValuation,
                    message: "project '\(project.id)' is credited with KPI '\(kpi.id)', which has no money value",
                    hint: "add <money/> or <value-per-unit amount=\"…\"/> to KPI '\(kpi.id)' after its <name>",
                    at: credit.location)
            }
        }
    }

    static let paymentParties = Check(.paymentParties) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments {
            for (side, shares) in [("payer", payment.payers), ("payee", payment.payees)] {
                guard !shares.isEmpty else {
                    diagnostics.append(
                        Diagnostic(
                            check: .paymentParties, message: "payment '\(payment.id)' names no \(side)",
                            hint: "write \(side)=\"…\", or <\(side) party=\"…\" share=\"…\"/> elements for several",
                            at: payment.location))
                    continue
                }
                var seen = Set<String>()
                for share in shares where !seen.insert(share.party).inserted {
                    diagnostics.append(
                        Diagnostic(
                            check: .paymentParties,
                            message: "payment '\(payment.id)' names \(side) '\(share.party)' more than once",
                            hint: "merge the shares into one", at: share.location))
                }
                for share in shares where share.share.signum < 0 || share.share > .one {
                    diagnostics.append(
                        Diagnostic(
                            check: .paymentParties,
                            message:
                                """
                                payment '\(payment.id)': \(side) share \(share.share) of '\(share.party)' is \
                                outside 0 to 1
                                """,
                            hint: "shares are fractions of each amount, e.g. 0.5", at: share.location))
                }
                if let total = try? ExactDecimal.sum(shares.map(\.share)), total != .one {
                    let terms = shares.map { "\($0.party) \($0.share)" }.joined(separator: " + ")
                    diagnostics.append(
                        Diagnostic(
                            check: .paymentParties,
                            message: "payment '\(payment.id)': the \(side) shares sum to \(total) (\(terms)), not 1",
                            hint: "every amount is split in full among the \(side)s", at: payment.location))
                }
            }
        }
        return diagnostics
    }

    static let paymentKPI = Check(.paymentKPI) { contract in
        contract.payments.compactMap { payment in
            if payment.kpi != nil && !payment.estimates.isEmpty {
                return Diagnostic(
                    check: .paymentKPI,
                    message: "payment '\(payment.id)' names both kpi=\"\(payment.kpi ?? "")\" and an <outcome> blend",
                    hint: "measure the outcome one way: remove kpi=\"…\" or the <outcome> element", at: payment.location
                )
            }
            guard payment.rule.needsOutcome, payment.measuredKPIs.isEmpty else { return nil }
            return Diagnostic(
                check: .paymentKPI,
                message: "payment '\(payment.id)' pays by a \(payment.rule.kind) rule but names no KPI to measure",
                hint: "add kpi=\"…\" to the <payment>, naming the KPI whose actual value it pays for",
                at: payment.location)
        }
    }

    static let estimateBlend = Check(.estimateBlend) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments where !payment.estimates.isEmpty {
            let weights = payment.estimates.map(\.weight)
            if let total = try? ExactDecimal.sum(weights), total != .one {
                let terms = payment.estimates.map { "\($0.kpi) \($0.weight)" }.joined(separator: " + ")
                diagnostics.append(
                    Diagnostic(
                        check: .estimateBlend,
                        message: "payment '\(payment.id)': the estimate weights sum to \(total) (\(terms)), not 1",
                        hint: "weights are fractions of the blended outcome, e.g. 0.8 and 0.2", at: payment.location))
            }
            for estimate in payment.estimates where estimate.weight.signum < 0 || estimate.weight > .one {
                diagnostics.append(
                    Diagnostic(
                        check: .estimateBlend,
                        message:
                            """
                            payment '\(payment.id)': weight \(estimate.weight) of '\(estimate.kpi)' is outside 0 \
                            to 1
                            """,
                        hint: "weights are fractions of the blended outcome, e.g. 0.8 and 0.2", at: estimate.location))
            }
            let directions = Set(payment.estimates.compactMap { contract.kpi($0.kpi)?.direction })
            if directions.count > 1 {
                diagnostics.append(
                    Diagnostic(
                        check: .estimateBlend,
                        message:
                            """
                            payment '\(payment.id)' blends KPIs where lower is better with KPIs where higher is \
                            better
                            """,
                        hint: "blend estimates of the same quantity, measured the same way", at: payment.location))
            }
        }
        return diagnostics
    }

    static let amountsNonNegative = Check(.amountNegative) { contract in
        var diagnostics: [Diagnostic] = []
        func check(_ value: ExactDecimal?, _ what: String, _ location: SourceLocation) {
            guard let value, value.signum < 0 else { return }
            diagnostics.append(
                Diagnostic(
                    check: .amountNegative, message: "\(what) is \(value), which is negative",
                    hint: "payments, prices, caps and limits are amounts of 0 or more", at: location))
        }
        for payment in contract.payments {
            let name = "payment '\(payment.id)'"
            check(payment.cap, "the cap of \(name)", payment.location)
            for declared in payment.rule.kindRule.declaredAmounts(of: payment) {
                check(declared.amount, "\(declared.what) of \(name)", declared.location)
            }
        }
        check(contract.rewardMaximum, "the projects' reward maximum", contract.location)
        if let limits = contract.paymentLimits {
            check(limits.maximum, "the payments' maximum", limits.location)
            check(limits.minimum, "the payments' minimum", limits.location)
            for limit in limits.yearLimits { check(limit.maximum, "the limit for \(limit.year)", limit.location) }
            for limit in limits.payerLimits {
                check(limit.maximum, "the limit for payer '\(limit.party)'", limit.location)
            }
        }
        return diagnostics
    }

    /// Whether `a` is strictly better than `b` for the payment's KPI (higher-is-better when unknown).
    static func better(_ a: ExactDecimal, than b: ExactDecimal, _ contract: Contract, _ payment: Payment) -> Bool {
        // A measured improvement is better the higher it is, whatever the KPI's direction.
        let direction =
            payment.measure != .actual
            ? .higherIsBetter : payment.measuredKPIs.first.flatMap { contract.kpi($0) }?.direction ?? .higherIsBetter
        return direction == .higherIsBetter ? a > b : a < b
    }

    static let bandMarks = Check(.bandMarks) { contract in
        contract.payments.compactMap { payment in
            guard case .band(let startAt, let fullAt, _, _) = payment.rule,
                !better(fullAt, than: startAt, contract, payment)
            else { return nil }
            return Diagnostic(
                check: .bandMarks,
                message:
                    """
                    payment '\(payment.id)': the full-payment mark \(fullAt) is not better than the start mark \
                    \(startAt)
                    """,
                hint: "for a higher-is-better KPI full-at is above start-at; for a lower-is-better KPI, below",
                at: payment.location)
        }
    }

    static let stepTable = Check(.stepTable) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments {
            guard case .band(let startAt, let fullAt, let amount, let steps) = payment.rule else { continue }
            var previous: PaymentRule.Step?
            for step in steps {
                if better(startAt, than: step.at, contract, payment)
                    || !better(fullAt, than: step.at, contract, payment)
                {
                    diagnostics.append(
                        Diagnostic(
                            check: .stepTable,
                            message:
                                """
                                payment '\(payment.id)': the step at \(step.at) lies outside the band from \
                                \(startAt) to \(fullAt)
                                """,
                            hint: "steps sit from the start mark up to, not including, the full-payment mark",
                            at: step.location))
                }
                if step.amount > amount {
                    diagnostics.append(
                        Diagnostic(
                            check: .stepTable,
                            message:
                                """
                                payment '\(payment.id)': the step at \(step.at) pays \(step.amount), more than \
                                the full amount \(amount)
                                """,
                            hint: "no step pays more than reaching the full-payment mark", at: step.location))
                }
                if let previous {
                    if !better(step.at, than: previous.at, contract, payment) {
                        diagnostics.append(
                            Diagnostic(
                                check: .stepTable,
                                message:
                                    """
                                    payment '\(payment.id)': the step at \(step.at) does not follow the step at \
                                    \(previous.at) toward better outcomes
                                    """,
                                hint: "list the steps from the worst outcome to the best", at: step.location))
                    } else if step.amount < previous.amount {
                        diagnostics.append(
                            Diagnostic(
                                check: .stepTable,
                                message:
                                    """
                                    payment '\(payment.id)': the step at \(step.at) pays \(step.amount), less \
                                    than the worse step at \(previous.at) (\(previous.amount))
                                    """,
                                hint:
                                    """
                                    a better outcome never pays less: amounts must not fall from one step to the \
                                    next
                                    """,
                                at: step.location))
                    }
                }
                previous = step
            }
        }
        return diagnostics
    }

    static let tiersOrder = Check(.tiersOrder) { contract in
        var diagnostics: [Diagnostic] = []
        for payment in contract.payments {
            guard case .tiers(_, let tiers) = payment.rule else { continue }
            for (previous, tier) in zip(tiers, tiers.dropFirst()) {
                if !better(tier.from, than: previous.from, contract, payment) {
                    diagnostics.append(
                        Diagnostic(
                            check: .tiersOrder,
                            message:
                                """
                                payment '\(payment.id)': the tier from \(tier.from) does not follow the tier from \
                                \(previous.from) toward better achievement
                                """,
                            hint: "list the tiers from the lowest achievement to the highest", at: tier.location))
                } else if tier.amount < previous.amount {
                    diagnostics.append(
                        Diagnostic(
                            check: .tiersOrder,
                            message:
                                """
                                payment '\(payment.id)': the tier from \(tier.from) pays \(tier.amount), less \
                                than the tier from \(previous.from) (\(previous.amount))
                                """,
                            hint: "a better outcome never pays less", at: tier.location))
                }
            }
        }
        return diagnostics
    }

    static let proportionalTarget = Check(.proportionalTarget) { contract in
        contract.payments.compactMap { payment in
            guard case .proportional(let target, _) = payment.rule, target.signum <= 0 else { return nil }
            return Diagnostic(
                check: .proportionalTarget, message: "payment '\(payment.id)': target \(target) is not positive",
                hint: "the payment is amount × actual ÷ target, so the target must be above 0", at: payment.location)
        }
    }

    static let capBelowFixed = Check(.capBelowFixed) { contract in
        var diagnostics: [Diagnostic] = []
        var fixedTotal = ExactDecimal.zero
        for payment in contract.payments {
            guard case .fixed(let amount) = payment.rule else { continue }
            fixedTotal = (try? fixedTotal.adding(amount)) ?? fixedTotal
            if let cap = payment.cap, cap < amount {
                diagnostics.append(
                    Diagnostic(
                        check: .capBelowFixed,
                        message: "payment '\(payment.id)' is a fixed \(amount) but capped at \(cap)",
                        hint: "raise the cap, or lower the fixed amount", at: payment.location))
            }
        }
        if let limits = contract.paymentLimits, let maximum = limits.maximum, maximum < fixedTotal {
            diagnostics.append(
                Diagnostic(
                    check: .capBelowFixed,
                    message: "the payments' maximum \(maximum) is below the fixed payments' total \(fixedTotal)",
                    hint: "the maximum must leave room for every fixed payment", at: limits.location))
        }
        return diagnostics
    }

    static let paymentLimits = Check(.paymentLimits) { contract in
        guard let limits = contract.paymentLimits, let minimum = limits.minimum, let maximum = limits.maximum,
            minimum > maximum
        else { return [] }
        return [
            Diagnostic(
                check: .paymentLimits, message: "the payments' minimum \(minimum) is above their maximum \(maximum)",
                hint: "swap the two, or correct one of them", at: limits.location)
        ]
    }

    static let sibWaterfall = Check(.sib) { contract in
        guard let sib = contract.sib else { return [] }
        var diagnostics: [Diagnostic] = []
        func require(_ id: String, _ roles: [PartyRole], _ what: String, _ location: SourceLocation) {
            guard let party = contract.party(id) else {
                diagnostics.append(
                    Diagnostic(
                        check: .sib, message: "the SIB's \(what) '\(id)' is not a declared party",
                        hint: "declared parties: \(contract.parties.map(\.id).joined(separator: ", "))", at: location))
                return
            }
            if !roles.contains(party.role) {
                diagnostics.append(
                    Diagnostic(
                        check: .sib, message: "the SIB's \(what) '\(id)' has role \(party.role.rawValue)",
                        hint: "give it role=\"\(roles[0].rawValue)\"", at: location))
            }
        }
        require(sib.intermediary, [.intermediary], "intermediary", sib.location)
        require(sib.residual, [.provider, .investor], "residual party", sib.location)
        if sib.feeRate.signum < 0 || sib.feeRate > .one {
            diagnostics.append(
                Diagnostic(
                    check: .sib, message: "the SIB's fee rate \(sib.feeRate) is outside 0 to 1",
                    hint: "write the fee as a fraction of each amount, e.g. 0.05 for 5%", at: sib.location))
        }
        for investor in sib.investors {
            require(investor.party, [.investor], "investor", investor.location)
            if investor.principal.signum < 0 || (investor.maximumReturn?.signum ?? 0) < 0 {
                diagnostics.append(
                    Diagnostic(
                        check: .sib, message: "investor '\(investor.party)' has a negative principal or return rate",
                        hint: "principal and max-return are 0 or more (max-return 0.08 for 8%, or none for no cap)",
                        at: investor.location))
            }
        }
        if !contract.payments.contains(where: { $0.payees.contains { $0.party == sib.intermediary } }) {
            diagnostics.append(
                Diagnostic(
                    check: .sib, message: "no payment is made to the SIB's intermediary '\(sib.intermediary)'",
                    hint:
                        """
                        make the outcome payments payee=\"\(sib.intermediary)\" so that they flow through the \
                        waterfall
                        """,
                    at: sib.location))
        }
        return diagnostics
    }

    static let perBeneficiary = Check(.perBeneficiary) { contract in
        var diagnostics: [Diagnostic] = []
        for kpi in contract.kpis {
            for actual in kpi.actual where !actual.beneficiaries.isEmpty {
                if let total = try? ExactDecimal.sum(actual.beneficiaries.map(\.value)), total != actual.value {
                    diagnostics.append(
                        Diagnostic(
                            check: .perBeneficiary,
                            message:
                                """
                                KPI '\(kpi.id)': the beneficiaries' values for \(actual.year) sum to \(total), \
                                not the actual value \(actual.value)
                                """,
                            hint: "the breakdown must add up to the actual value", at: actual.location))
                }
                var seen = Set<String>()
                for beneficiary in actual.beneficiaries where !seen.insert(beneficiary.id).inserted {
                    diagnostics.append(
                        Diagnostic(
                            check: .perBeneficiary,
                            message: "KPI '\(kpi.id)': beneficiary '\(beneficiary.id)' appears twice in \(actual.year)",
                            hint: "list each beneficiary once", at: beneficiary.location))
                }
            }
        }
        for payment in contract.payments {
            guard case .perBeneficiary = payment.rule else { continue }
            guard let id = payment.kpi, let kpi = contract.kpi(id) else {
                diagnostics.append(
                    Diagnostic(
                        check: .perBeneficiary,
                        message: "payment '\(payment.id)' is capped per beneficiary but does not measure one KPI",
                        hint: "name the KPI with kpi=\"…\" (a blend of estimates has no beneficiaries)",
                        at: payment.location))
                continue
            }
            if kpi.direction != .higherIsBetter {
                diagnostics.append(
                    Diagnostic(
                        check: .perBeneficiary,
                        message:
                            "payment '\(payment.id)' is capped per beneficiary but KPI '\(kpi.id)' is lower-is-better",
                        hint: "measure the gain per beneficiary (e.g. days avoided), higher is better",
                        at: payment.location))
            }
            if let actual = kpi.actual(in: payment.year), actual.beneficiaries.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        check: .perBeneficiary,
                        message:
                            """
                            payment '\(payment.id)' is capped per beneficiary but KPI '\(kpi.id)' has no \
                            breakdown for \(payment.year)
                            """,
                        hint:
                            """
                            add <beneficiary id=\"…\" value=\"…\"/> elements to its <actual \
                            year=\"\(payment.year)\">
                            """,
                        at: actual.location))
            }
        }
        return diagnostics
    }
}
