import PFSModel

/// The annual settlement for the finance officer: what each payer owes to whom under which
/// clause this year, the fixed and outcome-linked parts, the caps and what was paid before.
public enum AnnualSettlement {
    /// Builds the document.
    public static func document(_ s: Settlement) -> Document {
        var calculation: [Section] = s.projects.map { profitShare($0, s) }
        if let payments = s.payments { calculation.append(outcomePayments(payments, s)) }
        if let sib = s.sib { calculation.append(sibSection(sib, s)) }
        calculation += Common.rateCardSections(s, lines: false)
        var outcomes: [Section] = [Common.targetsSection(s), Common.seriesSection(s)].compactMap { $0 }
        outcomes.insert(
            Section(
                "kpis", Phrase("KPI outcomes", "成果指標の実績"),
                Common.kpiBlocks(s) + [
                    .note(
                        Phrase(
                            "Every figure's source, line and calculation step is in the audit trail.",
                            "各数値の出典・行番号・計算手順は算定根拠書に記載しています。"))
                ]), at: 0)
        let sections = Common.municipalParts(outcomes: outcomes, calculation: calculation, amounts: [due(s)], s)
        let year = FiscalYearName(s.fiscalYear)
        return Document(
            kind: .settlement,
            title: Phrase("Annual settlement — \(year.display(.en))", "成果連動支払額算定書 — \(year.display(.ja))"),
            settlement: s, header: Common.header(s), sections: sections)
    }

