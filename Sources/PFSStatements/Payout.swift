import PFSModel

/// One contractor's payout statement: only that party's amounts and the terms that produced
/// them, year by year, and what is still achievable under the caps. Other parties' amounts
/// are left out, and so are steps whose formula shows them.
public enum Payout {
    /// The contractors (providers, investors, intermediaries) that appear in any of the
    /// settlements, in the order first met.
    public static func contractors(in settlements: [Settlement]) -> [Settlement.PartyReference] {
        var seen: [Settlement.PartyReference] = []
        func add(_ party: Settlement.PartyReference) {
            guard party.role != .publicSector, party.role != .evaluator, !seen.contains(where: { $0.id == party.id })
            else { return }
            seen.append(party)
        }
        for s in settlements {
            for project in s.projects { project.allocations.forEach { add($0.party) } }
            for payment in s.payments ?? [] { payment.payees.forEach { add($0.party) } }
            if let sib = s.sib {
                add(sib.intermediary)
                sib.investors.forEach { add($0.party) }
                add(sib.residual)
            }
        }
        return seen
    }

    /// One amount the party receives in a year, and how.
    struct Line {
        let clause: Phrase
        let terms: Phrase
        let amount: ExactDecimal
        let step: String
        /// Whether the step's formula shows only this party's figures.
        let ownStep: Bool
        /// Where the statement's calculation starts for an amount whose own step is not shown
        /// (a reward cut by the maximum: the project's amount to split).
        var context: String? = nil
    }

    static func lines(for party: String, in s: Settlement) -> [Line] {
        var lines: [Line] = []
        for project in s.projects where project.payer.id != party {
            for allocation in project.allocations where allocation.party.id == party {
                let base = Common.amountText(project.attributable, s)
                // A reward cut by the reward maximum was worked out with every provider's
                // reward: its terms say so, and no step with their figures is shown.
                let cut = allocation.rewardCapCut != nil
                lines.append(
                    Line(
                        clause: Phrase("Profit share: ", "成果配分：") + Phrase(project.name, fallback: project.id),
                        terms: Phrase(
                            "share \(allocation.share) of the amount to split \(base) (step \(project.step))"
                                + (cut ? ", cut by the reward maximum" : ""),
                            "配分対象額 \(base)（手順 \(project.step)）の\(allocation.share.percent)" + (cut ? "、成果報酬上限により減額" : "")),
                        amount: allocation.amount, step: allocation.step, ownStep: !cut,
                        context: cut ? project.step : nil))
            }
        }
        for payment in s.payments ?? [] {
            guard let part = payment.payees.first(where: { $0.party.id == party }) else { continue }
            let shared = payment.payees.count > 1 || payment.payers.count > 1
            // The rule by name (成果単価方式); a fixed sum as fixed or, behind conditions, outcome-linked.
            var terms = [payment.rule == "fixed" ? Common.dueKind(payment) : Common.ruleName(payment)]
            if let outcome = payment.outcome {
                let measured = payment.kpi.map { Common.kpiName($0, s) } ?? Phrase(verbatim: "")
                terms.append(measured + Phrase(verbatim: " = \(outcome.value.formatted(groupingSeparator: ","))"))
            }
            if shared { terms.append(Phrase("your share \(part.share)", "配分率 \(part.share.percent)")) }
            lines.append(
                Line(
                    clause: Common.paymentName(payment),
                    terms: Phrase(Phrase.joined(terms, separator: "; ").en, Phrase.joined(terms, separator: "；").ja),
                    amount: part.amount, step: payment.step, ownStep: !shared))
        }
        if let sib = s.sib {
            if let investor = sib.investors.first(where: { $0.party.id == party }) {
                lines.append(
                    Line(
                        clause: Phrase("Social impact bond: principal repaid", "SIB：元本償還"),
                        // Holders of classes are repaid by rank, not pro rata with the others.
                        terms: investor.principalLost == nil
                            ? Phrase(
                                "principal \(Common.amountText(investor.principal, s)), repaid pro rata",
                                "資金提供額（元本） \(Common.amountText(investor.principal, s))、按分償還")
                            : Phrase(
                                "principal \(Common.amountText(investor.principal, s)), repaid by class rank",
                                "資金提供額（元本） \(Common.amountText(investor.principal, s))、クラスの順位に従い償還"),
                        amount: investor.principalThisYear, step: sib.step, ownStep: false))
                lines.append(
                    Line(
                        clause: Phrase("Social impact bond: return", "SIB：分配金"),
                        terms: Phrase(
                            investor.maximumReturn.map { "up to \(Common.amountText($0, s)) over the term" }
                                ?? "no cap on the return",
                            investor.maximumReturn.map { "期間通算の上限 \(Common.amountText($0, s))" } ?? "分配金の上限の定めなし"),
                        amount: investor.returnThisYear, step: sib.step, ownStep: false))
            }
            if sib.intermediary.id == party {
                let received = Common.amountText(sib.receivedThisYear, s)
                lines.append(
                    Line(
                        clause: Phrase("Social impact bond: fee kept", "SIB：手数料"),
                        terms: Phrase(
                            "your fee on the \(received) of outcome payments you received this year",
                            "本年度に受領した成果連動支払 \(received) に対する手数料"),
                        amount: sib.feeThisYear, step: sib.step, ownStep: false))
            }
            if sib.residual.id == party {
                lines.append(
                    Line(
                        clause: Phrase("Social impact bond: residual after investors", "SIB：資金提供者への配分後の残余"),
                        terms: Phrase(
                            """
                            what is left of the outcome payments after the intermediary's fee and the investors' \
                            principal and return, in that order
                            """,
                            "成果連動支払から中間支援組織の手数料、資金提供者の元本・分配金を順に差し引いた残り"),
                        amount: sib.residualThisYear, step: sib.step, ownStep: false))
            }
        }
        return lines
    }

