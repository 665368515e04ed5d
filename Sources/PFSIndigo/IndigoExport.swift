import PFSModel
import PFSStatements
import PFSValue

/// A contract and its settled (and, with a register, paid) years as an INDIGO 4.1.0 project
/// (`pfs export indigo`): outcome metrics from the KPIs, outcome pricings from the payment
/// rules (a price per unit where INDIGO can say it, else a price description), outcome
/// payment commitments per payer, investments, outcome payments per period and pair of
/// organisations (Planned until the register records them paid, then Actual), results per
/// KPI and year, and the sources they come from. Organisations are the contract's parties,
/// by their ids; their records are ``organisations(_:)``. Amounts are in currency units.
public enum IndigoExport {
    /// The project record. `paid` is what a register records paid per outcome year (nil:
    /// no register); `assessment` gives the investors' returns so far.
    public static func project(
        _ contract: Contract, history: [Settlement], paid: [Int: ExactDecimal]?, assessment: ValueAssessment?
    ) throws(ArithmeticError) -> [UInt8] {
        try Project(contract: contract, history: history, paid: paid, assessment: assessment).tree().bytes
    }

    /// Each party as an INDIGO organisation record, keyed by its id: `{"city": {…}, …}`.
    public static func organisations(_ contract: Contract) -> [UInt8] {
        var records: [String: IndigoTree] = [:]
        for party in contract.parties {
            var record: [String: IndigoTree] = ["status": .string("PUBLIC")]
            let official = party.name.ja ?? party.name.en ?? party.id
            record["name"] = .value(official)
            if let english = party.name.en, party.name.ja != nil, english != official {
                record["translated_official_name"] = .object([
                    "english": .value(english), "source_language": .value("ja"),
                ])
            }
            if let type = organisationType(party.role) { record["type"] = .value(type) }
            if let country = country(contract.amounts.currency) { record["jurisdiction"] = .value(country) }
            record["description"] = .value("\(roleDescription(party.role)) in pfs contract '\(contract.id)'")
            records[party.id] = .object(record)
        }
        return IndigoTree.object(records).bytes
    }

    /// The jurisdiction a currency names: ISO 4217 codes begin with the ISO 3166 country
    /// (JPY → JP) but for supranational ones (EUR, and the X… codes).
    static func country(_ currency: String) -> String? {
        guard currency.count == 3, currency != "EUR", !currency.hasPrefix("X") else { return nil }
        return String(currency.prefix(2))
    }

    static func organisationType(_ role: PartyRole) -> String? {
        switch role {
        case .publicSector: return "Government body"
        case .provider, .investor, .intermediary, .evaluator: return nil
        }
    }

    static func roleDescription(_ role: PartyRole) -> String {
        switch role {
        case .publicSector: return "Outcome payer (public sector)"
        case .provider: return "Service provider"
        case .investor: return "Investor"
        case .intermediary: return "Intermediary"
        case .evaluator: return "Outcomes validator (evaluator)"
        }
    }
}

/// The project record's parts, each from the contract and its settlements.
struct Project {
    let contract: Contract
    let history: [Settlement]
    let paid: [Int: ExactDecimal]?
    let assessment: ValueAssessment?

    var currency: String { contract.amounts.currency }

    /// An amount in the contract's written unit, in currency units.
    func money(_ amount: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        try amount.multiplied(by: contract.amounts.scale).normalized()
    }

    func tree() throws(ArithmeticError) -> IndigoTree {
        var project: [String: IndigoTree] = [
            "status": .string("PUBLIC"),
            "name": .value(contract.title.en ?? contract.title.ja ?? contract.id),
            "stage_development": .object(["value": .string(try stage()), "source_ids": .string(sourceIDs)]),
            "dates": dates,
            "outcome_metrics": .array(metrics),
            "outcome_pricings": .array(try pricings()),
            "outcome_payment_commitments": .array(try commitments()),
            "outcome_payments": .array(try payments()),
            "results": .array(results),
            "sources": .array(sources),
            "overall_project_finance": try finance(),
        ]
        if let ja = contract.title.ja, contract.title.en != nil { project["alternative_names"] = .value(ja) }
        if let country = IndigoExport.country(currency) {
            project["jurisdiction"] = .object(["jurisdiction": .value(country)])
        }
        let investments = try self.investments()
        if !investments.isEmpty { project["investments"] = .array(investments) }
        let providers = contract.parties.filter { $0.role == .provider }
        if !providers.isEmpty {
            project["service_provisions"] = .array(
                providers.map { .object(["id": .string($0.id), "organisation_id": .value($0.id)]) })
        }
        if let intermediary = contract.parties.first(where: { $0.role == .intermediary }) {
            project["intermediary_services"] = .array([
                .object([
                    "organisation_id": .value(intermediary.id),
                    "organisation_role_category": .value("Other"),
                    "other_role_description": .value(
                        "Receives the outcome payments and repays the investors (the bond's waterfall)"),
                ])
            ])
        }
        return .object(project)
    }

