import PFSModel
import PFSValue

/// The value-for-money document (`pfs value`): what the term so far is worth to the public
/// purse (benefit, payments made and due, the net, present values, the benefit-cost ratio,
/// the cost per outcome) and to a social impact bond's investors (each class's and
/// holder's flows, multiple and rate of return), and the budget envelope in present values.
public enum ValueStatement {
    /// The document of `assessment`, made from the settlements of `history` (the last is
    /// the year it is as of).
    public static func document(_ assessment: ValueAssessment, history: [Settlement]) -> Document? {
        guard let s = history.last else { return nil }
        var sections = [years(assessment, s), publicValue(assessment, s)]
        if !assessment.outcomeCosts.isEmpty { sections.append(outcomeCosts(assessment, s)) }
        if !assessment.investments.isEmpty { sections += investors(assessment, s) }
        if !assessment.future.isEmpty { sections.append(future(assessment, s)) }
        sections.append(schedule(assessment))
        // Numbered after the overview (1), as the other documents' parts are; 以上, then the
        // annex: where every figure can be checked from, each year's settlement digest too.
        sections = Common.closed(
            sections.enumerated().map { index, section in
                Section(
                    section.key, Phrase("\(index + 2) \(section.title.en)", "\(index + 2) \(section.title.ja)"),
                    section.blocks)
            }) + [annex(history)]
        let year = FiscalYearName(s.fiscalYear)
        var document = Document(
            kind: .value,
            title: Phrase("Value for money — to \(year.display(.en))", "費用対効果（VFM）— \(year.display(.ja))まで"),
            settlement: s, header: header(assessment, s), sections: sections)
        document.assessment = assessment
        return document
    }

    // MARK: Header

    static func header(_ a: ValueAssessment, _ s: Settlement) -> [Fact] {
        let first = FiscalYearName(a.baseYear, like: s.fiscalYear)
        let last = FiscalYearName(a.termLast, like: s.fiscalYear)
        let asOf = FiscalYearName(s.fiscalYear)
        let source: Phrase
        switch a.scheduleSource {
        case .contract: source = Phrase("declared by the contract (<value-for-money>)", "契約で定める（<value-for-money>）")
        case .command: source = Phrase("named on the command line (--discount)", "コマンドで指定（--discount）")
        case .standard:
            source = Phrase(
                "neither the contract nor the command names one: Japan's 4%",
                "契約にもコマンドにも定めがないため、社会的割引率4%")
        }
        return [
            Fact("title", Phrase("Contract", "契約件名"), .phrase(Phrase(s.contract.title, fallback: s.contract.id))),
            Fact("contract", Phrase("Contract id", "契約ID"), .text(s.contract.id)),
            Fact(
                "term", Phrase("Term", "契約期間"),
                .phrase(Phrase("\(first.display(.en)) to \(last.display(.en))", "\(first.display(.ja))〜\(last.display(.ja))"))),
            Fact("asOf", Phrase("Settled to", "評価対象（精算済み）"), .fiscalYear(asOf)),
            Fact("amounts", Phrase("Amounts in", "金額の単位"), .phrase(Common.unit(s.amounts))),
            Fact(
                "schedule", Phrase("Discount rate schedule", "割引率"),
                .phrase(Phrase(a.schedule.name, a.schedule.nameJA))),
            Fact("scheduleSource", Phrase("Schedule named", "割引率の根拠"), .phrase(source)),
            Fact("terms", Phrase("Prices", "価格基準"), .phrase(terms(a.schedule.terms))),
            Fact(
                "base", Phrase("Discounted to", "現在価値の基準時点"),
                .phrase(Phrase("the start of \(first.display(.en)) (year 0)", "\(first.display(.ja))の期首（0年目）"))),
            Fact("rateDigits", Phrase("Rates found to (decimal places of a ratio)", "収益率の精度（小数点以下の桁数）"), .integer(a.rateDigits)),
        ]
    }