    /// Builds the payout statement of `party` for the last settlement of `history` (the
    /// settled years of the term up to and including the statement's year, in order).
    public static func document(party: Settlement.PartyReference, history: [Settlement]) -> Document? {
        guard let s = history.last else { return nil }
        let own = lines(for: party.id, in: s)
        // An intermediary passes payments on: what it receives is shown, its income is the fee.
        let passesOn = s.sib?.intermediary.id == party.id
        var table = Table(
            "amounts",
            [
                Column("clause", Phrase("Clause", "支払項目")), Column("terms", Phrase("Terms", "算定条件")),
                Common.amountColumn("amount", Phrase("Amount", "金額"), s), Column("step", Phrase("Step", "手順")),
            ])
        // A step is cited only where this statement shows it: one whose formula shows other
        // parties' figures (a shared payment, the SIB waterfall) is left out, and the Terms
        // column says how the amount follows from the party's own figures.
        table.rows = own.map {
            [.phrase($0.clause), .phrase($0.terms), .amount($0.amount), $0.ownStep ? .text($0.step) : .empty]
        }
        table.totals =
            passesOn
            ? [] : [[.phrase(Phrase("Total this year", "本年度合計")), .empty, Common.sum(own.map(\.amount)), .empty]]
        var blocks: [Block] = [.table(table)]
        let paidByCity = party.role == .provider || party.role == .intermediary
        if !passesOn, !own.isEmpty, let total = try? ExactDecimal.sum(own.map(\.amount)) {
            // What a 請求書 and the 支出 are written in: the currency itself.
            var facts = Common.inCurrency(total, s).map {
                [Fact("totalInCurrency", Phrase("Total this year in the currency", "本年度合計（円単位）"), .phrase($0))]
            } ?? []
            if paidByCity { facts += Common.taxFacts(total, s) + Common.invoiceFacts(s) }
            if !facts.isEmpty { blocks.append(.facts(facts)) }
            if paidByCity, s.administration != nil {
                blocks.append(
                    .note(
                        Phrase(
                            "Please send your invoice for this amount once you have received this notice.",
                            "本通知を受けた後、上記の金額により請求書を提出してください。")))
            }
        }
        if party.role == .investor {
            // A funder is paid by the intermediary, never by the city: the statement must not
            // read as the city's spending or as a guarantee of returns.
            blocks.append(
                .note(
                    Phrase(
                        "This statement is not public spending: it is the intermediary's calculation of your distribution.",
                        "本明細は市の支出ではありません（中間支援組織による分配の計算です）。")))
        }
        if own.isEmpty { blocks.append(.note(Phrase("Nothing is due to you this year.", "本年度の支払額はありません。"))) }
        if own.contains(where: { !$0.ownStep }) {
            blocks.append(
                .note(
                    Phrase(
                        """
                        An amount without a step was worked out together with other parties' amounts (a shared \
                        payment, or the social impact bond's waterfall): its terms say how; the annual settlement \
                        shows the whole calculation.
                        """,
                        "手順番号のない金額は、他の当事者の分と一括して算定したものです。算定条件欄に算定方法を示し、算定過程は成果連動支払額算定書に記載しています。")))
        }
        if passesOn {
            blocks.append(
                .note(
                    Phrase(
                        """
                        As intermediary you receive the outcome payments and pass them on to the investors and \
                        the provider; your own income is the fee.
                        """,
                        "中間支援組織として成果連動支払を受領し、資金提供者・事業者へ配分します。自らの収入は手数料です。")))
        }
        for project in s.projects {
            for allocation in project.allocations where allocation.party.id == party.id && project.payer.id != party.id
            {
                if let clawback = allocation.clawback, clawback.signum < 0 {
                    blocks.append(
                        .note(
                            Phrase(
                                """
                                Claw-back: \(Common.amountText(clawback.negated(), s)) deducted for earlier \
                                shortfalls.
                                """,
                                "控除：過去の不足分として \(Common.amountText(clawback.negated(), s)) を今回の成果報酬から差し引きました（市への納付は不要）。")))
                }
                if let cut = allocation.rewardCapCut, cut.signum < 0 {
                    blocks.append(
                        .note(
                            Phrase(
                                "Reward maximum: \(Common.amountText(cut.negated(), s)) cut from your reward.",
                                "成果報酬上限により \(Common.amountText(cut.negated(), s)) を減額しました。")))
                }
            }
        }
        let amounts = Section("amounts", Phrase("Your amounts this year", "本年度の支払額（確定額）"), blocks)
        var calculation: [Section] = []
        var outcomes: [Section] = []

        var years = Table(
            "byYear",
            [
                Column("fiscalYear", Phrase("Fiscal year", "年度")), Column("clause", Phrase("Clause", "支払項目")),
                Common.amountColumn("amount", Phrase("Amount", "金額"), s),
            ])
        var toDate: [ExactDecimal] = []
        for settlement in history {
            let year = Cell.fiscalYear(FiscalYearName(settlement.fiscalYear))
            let received = lines(for: party.id, in: settlement).filter { !passesOn || $0.step == settlement.sib?.step }
            if received.isEmpty { years.rows.append([year, .phrase(Phrase("nothing due", "受取なし")), .amount(.zero)]) }
            for line in received {
                years.rows.append([year, .phrase(line.clause), .amount(line.amount)])
                toDate.append(line.amount)
            }
        }
        years.totals = [[.phrase(Phrase("Total to date", "累計")), .empty, Common.sum(toDate)]]
        calculation.append(
            Section(
                "byYear", passesOn ? Phrase("Your fees by year", "年度別の手数料") : Phrase("By year and clause", "年度別・支払項目別"),
                [.table(years)]))
        calculation.append(Section("remaining", Phrase("Still achievable under the caps", "上限までの残り"), headroom(party, s)))

        let roots = own.compactMap { $0.ownStep ? $0.step : $0.context }
        let kpis = Set(Explanation.closure(of: roots, in: s).flatMap { $0.reads.map(\.kpi) })
        // The KPI table below cites each KPI's own step: it is shown with the rest.
        let kpiSteps = s.kpis.filter { kpis.contains($0.id) }.compactMap(\.step)
        let steps = Explanation.closure(of: roots + kpiSteps.filter { !roots.contains($0) }, in: s)
        if !kpis.isEmpty {
            outcomes.append(
                Section(
                    "kpis", Phrase("Outcomes your amounts depend on", "支払額の根拠となる成果指標"),
                    Common.kpiBlocks(s, only: kpis)))
        }
        if !steps.isEmpty {
            var stepTable = Table(
                "calculation",
                [
                    Column("step", Phrase("Step", "手順")), Column("what", Phrase("What", "内容")),
                    Column("formula", Phrase("Formula", "計算式")), Column("result", Phrase("Result", "結果")),
                ])
            stepTable.rows = steps.map {
                [
                    .text($0.id), .phrase(Phrase($0.words.description, $0.words.descriptionJA)),
                    .phrase(Common.formula($0)), .number($0.result),
                ]
            }
            calculation.insert(
                Section("calculation", Phrase("How your amounts were calculated", "計算過程"), [.table(stepTable)]), at: 0)
        }
        let year = FiscalYearName(s.fiscalYear)
        let name = Common.partyName(party)
        let sections = Common.municipalParts(outcomes: outcomes, calculation: calculation, amounts: [amounts], s)
        var header = Common.header(s)
        header.insert(
            Fact("party", Phrase("For", "宛先"), .phrase(name + Phrase(" (\(party.id), \(Common.role(party.role).en))", "（\(recipientRole(party).ja)）"))),
            at: 1)
        return Document(
            kind: .payout(party: party.id),
            title: Phrase(
                "Payout statement — \(name.en) — \(year.display(.en))", "\(title(party).ja) — \(name.ja) — \(year.display(.ja))"),
            settlement: s, header: header, sections: sections)
    }