    /// Every amount due this year, payer to payee, with a total that ties out.
    static func due(_ s: Settlement) -> Section {
        var table = Table(
            "due",
            [
                Column("payer", Phrase("Payer", "委託者")), Column("payee", Phrase("Payee", "受託者（債権者）")),
                Column("clause", Phrase("Clause", "支払項目")), Column("kind", Phrase("Kind", "区分")),
                Common.amountColumn("amount", Phrase("Amount", "金額"), s), Column("step", Phrase("Step", "手順")),
            ])
        var amounts: [ExactDecimal] = []
        var fixed: [ExactDecimal] = []
        var byPayer: [(Settlement.PartyReference, ExactDecimal)] = []
        func add(_ payer: Settlement.PartyReference, _ amount: ExactDecimal, fixedPart: Bool = false) {
            amounts.append(amount)
            if fixedPart { fixed.append(amount) }
            if let index = byPayer.firstIndex(where: { $0.0.id == payer.id }) {
                byPayer[index].1 = (try? byPayer[index].1.adding(amount)) ?? byPayer[index].1
            } else {
                byPayer.append((payer, amount))
            }
        }
        let outcomeLinked = Phrase("outcome-linked", "成果連動")
        for project in s.projects {
            for allocation in project.allocations where allocation.party.id != project.payer.id {
                table.rows.append([
                    .phrase(Common.partyName(project.payer)), .phrase(Common.partyName(allocation.party)),
                    .phrase(Phrase("Profit share: ", "成果配分：") + Phrase(project.name, fallback: project.id)),
                    .phrase(outcomeLinked), .amount(allocation.amount), .text(allocation.step),
                ])
                add(project.payer, allocation.amount)
            }
        }
        for payment in s.payments ?? [] {
            let payees = Phrase.joined(payment.payees.map { Common.partyName($0.party) }, separator: ", ")
            for payer in payment.payers {
                table.rows.append([
                    .phrase(Common.partyName(payer.party)), .phrase(payees),
                    .phrase(Common.paymentName(payment)),
                    .phrase(Common.dueKind(payment)), .amount(payer.amount), .text(payment.step),
                ])
                // A fixed sum behind conditions depends on outcomes: not part of the fixed total.
                add(payer.party, payer.amount, fixedPart: payment.rule == "fixed" && payment.conditions == nil)
            }
        }
        table.totals = [
            [
                .phrase(
                    s.paymentYear.timing == .next
                        ? Phrase("Total due", "支払額合計") : Phrase("Total due this year", "本年度支払額合計")),
                .empty, .empty, .empty, Common.sum(amounts), .empty,
            ]
        ]
        if !fixed.isEmpty && fixed.count < amounts.count {
            // Both kinds are due: show the fixed and outcome-linked parts before the total.
            let linked =
                (try? ExactDecimal.sum(amounts).subtracting(ExactDecimal.sum(fixed))).map(Cell.amount) ?? .empty
            table.totals.insert(
                contentsOf: [
                    [.phrase(Phrase("of which fixed", "うち固定支払（成果非連動）")), .empty, .empty, .empty, Common.sum(fixed), .empty],
                    [.phrase(Phrase("of which outcome-linked", "うち成果連動")), .empty, .empty, .empty, linked, .empty],
                ], at: 0)
        }
        // A contract of KPI targets only (a plan's KPI table) owes nothing: say so rather than
        // print an empty table. Otherwise a settled year has a project or a payment.
        if table.rows.isEmpty, s.projects.isEmpty, (s.payments ?? []).isEmpty {
            return Section(
                "due", dueTitle(s),
                [
                    .note(
                        Phrase(
                            "Nothing is due: this contract's KPI targets carry no payment.",
                            "支払はありません。本契約の成果指標の目標に支払は伴いません。"))
                ])
        }
        var blocks: [Block] = [.table(table)]
        if let total = try? ExactDecimal.sum(amounts) {
            var facts = Common.inCurrency(total, s).map {
                [Fact("totalInCurrency", Phrase("Total due in the currency", "支払額合計（円単位）"), .phrase($0))]
            } ?? []
            facts += Common.taxFacts(total, s) + Common.invoiceFacts(s)
            if !facts.isEmpty { blocks.append(.facts(facts)) }
        }
        if byPayer.count > 1 {
            var payers = Table(
                "byPayer",
                [Column("payer", Phrase("Payer", "委託者")), Common.amountColumn("amount", Phrase("Amount", "金額"), s)])
            payers.rows = byPayer.map { [.phrase(Common.partyName($0.0)), .amount($0.1)] }
            payers.totals = [[.phrase(Phrase("Total", "合計")), Common.sum(byPayer.map(\.1))]]
            blocks.append(.table(payers))
        }
        if let paid = s.paymentTotals {
            var facts = [
                Fact("paidBefore", Phrase("Payments in earlier years", "前年度までの支払累計"), .amount(paid.paidBefore)),
                Fact(
                    "paidThisYear",
                    s.paymentYear.timing == .next
                        ? Phrase("Payments for this year's outcomes", "本年度成果に係る支払")
                        : Phrase("Payments this year", "本年度の支払"), .amount(paid.paidThisYear)),
                Fact("paidToDate", Phrase("Payments to date", "支払累計"), .amount(paid.paidToDate)),
            ]
            if let maximum = paid.maximum {
                facts.append(Fact("maximum", Phrase("Contract maximum", "支払上限額"), .amount(maximum)))
            }
            if let minimum = paid.minimum {
                facts.append(Fact("minimum", Phrase("Contract minimum", "最低支払額"), .amount(minimum)))
            }
            if let remaining = paid.remaining, let maximum = paid.maximum {
                if s.fiscalYear.lastOfTerm == true {
                    // The term is over: what was not paid is unused (不用額), not still available.
                    if let rate = try? RoundingRule(increment: ExactDecimal(significand: 1, scale: 3), mode: .halfUp)
                        .rounded(paid.paidToDate, dividedBy: maximum)
                    {
                        facts.append(Fact("executionRate", Phrase("Share of the maximum paid", "執行率"), .ratio(rate)))
                    }
                    facts.append(Fact("unused", Phrase("Unused at the end of the term", "不用額"), .amount(remaining)))
                } else {
                    facts.append(Fact("remaining", Phrase("Remaining under the maximum", "上限までの残額"), .amount(remaining)))
                }
            }
            blocks.append(.facts(facts))
        }
        if let cap = s.rewardCap {
            blocks.append(
                .facts([
                    Fact(
                        "rewardMaximum", Phrase("Reward maximum over the term", "成果報酬の上限（期間通算）"), .amount(cap.maximum)),
                    Fact(
                        "rewardsBefore", Phrase("Rewards paid in earlier years", "前年度までの成果報酬"),
                        .amount(cap.paidBefore)),
                    Fact(
                        "rewardsBeforeCap", Phrase("Rewards this year before the maximum", "上限適用前の本年度成果報酬"),
                        .amount(cap.beforeCap)),
                    Fact(
                        "rewardsCut", Phrase("Cut by the maximum (not paid)", "上限による減額（支払わない額）"),
                        .amount(cap.cut)),
                    Fact(
                        "rewardsRemaining", Phrase("Remaining under the reward maximum", "成果報酬上限までの残額"),
                        .amount(cap.remaining)),
                ]))
        }
        return Section("due", dueTitle(s), blocks)
    }