    static func terms(_ terms: DiscountTerms) -> Phrase {
        switch terms {
        case .real: return Phrase("real (constant prices; the amounts are taken as they are)", "実質（不変価格。金額はそのまま用いる）")
        case .nominal: return Phrase("nominal (prices of each year)", "名目（各年度の価格）")
        }
    }

    // MARK: Year by year

    static func years(_ a: ValueAssessment, _ s: Settlement) -> Section {
        var table = Table(
            "years",
            [
                Column("fiscalYear", Phrase("Outcome year", "成果対象年度")),
                Column("paymentYear", Phrase("Paid from", "支払年度")),
                Column("state", Phrase("Payment", "支払状況")),
                Common.amountColumn("benefit", benefitTitle(a), s),
                Common.amountColumn("payments", Phrase("Outcome payments", "成果連動支払額"), s),
                Common.amountColumn("net", Phrase("Public net", "公共の純便益"), s),
            ])
        var present = Table(
            "presentValues",
            [
                Column("fiscalYear", Phrase("Outcome year", "成果対象年度")),
                Column("factor", Phrase("Factor (benefit)", "割引係数（便益）")),
                Column("paymentFactor", Phrase("Factor (payment)", "割引係数（支払）")),
                Common.amountColumn("presentBenefit", Phrase("PV benefit", "便益の現在価値"), s),
                Common.amountColumn("presentPayments", Phrase("PV payments", "支払の現在価値"), s),
                Common.amountColumn("presentNet", Phrase("PV net", "純便益の現在価値"), s),
            ])
        for year in a.years {
            let name = Cell.fiscalYear(FiscalYearName(year.year, like: s.fiscalYear))
            table.rows.append([
                name, .fiscalYear(FiscalYearName(year.paymentYear, like: s.fiscalYear)), .phrase(state(year.state)),
                .amount(year.benefit), .amount(year.payments), .amount(year.net),
            ])
            present.rows.append([
                name, rounded(year.factor, digits: factorDigits, as: .number),
                rounded(year.paymentFactor, digits: factorDigits, as: .number),
                rounded(year.presentBenefit, as: .amount), rounded(year.presentPayments, as: .amount),
                rounded(year.presentNet, as: .amount),
            ])
        }
        let total = Cell.phrase(Phrase("Total", "合計"))
        table.totals = [[total, .empty, .empty, .amount(a.totalBenefit), .amount(a.totalPayments), .amount(a.totalNet)]]
        present.totals = [[
            total, .empty, .empty, rounded(a.presentBenefit, as: .amount), rounded(a.presentPayments, as: .amount),
            rounded(a.netPresentValue, as: .amount),
        ]]
        let factorNote = Phrase(
            """
            A year's benefit counts at the end of its fiscal year, its payment at the end of the fiscal year that \
            pays it; the discount factor of period t is the product of 1 ÷ (1 + rate) over years 1 to t. Present \
            values are exact fractions, shown to the currency's decimals, half away from zero as a spreadsheet \
            shows them (≈ where rounding changed them); totals add the exact values.
            """,
            """
            便益は成果対象年度の期末に、支払は支払年度の期末に計上し、t年目の割引係数は1年目からt年目までの 1 ÷（1 ＋ 割引率）の積です。\
            現在価値は分数で正確に計算し、通貨の桁数に四捨五入で表示しています（丸めた値には「約」を付けています）。合計は丸める前の値の和です。
            """)
        return Section(
            "years", Phrase("Year by year", "年度別の便益と支払"),
            [.table(table), .note(benefitNote(a)), .table(present), .note(factorNote)])
    }

    /// Decimal places of a discount factor shown.
    static let factorDigits = 6

    static func benefitTitle(_ a: ValueAssessment) -> Phrase {
        switch a.benefitSource {
        case .attributable: return Phrase("Attributable improvement", "事業に帰属する改善額")
        case .fiscalImprovement, .none: return Phrase("Fiscal improvement", "財政効果")
        }
    }