    // MARK: Stage, dates, sources

    var lastSettled: Int? { history.last?.fiscalYear.year }

    /// Contracted before any year is settled; Complete when every year of the term is settled
    /// and paid in full; Service delivery complete when its last year is settled.
    func stage() throws(ArithmeticError) -> String {
        guard let last = lastSettled else { return "Contracted" }
        guard last >= contract.term.last else { return "Implementation" }
        if let paid {
            var all = true
            for settlement in history where try !paidInFull(settlement, paid) { all = false }
            if all { return "Complete" }
        }
        return "Service delivery complete"
    }

    /// Whether the register records the year's dues paid in full (a year it does not hold:
    /// nothing paid).
    func paidInFull(_ settlement: Settlement, _ paid: [Int: ExactDecimal]) throws(ArithmeticError) -> Bool {
        let due = try ExactDecimal.sum(DueLine.lines(of: settlement).map(\.amount))
        return (paid[settlement.fiscalYear.year] ?? .zero) >= due
    }

    var dates: IndigoTree {
        .object([
            "start_date_of_service_provision": .value(contract.fiscalYear(contract.term.first).firstDay),
            "anticipated_end_date_of_service_provision": .value(contract.fiscalYear(contract.term.last).lastDay),
            "source_ids": .string("contract"),
        ])
    }

    var sourceIDs: String { (["contract"] + history.map { "settlement-\($0.fiscalYear.year)" }).joined(separator: ",") }

    var sources: [IndigoTree] {
        var sources: [IndigoTree] = []
        if let first = history.first {
            sources.append(
                .object([
                    "id": .string("contract"), "type": .value("Contract"),
                    "name": .value("pfs contract \(first.contract.file) (\(contract.id))"),
                    "notes": .string(
                        "SHA-256 \(first.contract.sha256); canonical digest \(first.contract.digest)"),
                ]))
        } else {
            sources.append(
                .object([
                    "id": .string("contract"), "type": .value("Contract"),
                    "name": .value("pfs contract \(contract.id)"),
                ]))
        }
        for settlement in history {
            sources.append(
                .object([
                    "id": .string("settlement-\(settlement.fiscalYear.year)"), "type": .value("Report"),
                    "name": .value("pfs settlement statement, \(settlement.fiscalYear.label)"),
                    "notes": .string(
                        "\(settlement.engine.name) \(settlement.engine.version); settlement digest "
                            + SettlementDigest.of(settlement)),
                ]))
        }
        return sources
    }

    // MARK: Metrics, pricings, results

    var metrics: [IndigoTree] {
        contract.kpis.map { kpi in
            var metric: [String: IndigoTree] = [
                "id": .string(kpi.id),
                "definition": .value(kpi.name.en ?? kpi.name.ja ?? kpi.id),
                "unit_description_of_service_user_or_beneficiaries": .value(kpi.unit),
                "outcome_metric_target": .value(
                    kpi.direction == .lowerIsBetter ? IndigoText.lowerIsBetter : IndigoText.higherIsBetter),
                "source_ids": .string("contract"),
            ]
            if let ja = kpi.name.ja, kpi.name.en != nil { metric["notes"] = .string(IndigoText.japaneseNamePrefix + ja) }
            return .object(metric)
        }
    }

    func pricings() throws(ArithmeticError) -> [IndigoTree] {
        // Yearly payments priced alike are one pricing.
        var seen = Set<IndigoTree>()
        var pricings: [IndigoTree] = []
        func add(_ tree: [String: IndigoTree]) {
            let object = IndigoTree.object(tree)
            if seen.insert(object).inserted { pricings.append(object) }
        }
        for payment in contract.payments {
            var pricing: [String: IndigoTree] = ["currency": .value(currency), "source_ids": .string("contract")]
            if let kpi = payment.kpi { pricing["outcome_metric_id"] = .object(["value": .string(kpi)]) }
            if case .perUnit(let price, let baseline) = payment.rule, payment.conditions == nil,
                baseline == nil || baseline == .zero
            {
                pricing["price_per_unit"] = .object(["amount": .value(try money(price))])
                if let cap = payment.cap {
                    pricing["maximum_price_if_all_targets_achieved"] = .object([
                        "amount": .value(try money(cap).description)
                    ])
                }
            } else {
                pricing["price_description"] = .value(try IndigoText.describe(payment, in: self))
            }
            add(pricing)
        }
        for project in contract.projects {
            for credit in project.credits {
                let shares = project.providerShares.map { "\($0.party) \($0.share.percent)" }.joined(separator: ", ")
                add([
                    "outcome_metric_id": .object(["value": .string(credit.kpi)]),
                    "currency": .value(currency),
                    "price_description": .value(
                        """
                        Profit share (project \(project.id)): \(credit.share.percent) of the KPI's fiscal improvement \
                        is attributed to the project; the providers receive \(shares) of it, the payer keeps the rest
                        """),
                    "source_ids": .string("contract"),
                ])
            }
        }
        return pricings
    }