    /// The amounts section's title: this year's, or — when the outcomes are paid from the
    /// next fiscal year's budget — the outcome year's amounts and the year that pays them.
    static func dueTitle(_ s: Settlement) -> Phrase {
        guard s.paymentYear.timing == .next else { return Phrase("Amounts due this year", "本年度の支払額") }
        let outcome = FiscalYearName(s.fiscalYear), payment = FiscalYearName(s.paymentYear.fiscalYear)
        return Phrase(
            "Amounts due for the outcomes of \(outcome.display(.en)), paid in \(payment.display(.en))",
            "\(outcome.japanese ?? outcome.display(.ja))成果に係る支払額（\(payment.japanese ?? payment.display(.ja))支出）")
    }

    /// One project's attributable improvement and how it is split.
    static func profitShare(_ project: Settlement.ProjectSettlement, _ s: Settlement) -> Section {
        var attribution = Table(
            "attribution",
            [
                Column("kpi", Phrase("KPI", "指標")),
                Common.amountColumn("fiscalImprovement", Phrase("Fiscal improvement", "財政効果"), s),
                Column("share", Phrase("Attributed share", "寄与率")),
                Common.amountColumn("attributable", Phrase("Attributable", "寄与額"), s),
                Column("step", Phrase("Step", "手順")),
            ])
        attribution.rows = project.attributions.map {
            [.phrase(Common.kpiName($0.kpi, s)), .amount($0.fiscalImprovement), .ratio($0.share), .amount($0.attributable), .text($0.step)]
        }
        attribution.totals = [
            [
                .phrase(Phrase("Amount to split (rounded)", "配分対象額（端数処理後）")), .empty, .empty,
                .amount(project.attributable), .text(project.step),
            ]
        ]
        var split = Table(
            "split",
            [
                Column("party", Phrase("Party", "当事者")), Column("role", Phrase("Role", "役割")),
                Column("share", Phrase("Share", "配分率")),
                Common.amountColumn("exact", Phrase("Exact", "端数処理前"), s),
                Common.amountColumn("amount", Phrase("Amount", "金額"), s),
                Column("step", Phrase("Step", "手順")),
            ])
        split.rows = project.allocations.map { allocation in
            let role =
                allocation.party.id == project.payer.id
                ? Phrase("fiscal benefit kept by the public sector (not paid)", "公共セクターに帰属する財政効果（支払なし）")
                : Phrase("provider reward", "事業者への成果報酬")
            return [
                .phrase(Common.partyName(allocation.party)), .phrase(role), .ratio(allocation.share),
                .amount(allocation.exact),
                .amount(allocation.amount), .text(allocation.step),
            ]
        }
        split.totals = [
            [
                .phrase(Phrase("Amount split (sum of the parts)", "配分対象額（内訳の合計）")), .empty, .empty, .empty,
                Common.sum(project.allocations.map(\.amount)),
                .empty,
            ]
        ]
        var blocks: [Block] = [.table(attribution), .table(split)]
        blocks += notes(project, s)
        let title =
            Phrase("Profit share: ", "成果配分：") + Phrase(project.name, fallback: project.id)
            + Phrase(" (payer: \(Common.partyName(project.payer).en))", "（委託者：\(Common.partyName(project.payer).ja)）")
        return Section("project-\(project.id)", title, blocks)
    }