    static func benefitNote(_ a: ValueAssessment) -> Phrase {
        switch a.benefitSource {
        case .attributable:
            return Phrase(
                """
                The benefit is the fiscal improvement attributable to the contract's projects (what the providers' \
                share is taken of); the public sector keeps the rest after the outcome payments.
                """,
                "便益は契約の事業に帰属する財政効果（成果配分の基礎）で、成果連動支払額を除いた残りが公共に残ります。")
        case .fiscalImprovement:
            return Phrase(
                "The benefit is the fiscal improvement of the KPIs valued in money, as the settlements compute it.",
                "便益は金額換算された成果指標の財政効果で、各年度の精算書の算定によります。")
        case .none:
            return Phrase(
                """
                No KPI of this contract is valued in money, so no saving is stated: the public net is the payments' \
                cost alone, and the cost per outcome is the measure of value.
                """,
                "この契約の成果指標は金額換算されていないため、財政効果は計上していません。公共の純便益は支払額のみとなり、成果1単位当たりの費用が価値の尺度です。")
        }
    }

    static func state(_ state: ValueAssessment.PaymentState) -> Phrase {
        switch state {
        case .paid: return Phrase("paid", "支払済み")
        case .partlyPaid: return Phrase("partly paid", "一部支払済み")
        case .nothingDue: return Phrase("nothing due", "支払なし")
        case .due: return Phrase("due", "未払い")
        case .settled: return Phrase("settled", "精算済み")
        }
    }

    // MARK: The public sector's value

    static func publicValue(_ a: ValueAssessment, _ s: Settlement) -> Section {
        var facts = [
            Fact("totalBenefit", benefitTitle(a) + Phrase(", total", "（合計）"), .amount(a.totalBenefit)),
            Fact("totalPayments", Phrase("Outcome payments, total", "成果連動支払額（合計）"), .amount(a.totalPayments)),
            Fact("totalNet", Phrase("Public net, total", "公共の純便益（合計）"), .amount(a.totalNet)),
            Fact("presentBenefit", Phrase("Present value of the benefit", "便益の現在価値"), rounded(a.presentBenefit, as: .amount)),
            Fact("presentPayments", Phrase("Present value of the payments", "支払の現在価値"), rounded(a.presentPayments, as: .amount)),
            Fact("netPresentValue", Phrase("Net present value to the public sector", "公共の純現在価値（NPV）"), rounded(a.netPresentValue, as: .amount)),
        ]
        if let ratio = a.benefitCostRatio {
            facts.append(Fact("benefitCostRatio", Phrase("Benefit-cost ratio (PV benefit ÷ PV payments)", "費用便益比（B/C）"), rounded(ratio, as: .number)))
        } else {
            let why =
                a.benefitSource == .none
                ? Phrase("none: the contract states no saving", "算定なし（財政効果の定めがない）")
                : Phrase("none: nothing was paid", "算定なし（支払がない）")
            facts.append(Fact("benefitCostRatio", Phrase("Benefit-cost ratio", "費用便益比（B/C）"), .phrase(why)))
        }
        var blocks: [Block] = [.facts(facts)]
        if let paid = a.totalPaid, let due = a.totalDue {
            blocks.append(
                .facts([
                    Fact("paid", Phrase("Payments made (paid in the register)", "支払済み（台帳で支払確認）"), .amount(paid)),
                    Fact("due", Phrase("Payments due (not yet paid)", "未払い"), .amount(due)),
                ]))
        } else {
            blocks.append(
                .note(
                    Phrase(
                        "No register was named: the payments are the settled amounts; `--register` tells made from due.",
                        "台帳が指定されていないため、支払額は精算額です（--register で支払済みと未払いを区別します）。")))
        }
        if a.asOf < a.termLast {
            blocks.append(
                .note(
                    Phrase(
                        "The term is not over: these are the years settled so far; the envelope below bounds the rest.",
                        "契約期間の途中です。精算済みの年度までの値で、残りの年度は後述の支払見込みの範囲によります。")))
        }
        return Section("publicValue", Phrase("Value to the public sector", "公共にとっての価値"), blocks)
    }

    // MARK: Cost per outcome

