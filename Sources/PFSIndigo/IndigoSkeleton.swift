import PFSModel
import PFSStatements

/// A format-2 contract skeleton made from an INDIGO project (`pfs import indigo`): parties
/// from its organisations, KPIs from its outcome metrics, a per-unit payment for each year of
/// the term from each pricing with a price per unit (and the payers' maxima as limits),
/// investors from its investments — and, as comments, what INDIGO does not hold and a
/// contract needs before it is settled: baselines, counterfactuals, yearly actual values,
/// the rounding, rules INDIGO describes only in words. `pfs check` on the skeleton lists
/// what is missing as `data-missing` warnings.
public enum IndigoSkeleton {
    /// The skeleton's text, or why the project cannot make one (said of the file `read`).
    /// - Parameter source: what the skeleton's comment says it was made from (a file's name,
    ///   not the folders it sits in).
    public static func contract(
        _ project: IndigoProject, id: String, source: String, read: String
    ) -> Result<String, IndigoProblem> {
        do throws(IndigoProblem) {
            return .success(try Writer(project: project, id: id, source: source, read: read).text())
        } catch {
            return .failure(error)
        }
    }
}

private struct Writer {
    let project: IndigoProject
    let id: String
    let source: String
    let read: String

    func fail(_ message: String, hint: String) -> IndigoProblem {
        IndigoProblem(message, hint: hint, at: .file(read))
    }

    func attribute(_ text: String) -> String { XMLText.escaped(text) }
    /// A comment's text: `--` cannot appear inside one.
    func comment(_ text: String) -> String { text.replacingOccurrences(of: "--", with: "- -") }