    /// What the city sends its contractor is a notice of the amount confirmed (支払額確定通知書:
    /// the contractor invoices on it); what an investor gets is the intermediary's calculation
    /// of its distribution (分配金計算書), not a city document.
    static func title(_ party: Settlement.PartyReference) -> Phrase {
        party.role == .investor
            ? Phrase("Distribution statement", "分配金計算書") : Phrase("Payout statement", "支払額確定通知書")
    }

    /// The party as the document addresses it: the contractor as 受託者, others by role.
    static func recipientRole(_ party: Settlement.PartyReference) -> Phrase {
        party.role == .provider || party.role == .intermediary ? Phrase("contractor", "受託者") : Common.role(party.role)
    }

    /// Headroom under the caps that concern this party alone; caps shared with other
    /// contractors are not shown, since they would reveal the others' amounts.
    static func headroom(_ party: Settlement.PartyReference, _ s: Settlement) -> [Block] {
        var facts: [Fact] = []
        var notes: [Block] = []
        let payments = s.payments ?? []
        let soleRecipient =
            !payments.isEmpty && payments.allSatisfy { $0.payees.count == 1 && $0.payees[0].party.id == party.id }
        if let paid = s.paymentTotals, soleRecipient {
            facts.append(Fact("paidToDate", Phrase("Payments to you to date", "支払の累計"), .amount(paid.paidToDate)))
            if let maximum = paid.maximum {
                facts.append(Fact("maximum", Phrase("Contract maximum", "支払上限額"), .amount(maximum)))
            }
            if let remaining = paid.remaining {
                facts.append(Fact("remaining", Phrase("Remaining under the maximum", "上限までの残額"), .amount(remaining)))
            }
        }
        let providers = Set(
            s.projects.flatMap { project in
                project.allocations.filter { $0.party.id != project.payer.id }.map(\.party.id)
            })
        if let cap = s.rewardCap, providers == [party.id] {
            facts.append(
                Fact("rewardMaximum", Phrase("Reward maximum over the term", "成果報酬の上限（期間通算）"), .amount(cap.maximum)))
            facts.append(
                Fact(
                    "rewardsRemaining", Phrase("Remaining under the reward maximum", "成果報酬上限までの残額"),
                    .amount(cap.remaining)))
        }
        if let investor = s.sib?.investors.first(where: { $0.party.id == party.id }) {
            // A loss is not principal still to be repaid: it is lost, and said so.
            let principalLeft =
                (try? investor.principal.subtracting(investor.principalToDate).subtracting(
                    investor.principalLost ?? .zero)).map(Cell.amount) ?? .empty
            if let lost = investor.principalLost, lost.signum > 0, let sib = s.sib {
                facts.append(Fact("principalLost", Phrase("Principal lost", "元本毀損"), .amount(lost)))
                notes = Common.lossNotes(sib, s)
            }
            let returnLeft: Cell
            if let most = investor.maximumReturn {
                returnLeft = (try? most.subtracting(investor.returnToDate)).map(Cell.amount) ?? .empty
            } else {
                returnLeft = .phrase(Phrase("no cap", "上限の定めなし"))
            }
            facts.append(Fact("principalOutstanding", Phrase("Principal not yet repaid", "未償還元本"), principalLeft))
            facts.append(
                Fact(
                    "returnAvailable", Phrase("Return still possible (maximum less paid)", "分配金上限までの残額"),
                    returnLeft))
        }
        if facts.isEmpty {
            let sharedCaps = s.paymentTotals?.maximum != nil || s.rewardCap != nil
            return [
                .note(
                    sharedCaps
                        ? Phrase(
                            """
                            No cap applies to you alone; caps shared with other contractors are in the finance \
                            officer's annual settlement.
                            """,
                            "貴社のみに適用される上限はありません。他の受託者と共有する上限は成果連動支払額算定書に記載されます。")
                        : Phrase("The contract sets no cap on these amounts.", "支払上限額の定めなし。"))
            ]
        }
        return [.facts(facts)] + notes
    }
}