    static func outcomeCosts(_ a: ValueAssessment, _ s: Settlement) -> Section {
        var table = Table(
            "outcomeCosts",
            [
                Column("kpi", Phrase("KPI", "成果指標")), Column("basis", Phrase("Outcome counted", "成果の数え方")),
                Column("achieved", Phrase("Outcomes achieved", "成果（累計）")),
                Column("unit", Phrase("Unit", "単位")),
                Common.amountColumn("payments", Phrase("Payments tied to it", "対応する支払額"), s),
                Common.amountColumn("costPerOutcome", Phrase("Cost per unit of outcome", "成果1単位当たりの費用"), s),
            ])
        for cost in a.outcomeCosts {
            table.rows.append([
                .phrase(Phrase(cost.name, fallback: cost.kpi)), .phrase(basis(cost.basis)),
                cost.basis == .rate ? .empty : .number(cost.achieved), .phrase(UnitName.phrase(cost.unit)),
                .amount(cost.payments), costCell(cost),
            ])
        }
        return Section(
            "outcomeCosts", Phrase("Cost per outcome", "成果1単位当たりの費用"),
            [
                .table(table),
                .note(
                    Phrase(
                        """
                        A KPI's payments are those its payment rules pay and the providers' share of projects \
                        attributed to it alone. Its outcomes are its improvement on the counterfactual added up over \
                        the years settled, or, where it declares no counterfactual, its actual values added up (a \
                        rate's are not: rates of different years do not add up). The cost is shown to two places \
                        more than amounts.
                        """,
                        """
                        成果指標に対応する支払額は、その指標による支払と、その指標のみに帰属する事業の成果配分です。成果は精算済み各年度の改善量\
                        （見込みとの差）の合計で、見込みの定めがない指標は実績値の合計です（率は年度間で合計できないため算定しません）。\
                        費用は金額より2桁多く表示しています。
                        """)),
            ])
    }

    static func basis(_ basis: ValueAssessment.OutcomeBasis) -> Phrase {
        switch basis {
        case .improvement: return Phrase("improvement", "改善量")
        case .actual: return Phrase("actual values", "実績値")
        case .rate: return Phrase("a rate: not added", "率（合計しない）")
        }
    }

    static func costCell(_ cost: ValueAssessment.OutcomeCost) -> Cell {
        if let shown = cost.costPerOutcome { return rounded(shown, as: .amount) }
        if cost.basis == .rate { return .phrase(Phrase("none: a rate", "算定なし（率）")) }
        if cost.achieved.signum <= 0 { return .phrase(Phrase("none: no outcome achieved", "算定なし（成果なし）")) }
        return .phrase(Phrase("none: no payment tied to it alone", "算定なし（単独で対応する支払なし）"))
    }

    // MARK: Investors