    /// What the negative-improvement policy, claw-backs and the reward maximum did.
    static func notes(_ project: Settlement.ProjectSettlement, _ s: Settlement) -> [Block] {
        var blocks: [Block] = []
        let net = Common.amountText(project.netAttributable, s)
        if project.flooredAtZero {
            blocks.append(
                .note(
                    Phrase(
                        "Net attributable \(net) is negative: nothing is paid this year.",
                        "寄与額の純額 \(net) が負のため、本年度の支払はありません。")))
        }
        if let carriedIn = project.carriedIn, let carriedOut = project.carriedOut {
            // A shortfall is said as a shortfall of a positive size: no minus sign on a 不足額.
            let inText = Common.amountText(carriedIn.magnitude, s), outText = Common.amountText(carriedOut.magnitude, s)
            blocks.append(
                .note(
                    s.fiscalYear.lastOfTerm == true
                        ? Phrase(
                            """
                            Carry-forward: shortfall brought from earlier years \(inText); shortfall left at the \
                            end of the term \(outText) (the term has no later year).
                            """,
                            "欠損額の引継ぎ：前年度から引き継いだ欠損額 \(inText)、契約期間終了時に残る欠損額 \(outText)（翌年度はありません）。")
                        : Phrase(
                            """
                            Carry-forward: shortfall brought from earlier years \(inText); carried to next year \
                            \(outText).
                            """,
                            "欠損額の引継ぎ：前年度から引き継いだ欠損額 \(inText)、翌年度以降の効果額から控除する欠損額 \(outText)。")))
        }
        for allocation in project.allocations {
            if let clawback = allocation.clawback {
                let value = Common.amountText(clawback.magnitude, s)
                blocks.append(
                    .note(
                        clawback.signum < 0
                            ? Phrase(
                                """
                                Claw-back: \(value) deducted from \(Common.partyName(allocation.party).en)'s reward for earlier \
                                shortfalls.
                                """,
                                "控除：過去の不足分として\(Common.partyName(allocation.party).ja)の成果報酬から \(value) を差し引く（市への納付は不要）。")
                            : Phrase(
                                "Claw-back: \(Common.partyName(allocation.party).en) keeps \(value) deducted from provider rewards.",
                                "控除：事業者の成果報酬から差し引いた \(value) は\(Common.partyName(allocation.party).ja)の支払額に含まれない。")))
            }
            if let cut = allocation.rewardCapCut {
                let value = Common.amountText(cut.magnitude, s)
                blocks.append(
                    .note(
                        cut.signum < 0
                            ? Phrase(
                                "Reward maximum: \(value) cut from \(Common.partyName(allocation.party).en)'s reward.",
                                "成果報酬上限：\(Common.partyName(allocation.party).ja)の成果報酬から \(value) を減額。")
                            : Phrase(
                                "Reward maximum: \(Common.partyName(allocation.party).en) keeps \(value) cut from provider rewards.",
                                "成果報酬上限：減額分 \(value) は支払わない（\(Common.partyName(allocation.party).ja)の支払額に含まれない）。")))
            }
        }
        if let owed = project.clawbackOwed {
            let list = { (language: Language) in
                owed.map { "\(Common.partyName($0.party).text(language)) \(Common.amountText($0.amount, s))" }
                    .joined(separator: language == .ja ? "、" : ", ")
            }
            blocks.append(
                .note(
                    Phrase(
                        "Claw-back still owed after this year: \(list(.en)).",
                        "本年度末時点の控除未済額（次年度以降の成果報酬から差し引く額。市への納付は不要）：\(list(.ja))。")))
        }
        return blocks
    }

    /// The outcome payments of the year: rule, outcome, caps, amount.
    static func outcomePayments(_ payments: [Settlement.PaymentOutcome], _ s: Settlement) -> Section {
        var table = Table(
            "payments",
            [
                Column("payment", Phrase("Payment", "支払")), Column("rule", Phrase("Rule", "算定方式")),
                Column("kpi", Phrase("Outcome measure", "成果指標")),
                Column("outcome", Phrase("Outcome", "実績値")), Common.amountColumn("byRule", Phrase("By rule", "算定額"), s),
                Common.amountColumn("cut", Phrase("Cut by caps", "上限による減額"), s),
                Common.amountColumn("amount", Phrase("Paid", "支払額"), s),
                Column("step", Phrase("Step", "手順")),
            ])
        // A rate card's caps per participant are caps too: priced before them, cut by them.
        table.rows = payments.map { payment in
            [
                .phrase(Common.paymentName(payment)), .phrase(Common.ruleName(payment)),
                payment.kpi.map { .phrase(Common.kpiName($0, s)) } ?? .empty,
                payment.outcome.map { .number($0.value) } ?? .empty,
                .amount(payment.pricedBeforeCaps), .amount(payment.cutByAllCaps), .amount(payment.amount),
                .text(payment.step),
            ]
        }
        table.totals = [
            [
                .phrase(Phrase("Total", "合計")), .empty, .empty, .empty, Common.sum(payments.map(\.pricedBeforeCaps)),
                Common.sum(payments.map(\.cutByAllCaps)), Common.sum(payments.map(\.amount)), .empty,
            ]
        ]
        var blocks: [Block] = [.table(table)]
        // Each item's own maximum (支払上限額 per item), beside the contract's in the amounts due.
        let capped = payments.filter { $0.cap != nil }
        if !capped.isEmpty {
            var maxima = Table(
                "maxima",
                [
                    Column("payment", Phrase("Payment", "支払項目")),
                    Common.amountColumn("maximum", Phrase("Maximum for the item", "支払項目の支払上限額"), s),
                ])
            maxima.rows = capped.compactMap { payment in
                payment.cap.map { [.phrase(Common.paymentName(payment)), .amount($0)] }
            }
            blocks.append(.table(maxima))
        }
        blocks += Common.measureNotes(payments, s)
        if payments.isEmpty {
            blocks.append(.note(Phrase("No outcome payment falls due this year.", "本年度に支払期日の到来する成果連動支払はありません。")))
        }
        for payment in payments where payment.payers.count > 1 || payment.payees.count > 1 {
            var split = Table(
                "split-\(payment.id)",
                [
                    Column("side", Phrase("Side", "区分")), Column("party", Phrase("Party", "当事者")),
                    Column("share", Phrase("Share", "負担・配分率")),
                    Common.amountColumn("amount", Phrase("Amount", "金額"), s),
                ])
            split.rows =
                payment.payers.map {
                    [
                        .phrase(Phrase("pays", "支払")), .phrase(Common.partyName($0.party)), .ratio($0.share),
                        .amount($0.amount),
                    ]
                }
                + payment.payees.map {
                    [
                        .phrase(Phrase("receives", "受取")), .phrase(Common.partyName($0.party)), .ratio($0.share),
                        .amount($0.amount),
                    ]
                }
            blocks.append(.note(Phrase("Payment \(payment.id) is shared:", "支払「\(Common.paymentName(payment).ja)」の負担・配分：")))
            blocks.append(.table(split))
        }
        // Fixed payments are declared among the rules too: the section is named for both.
        return Section("payments", Phrase("Payments by rule", "ルール別の支払"), blocks)
    }