    func text() throws(IndigoProblem) -> String {
        guard let currency = project.currency else {
            throw fail(
                "the project names no currency (no pricing, commitment, investment or payment gives one)",
                hint: "a contract's amounts are in one currency: add it to the project's outcome pricings")
        }
        let (startMonth, first, last) = try term()
        let parties = try self.parties()
        guard let payer = parties.first(where: { $0.role == .publicSector }) else {
            throw fail(
                "the project names no outcome payer (no outcome payment commitment or payment names one)",
                hint: "add its outcome_payment_commitments")
        }
        // Through a bond's intermediary when there is one (its waterfall repays the investors).
        let payee =
            parties.first { $0.role == .intermediary }?.id ?? project.payments.compactMap(\.recipient).first
            ?? parties.first { $0.role == .provider }?.id ?? parties.first { $0.role == .investor }?.id
        let digits = ISO4217.amountDigits(currency: currency, scale: .one)
        var lines: [String] = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<!--"]
        lines += [
            "  Contract skeleton made by pfs import indigo from \(comment(source))"
                + (project.id.map { " (INDIGO project \(comment($0)))" } ?? "") + ".",
            "  INDIGO holds no baselines, counterfactuals (expected values) or yearly actual values, and no",
            "  rounding: add them before settling. Each KPI's comment says what it lacks; `pfs check` lists it.",
            "-->",
            "<contract xmlns=\"urn:pfs:contract:2\" format-version=\"2\" id=\"\(attribute(id))\">",
        ]
        let name = project.name ?? project.alternativeName ?? id
        let japanese = project.alternativeName.flatMap { $0.unicodeScalars.contains { $0.value > 0x2FFF } ? $0 : nil }
        lines.append("  <title ja=\"\(attribute(japanese ?? name))\" en=\"\(attribute(name))\"/>")
        lines.append("  <amounts currency=\"\(currency)\" scale=\"1\" label-ja=\"\(currency)\" label-en=\"\(currency)\"/>")
        lines.append("  <!-- INDIGO holds no rounding: pfs wrote half-up to the currency's minor unit; declare the contract's. -->")
        let increment = digits == 0 ? "1" : "0." + String(repeating: "0", count: digits - 1) + "1"
        lines.append("  <rounding increment=\"\(increment)\" mode=\"half-up\"/>")
        lines.append("  <fiscal-year start-month=\"\(startMonth)\"/>")
        lines.append("  <term first=\"\(first)\" last=\"\(last)\"/>")
        lines.append("  <parties>")
        for party in parties {
            lines.append(
                "    <party id=\"\(attribute(party.id))\" role=\"\(party.role.rawValue)\"><name ja=\"\(attribute(party.ja))\" "
                    + "en=\"\(attribute(party.en))\"/></party>" + (party.named ? "" : "  <!-- INDIGO gave no name: the id is its name -->"))
        }
        lines.append("  </parties>")
        lines.append("  <kpis>")
        let pricedMetrics = Set(project.pricings.filter { $0.pricePerUnit != nil }.compactMap(\.metric))
        for metric in project.metrics {
            let stated = IndigoText.direction(metric.target)
            // INDIGO prices outcomes achieved (a participant who reaches the outcome): a priced
            // metric's KPI counts them, and more is better whatever the measure behind it.
            let priced = pricedMetrics.contains(metric.id)
            let direction = priced ? .higherIsBetter : stated ?? .higherIsBetter
            let definition = metric.definition ?? metric.id
            lines.append(
                "    <kpi id=\"\(attribute(metric.id))\" direction=\"\(direction.rawValue)\" "
                    + "unit=\"\(attribute(metric.unit ?? "outcomes"))\">")
            lines.append("      <name ja=\"\(attribute(metric.japaneseName ?? definition))\" en=\"\(attribute(definition))\"/>")
            if priced, stated == .lowerIsBetter {
                lines.append(
                    "      <!-- INDIGO prices outcomes achieved: this KPI counts them each year (its measure, where less is better,")
                lines.append("           is improved on by that many), and its payments pay the price for each. -->")
            } else if stated == nil {
                lines.append("      <!-- INDIGO does not say which way is better: pfs wrote higher-is-better. -->")
            }
            if metric.unit == nil {
                lines.append("      <!-- INDIGO gives no unit: pfs wrote \"outcomes\". -->")
            }
            lines.append(
                "      <!-- Missing: INDIGO holds no baseline, no expected values (counterfactual) and no yearly actual values.")
            lines.append("           Add <baseline>, <expected> and <actual year=\"…\" value=\"…\" source=\"…\"/> (or `pfs actuals`). -->")
            lines.append("    </kpi>")
        }
        lines.append("  </kpis>")
        let payments = try self.payments(payer: payer.id, payee: payee, first: first, last: last, currency: currency)
        lines += payments.lines
        // The payee is the intermediary whenever there is one.
        lines += try sib(parties, paid: payments.written > 0)
        lines.append("</contract>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The fiscal years from the service's start to its end, each named by the calendar year
    /// it starts in; the fiscal year starts in the start date's month.
    func term() throws(IndigoProblem) -> (month: Int, first: Int, last: Int) {
        let starts = [project.start].compactMap { $0 } + project.payments.compactMap(\.start)
        let ends = [project.end].compactMap { $0 } + project.payments.compactMap(\.end)
        guard let start = starts.first, let end = ends.max() ?? starts.max() else {
            throw fail(
                "the project gives no dates (no start of service provision and no payment period)",
                hint: "add dates.start_date_of_service_provision and an end date")
        }
        func parts(_ date: String) -> (year: Int, month: Int?) {
            let fields = date.split(separator: "-")
            return (Int(fields[0]) ?? 0, fields.count > 1 ? Int(fields[1]) : nil)
        }
        let (startYear, startMonth) = parts(start)
        let month = startMonth ?? (project.currency == "JPY" ? 4 : 1)
        guard (1...12).contains(month) else {
            throw fail("the start date '\(start)' has no month \(month)", hint: "INDIGO writes YYYY-MM-DD")
        }
        let (endYear, endMonth) = parts(end)
        let last = (endMonth ?? 12) >= month ? endYear : endYear - 1
        guard last >= startYear, last - startYear < 100 else {
            throw fail("the project ends (\(end)) before it starts (\(start)), or runs a century", hint: "check its dates")
        }
        return (month, startYear, last)
    }

    struct Party {
        let id: String
        let role: PartyRole
        let ja: String
        let en: String
        let named: Bool
    }

    /// Each organisation once, in the first role it plays: payer, intermediary, investor,
    /// provider (a payment's recipient too), evaluator.
    func parties() throws(IndigoProblem) -> [Party] {
        var parties: [Party] = []
        func add(_ id: String, _ role: PartyRole) {
            guard !parties.contains(where: { $0.id == id }) else { return }
            let organisation = project.organisations[id]
            let name = organisation?.name ?? id
            parties.append(
                Party(id: id, role: role, ja: name, en: organisation?.english ?? name, named: organisation?.name != nil))
        }
        for id in project.commitments.map(\.organisation) + project.payments.compactMap(\.payer) { add(id, .publicSector) }
        for id in project.intermediaries { add(id, .intermediary) }
        for id in project.investments.map(\.organisation) { add(id, .investor) }
        for id in project.providers + project.payments.compactMap(\.recipient) { add(id, .provider) }
        for id in project.validators { add(id, .evaluator) }
        guard parties.count <= 1000 else { throw fail("the project names more than 1,000 organisations", hint: "check it") }
        return parties
    }

    /// The payments' lines, and how many payments they declare.
    func payments(
        payer: String, payee: String?, first: Int, last: Int, currency: String
    ) throws(IndigoProblem) -> (lines: [String], written: Int) {
        var lines: [String] = []
        var written = 0
        let priced = project.pricings.filter { $0.pricePerUnit != nil && $0.metric != nil }
        for pricing in project.pricings where pricing.currency != nil && pricing.currency != currency {
            throw fail(
                "a pricing is in \(pricing.currency ?? ""), another amount in \(currency): a contract has one currency",
                hint: "convert the amounts to one currency")
        }
        let total = project.commitments.compactMap(\.maximum)
        guard let payee, !priced.isEmpty else {
            lines.append("  <!-- No payment: INDIGO gives no price per unit for a metric. Declare the payment rules. -->")
            lines += described()
            return (lines, 0)
        }
        let limited = total.count == project.commitments.count && !total.isEmpty
        var opening = "  <payments"
        if limited {
            do throws(ArithmeticError) {
                opening += " maximum=\"\(try ExactDecimal.sum(total).description)\""
            } catch {
                throw fail("the payers' maxima add up beyond pfs's decimals", hint: "check them")
            }
        }
        lines.append(opening + ">")
        if project.commitments.count > 1 {
            for commitment in project.commitments {
                guard let maximum = commitment.maximum else { continue }
                lines.append("    <payer-limit party=\"\(attribute(commitment.organisation))\" maximum=\"\(maximum.description)\"/>")
            }
            lines.append("    <!-- INDIGO names several payers; each payment below names the first: share them as the contract does. -->")
        }
        for pricing in priced {
            guard let metric = pricing.metric, let price = pricing.pricePerUnit else { continue }
            if let text = pricing.maximumText {
                lines.append(
                    "    <!-- INDIGO: the most paid for \(comment(metric)) if all targets are achieved is "
                        + "\(comment(text)) \(currency); the payments below are capped by the payers' maxima only. -->")
            }
            for year in first...last {
                lines.append(
                    "    <payment id=\"\(attribute("\(metric)-\(year)"))\" payer=\"\(attribute(payer))\" payee=\"\(attribute(payee))\" "
                        + "year=\"\(year)\" kpi=\"\(attribute(metric))\">")
                let name = project.metrics.first { $0.id == metric }?.definition ?? metric
                lines.append("      <name ja=\"\(attribute("\(name)（\(year)）"))\" en=\"\(attribute("\(name) (\(year))"))\"/>")
                lines.append("      <per-unit price=\"\(price.description)\" baseline=\"0\"/>")
                lines.append("    </payment>")
                written += 1
            }
        }
        lines += described().map { "  " + $0 }
        lines.append("  </payments>")
        return (lines, written)
    }

    /// Pricings INDIGO says in words, as comments.
    func described() -> [String] {
        project.pricings.filter { $0.pricePerUnit == nil || $0.metric == nil }.map { pricing in
            "  <!-- INDIGO prices \(comment(pricing.metric ?? "the project")) as: \"\(comment(pricing.description ?? "(no description)"))\". "
                + "Declare it as a payment rule. -->"
        }
    }

    /// The bond, when the project's investments have amounts and its payments (`paid`) reach
    /// the intermediary.
    func sib(_ parties: [Party], paid: Bool) throws(IndigoProblem) -> [String] {
        guard project.investments.contains(where: { $0.amount != nil }) else { return [] }
        guard paid else {
            return ["  <!-- INDIGO lists investments, but no payment above reaches the intermediary: declare the <sib> with them. -->"]
        }
        guard let intermediary = parties.first(where: { $0.role == .intermediary }),
            let residual = parties.first(where: { $0.role == .provider }) ?? parties.first(where: { $0.role == .investor })
        else {
            return ["  <!-- INDIGO lists investments but no intermediary to receive the payments: declare the <sib>. -->"]
        }
        var principal: [(String, ExactDecimal)] = []
        for investment in project.investments {
            guard let amount = investment.amount else { continue }
            if let index = principal.firstIndex(where: { $0.0 == investment.organisation }) {
                do throws(ArithmeticError) {
                    principal[index].1 = try principal[index].1.adding(amount)
                } catch {
                    throw fail("the investments of \(investment.organisation) add up beyond pfs's decimals", hint: "check them")
                }
            } else {
                principal.append((investment.organisation, amount))
            }
        }
        guard !principal.isEmpty else { return ["  <!-- INDIGO gives no investment amounts: declare the <sib>. -->"] }
        var lines = ["  <sib intermediary=\"\(attribute(intermediary.id))\" residual=\"\(attribute(residual.id))\">"]
        lines.append("    <!-- INDIGO gives no cap on returns: pfs wrote max-return=\"none\"; declare the contract's. -->")
        for (party, amount) in principal {
            lines.append("    <investor party=\"\(attribute(party))\" principal=\"\(amount.description)\" max-return=\"none\"/>")
        }
        lines.append("  </sib>")
        return lines
    }
}