    static func investors(_ a: ValueAssessment, _ s: Settlement) -> [Section] {
        var table = Table(
            "investments",
            [
                Column("kind", Phrase("Kind", "区分")), Column("name", Phrase("Investor or class", "資金提供者・クラス")),
                Common.amountColumn("principal", Phrase("Principal", "元本"), s),
                Common.amountColumn("principalRepaid", Phrase("Repaid", "元本償還額"), s),
                Common.amountColumn("returnPaid", Phrase("Return paid", "分配金"), s),
                Common.amountColumn("principalLost", Phrase("Lost", "元本毀損額"), s),
                Column("multiple", Phrase("Multiple", "倍率")),
                Column("rateOfReturn", Phrase("IRR", "内部収益率")),
            ])
        for investment in a.investments {
            table.rows.append([
                .phrase(kind(investment.kind)), .phrase(name(investment)), .amount(investment.principal),
                .amount(investment.principalRepaid), .amount(investment.returnPaid), .amount(investment.principalLost),
                investment.multiple.map { rounded($0, as: .number) } ?? .empty, rateCell(investment),
            ])
        }
        var blocks: [Block] = [.table(table)]
        for investment in a.investments where investment.principalLost.signum > 0 {
            let lost = Common.amountText(investment.principalLost, s)
            let who = name(investment)
            blocks.append(
                .note(Phrase("\(who.en) lost \(lost) of its principal.", "\(who.ja)は元本のうち\(lost)を毀損しました。")))
        }
        for investment in a.investments {
            if let why = noRate(investment.rateOfReturn) {
                let who = name(investment)
                blocks.append(.note(Phrase("\(who.en): \(why.en)", "\(who.ja)：\(why.ja)")))
            }
        }
        blocks.append(
            .note(
                Phrase(
                    """
                    Multiple: what came back ÷ principal. IRR (internal rate of return): the one rate at which the \
                    flows' present value is zero, found by bisection on exact fractions (≈ where it is not a \
                    decimal of the places shown). Principal is paid in at year 0; what the waterfall pays back \
                    counts at the end of the fiscal year whose budget pays it.
                    """,
                    """
                    倍率は回収額÷元本です。内部収益率はキャッシュフローの現在価値を0にする唯一の割引率で、分数による二分法で求めています\
                    （表示桁で割り切れない場合は「約」）。元本は0年目に拠出し、ウォーターフォールによる回収は支払年度の期末に計上しています。
                    """)))
        if a.asOf < a.termLast {
            blocks.append(
                .note(
                    Phrase(
                        "The bond has not matured: principal not yet repaid counts as not received.",
                        "償還期限前のため、未償還の元本は回収されていないものとして計算しています。")))
        }
        var flows = Table(
            "investmentFlows",
            [
                Column("name", Phrase("Investor or class", "資金提供者・クラス")), Column("period", Phrase("Year", "年目")),
                Column("fiscalYear", Phrase("Fiscal year", "年度")), Common.amountColumn("flow", Phrase("Flow", "キャッシュフロー"), s),
            ])
        for investment in a.investments {
            for (period, amount) in investment.flows.amounts.sorted(by: { $0.key < $1.key }) {
                flows.rows.append([
                    .phrase(name(investment)), .integer(period),
                    period == 0
                        ? .phrase(Phrase("start of term", "期首"))
                        : .fiscalYear(FiscalYearName(a.baseYear + period - 1, like: s.fiscalYear)),
                    .amount(amount),
                ])
            }
        }
        return [
            Section("investors", Phrase("Investors' returns", "資金提供者の収益"), blocks),
            Section(
                "investorFlows", Phrase("Investors' cash flows", "資金提供者のキャッシュフロー"),
                [.table(flows), .note(Phrase("Paid in is negative, received positive.", "拠出は負、回収は正で示しています。"))]),
        ]
    }

    /// An investor's or class's name in both languages, its id where it has none.
    static func name(_ investment: ValueAssessment.Investment) -> Phrase { Phrase(investment.name, fallback: investment.id) }

    static func kind(_ kind: ValueAssessment.Investment.Kind) -> Phrase {
        switch kind {
        case .investor: return Phrase("investor", "資金提供者")
        case .capitalClass: return Phrase("class", "クラス")
        case .holder: return Phrase("holder", "保有者")
        }
    }

    static func rateCell(_ investment: ValueAssessment.Investment) -> Cell {
        if let shown = investment.shownRate { return rounded(shown, as: .ratio) }
        return .phrase(Phrase("none", "算定不能"))
    }

    /// Why the flows have no one rate of return; nil when they have one.
    static func noRate(_ rate: ReturnRate) -> Phrase? {
        switch rate {
        case .exact, .approximately: return nil
        case .noRoot:
            return Phrase("no rate of return: no rate makes the flows' value zero.", "内部収益率なし（現在価値を0にする率がない）。")
        case .severalRoots(let count):
            return Phrase(
                "no one rate of return: \(count) rates make the flows' value zero.",
                "内部収益率を一つに定められません（現在価値を0にする率が\(count)つある）。")
        case .touchesZero:
            return Phrase(
                "no rate of return: the flows' value touches zero without crossing it.",
                "内部収益率なし（現在価値が0に接するのみ）。")
        }
    }

    // MARK: Future payments