    /// The social-impact-bond waterfall of the year.
    static func sibSection(_ sib: Settlement.SIBFlows, _ s: Settlement) -> Section {
        var investors = Table(
            "investors",
            [
                Column("investor", Phrase("Investor", "資金提供者")),
                Common.amountColumn("principal", Phrase("Principal", "資金提供額（元本）"), s),
                Common.amountColumn("principalThisYear", Phrase("Principal repaid this year", "本年度元本償還"), s),
                Common.amountColumn("returnThisYear", Phrase("Return this year", "本年度分配金"), s),
                Common.amountColumn("principalToDate", Phrase("Principal repaid to date", "元本償還累計"), s),
                Common.amountColumn("returnToDate", Phrase("Return to date", "分配金累計"), s),
            ])
        investors.rows = sib.investors.map {
            [
                .phrase(Common.partyName($0.party)), .amount($0.principal), .amount($0.principalThisYear),
                .amount($0.returnThisYear),
                .amount($0.principalToDate), .amount($0.returnToDate),
            ]
        }
        var flows = Table(
            "flows",
            [
                Column("flow", Phrase("Flow", "資金の流れ")), Common.amountColumn("thisYear", Phrase("This year", "本年度"), s),
                Common.amountColumn("toDate", Phrase("To date", "累計"), s),
            ])
        let intermediary = Common.partyName(sib.intermediary), residual = Common.partyName(sib.residual)
        flows.rows = [
            [
                .phrase(Phrase("Received by \(intermediary.en)", "\(intermediary.ja)の受領額")),
                .amount(sib.receivedThisYear), .amount(sib.receivedToDate),
            ],
            [
                .phrase(Phrase("Fee kept by \(intermediary.en)", "\(intermediary.ja)の手数料")), .amount(sib.feeThisYear),
                .amount(sib.feeToDate),
            ],
            [
                .phrase(Phrase("Left for \(residual.en)", "\(residual.ja)への残余")), .amount(sib.residualThisYear),
                .amount(sib.residualToDate),
            ],
        ]
        return Section(
            "sib", Phrase("Social impact bond waterfall (step \(sib.step))", "ソーシャル・インパクト・ボンドの配分（手順 \(sib.step)）"),
            [
                .note(
                    Phrase(
                        """
                        The city pays the intermediary only; what follows is the intermediary's distribution to \
                        its funders, not public spending.
                        """,
                        "市の支払は中間支援組織への支払のみです。以下は中間支援組織による資金提供者への分配の計算であり、市の支出ではありません。"))
            ] + Common.classBlocks(sib, s) + [.table(investors), .table(flows)])
    }
}
