import PFSModel

/// The plain-text statement: what was settled, from what, and every step of the calculation.
public enum TextStatement {
    /// Renders a settlement as text.
    public static func render(_ s: Settlement) -> String {
        var lines: [String] = []
        let year = s.fiscalYear
        let yearName = year.labelJA.map { "\(year.label) (\($0))" } ?? year.label
        lines.append("Settlement statement / 精算書 — \(yearName), \(year.firstDay) to \(year.lastDay)")
        lines.append("")
        var header = TextTable([.left, .left])
        header.add(["Contract", s.contract.id])
        if let ja = s.contract.title.ja { header.add(["", ja]) }
        if let en = s.contract.title.en { header.add(["", en]) }
        header.add(["File", s.contract.file])
        header.add(["SHA-256", s.contract.sha256])
        header.add(["Engine", "\(s.engine.name) \(s.engine.version)"])
        header.add(["Amounts", "\(unitName(s.amounts)) (\(s.amounts.currency) × \(amount(s.amounts.scale)))"])
        header.add(["Rounding", "\(s.rounding.mode.rawValue) to a multiple of \(s.rounding.increment), once per project amount and once per payment; splits by largest remainder"])
        lines += header.render(indent: "")
        lines.append("")

        lines.append("KPIs (values in each KPI's unit; fiscal improvement in \(unitName(s.amounts)))")
        var kpis = TextTable([.left, .left, .left, .left, .right, .right, .right, .right, .right, .left])
        kpis.add(["KPI", "Name", "Unit", "Better", "Baseline", "Expected", "Actual", "Improvement", "Fiscal", "Step"])
        for kpi in s.kpis {
            kpis.add([
                kpi.id, name(kpi.name), kpi.unit, kpi.direction == .lowerIsBetter ? "lower" : "higher",
                "\(amount(kpi.baseline.value)) (\(kpi.baseline.year))",
                kpi.expected.map { amount($0.value) } ?? "—",
                kpi.actual.map { amount($0.value) } ?? "—",
                kpi.improvement.map(amount) ?? (kpi.status == .actualOnly ? "(no expected)" : "not measured"),
                kpi.fiscalImprovement.map(amount) ?? "—",
                kpi.step ?? "",
            ])
        }
        lines += kpis.render()
        lines.append("")

        for project in s.projects {
            lines.append("Project \(project.id) — \(name(project.name)); payer \(project.payer.id)")
            var table = TextTable([.left, .left, .right, .right, .right, .left])
            table.add(["", "From", "Amount", "Share", "Attributable", "Step"])
            for attribution in project.attributions {
                table.add(["KPI", attribution.kpi, amount(attribution.fiscalImprovement), attribution.share.description,
                           amount(attribution.attributable), attribution.step])
            }
            lines += table.render()
            if project.flooredAtZero {
                lines.append("  Net attributable \(amount(project.netAttributable)) is negative: floored at zero, nothing is paid this year.")
            }
            if let carriedIn = project.carriedIn, let carriedOut = project.carriedOut {
                lines.append("  Negative improvement: carry-forward. Shortfall brought from earlier years \(amount(carriedIn)); carried to next year \(amount(carriedOut)).")
            }
            lines.append("  Amount to split: \(amount(project.attributable)) [\(project.step)]")
            var split = TextTable([.left, .left, .left, .right, .right, .right, .left])
            split.add(["", "Party", "Name", "Share", "Exact", "Amount", "Step"])
            for allocation in project.allocations {
                let kind = allocation.party.role == .publicSector ? "Kept by payer" : "Provider reward"
                split.add([kind, allocation.party.id, name(allocation.party.name), allocation.share.description,
                           amount(allocation.exact), amount(allocation.amount), allocation.step])
            }
            lines += split.render()
            for allocation in project.allocations {
                guard let clawback = allocation.clawback else { continue }
                lines.append(clawback.signum < 0
                    ? "  Claw-back: \(amount(clawback.negated())) deducted from \(allocation.party.id)'s reward for earlier shortfalls."
                    : "  Claw-back: \(allocation.party.id) keeps \(amount(clawback)) deducted from provider rewards.")
            }
            for allocation in project.allocations {
                guard let cut = allocation.rewardCapCut else { continue }
                lines.append(cut.signum < 0
                    ? "  Reward maximum: \(amount(cut.negated())) cut from \(allocation.party.id)'s reward."
                    : "  Reward maximum: \(allocation.party.id) keeps \(amount(cut)) cut from provider rewards.")
            }
            if let owed = project.clawbackOwed {
                lines.append("  Negative improvement: claw-back. Still owed after this year: "
                             + owed.map { "\($0.party.id) \(amount($0.amount))" }.joined(separator: ", ") + ".")
            }
            lines.append("")
        }

        if let payments = s.payments, let paid = s.paymentTotals {
            lines.append("Outcome payments (\(unitName(s.amounts)))")
            var table = TextTable([.left, .left, .left, .left, .right, .right, .right, .right, .left])
            table.add(["Payment", "Rule", "Payer → payee", "KPI", "Outcome", "By rule", "Cut by caps", "Paid", "Step"])
            for payment in payments {
                table.add([payment.id, payment.rule, split(payment.payers) + " → " + split(payment.payees), payment.kpi ?? "—",
                           payment.outcome.map { amount($0.value) } ?? "—", amount(payment.byRule), amount(payment.cutByCaps),
                           amount(payment.amount), payment.step])
            }
            if payments.isEmpty { table.add(["(no payment falls due this year)", "", "", "", "", "", "", "", ""]) }
            lines += table.render()
            var cumulative = TextTable([.left, .right])
            cumulative.add(["Paid in earlier years", amount(paid.paidBefore)])
            cumulative.add(["Paid this year", amount(paid.paidThisYear)])
            cumulative.add(["Paid to date", amount(paid.paidToDate)])
            if let maximum = paid.maximum { cumulative.add(["Contract maximum", amount(maximum)]) }
            if let minimum = paid.minimum { cumulative.add(["Contract minimum", amount(minimum)]) }
            if let remaining = paid.remaining { cumulative.add(["Remaining under the maximum", amount(remaining)]) }
            lines += cumulative.render()
            lines.append("")
        }

        if let sib = s.sib {
            lines.append("Social impact bond: payments through \(sib.intermediary.id) (\(unitName(s.amounts))) [\(sib.step)]")
            var table = TextTable([.left, .left, .right, .right, .right, .right, .right])
            table.add(["", "Party", "Principal", "This year: principal", "return", "To date: principal", "return"])
            for investor in sib.investors {
                table.add(["Investor", investor.party.id, amount(investor.principal), amount(investor.principalThisYear),
                           amount(investor.returnThisYear), amount(investor.principalToDate), amount(investor.returnToDate)])
            }
            lines += table.render()
            var totals = TextTable([.left, .right, .right])
            totals.add(["", "This year", "To date"])
            totals.add(["Received by \(sib.intermediary.id)", amount(sib.receivedThisYear), amount(sib.receivedToDate)])
            totals.add(["Fee kept by \(sib.intermediary.id)", amount(sib.feeThisYear), amount(sib.feeToDate)])
            totals.add(["Left for \(sib.residual.id)", amount(sib.residualThisYear), amount(sib.residualToDate)])
            lines += totals.render()
            lines.append("")
        }

        if !s.projects.isEmpty {
            lines += profitShareTotals(s)
        }

        lines.append("Calculation (amounts exact until rounded)")
        var steps = TextTable([.left, .left])
        for step in s.steps { steps.add([step.id, "\(step.description): \(step.formula)"]) }
        lines += steps.render()
        lines.append("")

        lines.append("Sources (contract file line, and the source the contract names)")
        var sources = TextTable([.left, .left, .right, .right, .left])
        for kpi in s.kpis {
            for (kind, figure) in [("baseline", Optional(kpi.baseline)), ("expected", kpi.expected), ("actual", kpi.actual)] {
                guard let figure else { continue }
                sources.add([kpi.id, "\(kind) \(figure.year)", amount(figure.value), "line \(figure.line)", figure.source ?? "(no source given)"])
            }
        }
        lines += sources.render()
        return lines.joined(separator: "\n") + "\n"
    }