    static func future(_ a: ValueAssessment, _ s: Settlement) -> Section {
        var table = Table(
            "future",
            [
                Column("fiscalYear", Phrase("Outcome year", "成果対象年度")),
                Column("paymentYear", Phrase("Paid from", "支払年度")),
                Common.amountColumn("least", Phrase("Least", "最小"), s),
                Common.amountColumn("most", Phrase("Most", "最大"), s),
                Column("factor", Phrase("Discount factor", "割引係数")),
                Common.amountColumn("presentLeast", Phrase("PV least", "最小の現在価値"), s),
                Common.amountColumn("presentMost", Phrase("PV most", "最大の現在価値"), s),
            ])
        let uncapped = Cell.phrase(Phrase("no cap", "上限なし"))
        for year in a.future {
            table.rows.append([
                .fiscalYear(FiscalYearName(year.year, like: s.fiscalYear)),
                .fiscalYear(FiscalYearName(year.paymentYear, like: s.fiscalYear)),
                .amount(year.least), year.most.map { .amount($0) } ?? uncapped,
                rounded(year.factor, digits: factorDigits, as: .number), rounded(year.presentLeast, as: .amount),
                year.presentMost.map { rounded($0, as: .amount) } ?? uncapped,
            ])
        }
        return Section(
            "future", Phrase("Future payments (budget envelope)", "今後の支払見込み（予算の範囲）"),
            [
                .table(table),
                .note(
                    Phrase(
                        "The least and the most the rules allow in each year after the last settled, as `pfs portfolio`'s envelope gives them, and their worth at year 0.",
                        "最終精算年度より後の各年度について、支払条件が許す最小額と最大額（pfs portfolio の予算見込みと同じ）とその現在価値です。")),
            ])
    }

    // MARK: Discount schedule

    static func schedule(_ a: ValueAssessment) -> Section {
        var table = Table(
            "schedule",
            [Column("fromYear", Phrase("From year", "適用開始（年目）")), Column("rate", Phrase("Rate", "割引率"))])
        for step in a.schedule.steps { table.rows.append([.integer(step.from), .ratio(step.rate)]) }
        return Section(
            "schedule", Phrase("Discount rate schedule", "割引率"),
            [.table(table), .note(Phrase("Each rate holds from its year until the next one's.", "各割引率は適用開始年から次の割引率の開始前まで適用します。"))])
    }

    // MARK: Annex

    /// The last settlement's technical annex, and the digest of every year's settlement the
    /// document adds up.
    static func annex(_ history: [Settlement]) -> Section {
        guard let last = history.last else { return Section("technical", Phrase("Annex", "別紙")) }
        var section = Common.technicalSection(last)
        var digests = Table(
            "settlementDigests",
            [Column("fiscalYear", Phrase("Outcome year", "成果対象年度")), Column("digest", Phrase("Settlement digest (SHA-256)", "算定結果ダイジェスト（SHA-256）"))])
        for settlement in history {
            digests.rows.append([.fiscalYear(FiscalYearName(settlement.fiscalYear)), .text(SettlementDigest.of(settlement))])
        }
        section.blocks.append(.table(digests))
        return section
    }

    // MARK: Cells

    static func rounded(_ shown: ValueAssessment.Shown, as style: Cell.Rounded) -> Cell {
        .rounded(shown.value, exact: shown.isExact, as: style)
    }

    static func rounded(_ value: Rational, digits: Int, as style: Cell.Rounded) -> Cell {
        guard let shown = value.rounded(digits: digits) else { return .empty }
        return .rounded(shown.value, exact: shown.exact, as: style)
    }
}

extension ValueBasis {
    /// The basis in a value document's JSON (`basis`), which `pfs verify` reads back.
    var json: JSONValue {
        .object([
            ("asOf", .int(asOf)), ("discount", .string(discount.rawValue)), ("declining", .bool(declining)),
            (
                "rates",
                .array(steps.map { .object([("fromYear", .int($0.from)), ("rate", .string($0.rate.description))]) })
            ),
            ("terms", .string(terms.rawValue)), ("rateDigits", .int(rateDigits)),
            ("scheduleSource", .string(scheduleSource.rawValue)), ("paidFromRegister", .bool(paidFromRegister)),
        ])
    }
}