    var results: [IndigoTree] {
        history.flatMap { settlement in
            settlement.kpis.compactMap { kpi -> IndigoTree? in
                guard let actual = kpi.actual else { return nil }
                var parts = ["actual \(actual.value.description) \(kpi.unit)"]
                if let expected = kpi.expected { parts.append("expected (counterfactual) \(expected.value.description)") }
                if let improvement = kpi.improvement { parts.append("improvement \(improvement.description)") }
                let year = contract.fiscalYear(settlement.fiscalYear.year)
                return .object([
                    "outcome_metric_id": .object(["value": .string(kpi.id)]),
                    "result_level": .value("Outcome level"),
                    "result_type": .value(settlement.fiscalYear.year >= contract.term.last ? "Final" : "Interim"),
                    "period": .object(["start_date": .value(year.firstDay), "end_date": .value(year.lastDay)]),
                    "outcomes_achieved": .value(parts.joined(separator: "; ")),
                    "outcomes_validator_organisation_ids": .value(
                        contract.parties.filter { $0.role == .evaluator }.map(\.id).joined(separator: ",")),
                    "source_ids": .string("settlement-\(settlement.fiscalYear.year)"),
                ])
            }
        }
    }

    // MARK: Money

    /// Per outcome year and pair, what the settlement makes due: Actual once the register
    /// records the year paid in full, Planned before.
    func payments() throws(ArithmeticError) -> [IndigoTree] {
        var payments: [IndigoTree] = []
        for settlement in history {
            let year = contract.fiscalYear(settlement.fiscalYear.year)
            let actual = try paid.map { paid throws(ArithmeticError) in try paidInFull(settlement, paid) } ?? false
            for line in try DueLine.lines(of: settlement) {
                var payment: [String: IndigoTree] = [
                    "period": .object(["start_date": .value(year.firstDay), "end_date": .value(year.lastDay)]),
                    "payer_organisation_id": .value(line.payer),
                    "recipient_organisation_id": .value(line.payee),
                    "type": .value(actual ? "Actual" : "Planned"),
                    "money": .object(["currency": .value(currency), "amount": .value(try money(line.amount))]),
                    "status": .string("PUBLIC"),
                    "source_ids": .string("settlement-\(settlement.fiscalYear.year)"),
                    "notes": .string("\(line.kind) under clause '\(line.clause)'"),
                ]
                if let kpi = contract.payments.first(where: { $0.id == line.clause })?.kpi {
                    payment["outcome_metric_id"] = .object(["value": .string(kpi)])
                }
                payments.append(.object(payment))
            }
        }
        return payments
    }

    func commitments() throws(ArithmeticError) -> [IndigoTree] {
        let payers = contract.parties.filter { $0.role == .publicSector }
        var commitments: [IndigoTree] = []
        for payer in payers {
            var commitment: [String: IndigoTree] = [
                "organisation_id": .value(payer.id),
                "organisation_role_category": .value("Government/Public Sector/Public Bank"),
                "source_ids": .string("contract"),
            ]
            let limit =
                contract.paymentLimits?.payerLimits.first { $0.party == payer.id }?.maximum
                ?? (payers.count == 1 ? contract.paymentLimits?.maximum : nil)
            // The currency always: a contract without a limit still pays in one.
            var maximum: [String: IndigoTree] = ["currency": .value(currency)]
            if let limit { maximum["amount"] = .value(try money(limit)) }
            commitment["maximum_potential_outcome_payment"] = .object(maximum)
            if let paid {
                var total = ExactDecimal.zero
                for settlement in history where try paidInFull(settlement, paid) {
                    for line in try DueLine.lines(of: settlement) where line.payer == payer.id {
                        total = try total.adding(line.amount)
                    }
                }
                commitment["total_outcome_payments"] = .object([
                    "currency": .value(currency), "amount": .value(try money(total)),
                ])
            }
            commitments.append(.object(commitment))
        }
        return commitments
    }