    static func profitShareTotals(_ s: Settlement) -> [String] {
        var lines = ["Profit-share totals (\(unitName(s.amounts)))"]
        if let cap = s.rewardCap {
            lines.append("  Reward maximum \(amount(cap.maximum)): paid before \(amount(cap.paidBefore)), this year \(amount(cap.beforeCap)) before the cap, cut \(amount(cap.cut)), remaining \(amount(cap.remaining)) [\(cap.step)]")
        }
        var totals = TextTable([.left, .right])
        totals.add(["Attributable improvement", amount(s.totals.attributable)])
        totals.add(["Provider rewards (paid by the public sector)", amount(s.totals.providerRewards)])
        totals.add(["Kept by the public sector", amount(s.totals.publicShare)])
        for partyTotal in s.totals.byParty {
            let verb = partyTotal.party.role == .publicSector ? "keeps" : "receives"
            totals.add(["  \(partyTotal.party.id) (\(name(partyTotal.party.name))) \(verb)", amount(partyTotal.amount)])
        }
        lines += totals.render()
        lines.append("")
        return lines
    }

    /// `city` for a single party; `pref 0.5 (500), city 0.5 (500)` for several.
    static func split(_ parties: [Settlement.PartyAmount]) -> String {
        guard parties.count > 1 else { return parties.first?.party.id ?? "" }
        return parties.map { "\($0.party.id) \($0.share) (\(amount($0.amount)))" }.joined(separator: ", ")
    }

    static func amount(_ value: ExactDecimal) -> String { value.formatted(groupingSeparator: ",") }

    static func name(_ text: LocalizedText) -> String {
        switch (text.en, text.ja) {
        case let (en?, ja?): return "\(en) / \(ja)"
        case let (en?, nil): return en
        case let (nil, ja?): return ja
        default: return ""
        }
    }

    static func unitName(_ unit: Settlement.AmountUnitInfo) -> String {
        switch (unit.label.en, unit.label.ja) {
        case let (en?, ja?): return "\(en), \(ja)"
        case let (en?, nil): return en
        case let (nil, ja?): return ja
        default: return unit.scale == .one ? unit.currency : "\(unit.currency) × \(amount(unit.scale))"
        }
    }
}