    func finance() throws(ArithmeticError) -> IndigoTree {
        var finance: [String: IndigoTree] = ["source_ids": .string("contract")]
        if let sib = contract.sib {
            let principal =
                sib.classes.isEmpty
                ? try ExactDecimal.sum(sib.investors.map(\.principal)) : try ExactDecimal.sum(sib.classes.map(\.principal))
            finance["total_investment_commitment"] = .object([
                "currency": .value(currency), "amount": .object(["exact": .value(try money(principal))]),
            ])
        }
        if let maximum = contract.paymentLimits?.maximum {
            finance["maximum_potential_outcome_payment_v2"] = .object([
                "currency": .value(currency), "amount": .value(try money(maximum)),
            ])
        }
        if let paid {
            var total = ExactDecimal.zero
            for settlement in history where try paidInFull(settlement, paid) {
                total = try total.adding(try ExactDecimal.sum(DueLine.lines(of: settlement).map(\.amount)))
            }
            finance["total_outcome_payments_made"] = .object([
                "currency": .value(currency), "amount": .value(try money(total)),
            ])
        }
        return .object(finance)
    }

    /// One investment per investor (format 1) or per holder of a class (format 2), with what
    /// it may lose, how it was repaid once the bond matured, and its returns so far.
    func investments() throws(ArithmeticError) -> [IndigoTree] {
        // An investor party outside a bond (a lender repaid from savings) is listed with no
        // commitment, so that it is known as an investor.
        var investments: [IndigoTree] = []
        let holding = Set((contract.sib?.investors.map(\.party) ?? []) + (contract.sib?.classes.flatMap { $0.holders.map(\.party) } ?? []))
        for party in contract.parties where party.role == .investor && !holding.contains(party.id) {
            investments.append(
                .object([
                    "id": .string(party.id), "organisation_id": .value(party.id), "source_ids": .string("contract"),
                    "notes": .string("an investor of the contract, not in a social impact bond's capital"),
                ]))
        }
        guard let sib = contract.sib else { return investments }
        let matured = (lastSettled ?? .min) >= contract.term.last
        for investor in sib.investors {
            var investment = try investmentBase(id: investor.party, party: investor.party, principal: investor.principal)
            investment["maximum_potential_loss"] = .value("Principal is repaid before any return; no loss is declared")
            let cap = investor.maximumReturn.map { "return capped at \($0.percent) of principal over the term" }
            investment["notes"] = .string(
                ([cap ?? "return not capped"] + returns(of: investor.party, matured: matured, into: &investment))
                    .joined(separator: "; "))
            investments.append(.object(investment))
        }
        for investorClass in sib.classes {
            for holder in investorClass.holders {
                let principal = try investorClass.principal.multiplied(by: holder.share).normalized()
                var investment = try investmentBase(
                    id: "\(investorClass.id)/\(holder.party)", party: holder.party, principal: principal)
                investment["maximum_potential_loss"] = .value(
                    investorClass.protected
                        ? "None: the class's principal is protected" : "Up to all principal (the class is not protected)")
                let top = investorClass.grid.map(\.rate).max()
                var notes = ["class \(investorClass.id) (rank \(investorClass.rank)), \(holder.share.percent) of it"]
                if let top { notes.append("annual return up to \(top.percent) by the class's grid") }
                // Each holder earns its class's rate and multiple.
                notes += returns(of: investorClass.id, matured: matured, into: &investment)
                investment["notes"] = .string(notes.joined(separator: "; "))
                investments.append(.object(investment))
            }
        }
        return investments
    }

    func investmentBase(id: String, party: String, principal: ExactDecimal) throws(ArithmeticError)
        -> [String: IndigoTree]
    {
        [
            "id": .string(id),
            "organisation_id": .value(party),
            "investment_commitment": .object([
                "currency": .value(currency), "amount": .object(["exact": .value(try money(principal))]),
            ]),
            "source_ids": .string("contract"),
        ]
    }

    /// The returns so far of the investor or class `id` (from `pfs value`), and once the
    /// bond matured how it was repaid.
    func returns(of id: String, matured: Bool, into investment: inout [String: IndigoTree]) -> [String] {
        guard let assessment, let assessed = assessment.investments.first(where: { $0.id == id }) else { return [] }
        var notes: [String] = []
        let through = contract.yearName(assessment.asOf)
        if let rate = assessed.shownRate {
            notes.append(
                "internal rate of return to \(through): \(rate.isExact ? "" : "≈")\(rate.value.percent) "
                    + "(pfs value, exact flows)")
        } else {
            notes.append("no one internal rate of return to \(through)")
        }
        if let multiple = assessed.multiple {
            notes.append("money multiple \(multiple.isExact ? "" : "≈")\(multiple.value.description)")
        }
        if matured {
            let repayment: String
            if assessed.principalRepaid.signum == 0 && assessed.returnPaid.signum == 0 {
                repayment = "No repayment (no principle or return)"
            } else if assessed.principalRepaid < assessed.principal {
                repayment = "Some repayment (but below value of principle)"
            } else if assessed.returnPaid.signum > 0 {
                repayment = "Principal + positive financial returns"
            } else {
                repayment = "Principal repaid (but no net return)"
            }
            investment["investor_repayment"] = .value(repayment)
        }
        return notes
    }
}
