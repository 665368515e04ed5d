import PFSModel

/// One line of an adjustment: a payer → payee amount under a clause, as issued (with any
/// earlier adjustments), as restated by the corrected contract, and the difference.
public struct AdjustmentLine: Sendable, Hashable {
    public let payer: Settlement.PartyReference
    public let payee: Settlement.PartyReference
    public let clause: String
    public let issued: ExactDecimal
    public let restated: ExactDecimal
    public let difference: ExactDecimal

    public init(
        payer: Settlement.PartyReference, payee: Settlement.PartyReference, clause: String, issued: ExactDecimal,
        restated: ExactDecimal, difference: ExactDecimal
    ) {
        self.payer = payer
        self.payee = payee
        self.clause = clause
        self.issued = issued
        self.restated = restated
        self.difference = difference
    }
}

/// One part of a project's division as the annual settlement states it — the attributable
/// improvement, or one party's share of it (the public sector's kept share included) — as
/// issued, as restated, and the difference.
public struct DivisionLine: Sendable, Hashable {
    /// The project.
    public let project: String
    /// The party whose share it is; nil for the project's attributable improvement.
    public let party: Settlement.PartyReference?
    public let issued: ExactDecimal
    public let restated: ExactDecimal
    public let difference: ExactDecimal

    public init(
        project: String, party: Settlement.PartyReference?, issued: ExactDecimal, restated: ExactDecimal,
        difference: ExactDecimal
    ) {
        self.project = project
        self.party = party
        self.issued = issued
        self.restated = restated
        self.difference = difference
    }
}

/// What an adjustment corrects and why.
public struct AdjustmentFacts: Sendable, Hashable {
    public let number: Int
    public let reason: String
    /// The issued statement it corrects: its path and SHA-256.
    public let corrects: String
    public let correctsSHA256: String
    public let digestBefore: String
    public let digestAfter: String
    public let policy: CorrectionPolicy
    /// Whether the year's issued amounts were paid (all of them) when it was corrected.
    public let paid: Bool
    public let lines: [AdjustmentLine]
    /// The projects' division restated: each attributable improvement and every share of it.
    public let division: [DivisionLine]

    public init(
        number: Int, reason: String, corrects: String, correctsSHA256: String, digestBefore: String,
        digestAfter: String,
        policy: CorrectionPolicy, paid: Bool, lines: [AdjustmentLine], division: [DivisionLine] = []
    ) {
        self.division = division
        self.number = number
        self.reason = reason
        self.corrects = corrects
        self.correctsSHA256 = correctsSHA256
        self.digestBefore = digestBefore
        self.digestAfter = digestAfter
        self.policy = policy
        self.paid = paid
        self.lines = lines
    }
}

/// The adjustment statement (修正精算書): for each payer, payee and clause of a corrected
/// year, what was issued, what the corrected contract gives and the difference, and how the
/// difference is settled. The issued statement stays as it was.
public enum AdjustmentStatement {
    /// Builds the document from the restated year's settlement and the adjustment's facts.
    public static func document(_ restated: Settlement, _ facts: AdjustmentFacts) -> Document {
        let year = FiscalYearName(restated.fiscalYear)
        let header =
            Common.header(restated) + [
                Fact("adjustment", Phrase("Adjustment", "修正"), .integer(facts.number)),
                Fact("reason", Phrase("Reason", "理由"), .text(facts.reason)),
                Fact(
                    "corrects", Phrase("Corrects", "修正対象"),
                    .text("\(facts.corrects) (SHA-256 \(facts.correctsSHA256))")),
                Fact("digestBefore", Phrase("Contract digest as issued", "発行時の契約ダイジェスト"), .text(facts.digestBefore)),
                Fact("digestAfter", Phrase("Contract digest as corrected", "修正後の契約ダイジェスト"), .text(facts.digestAfter)),
                Fact("policy", Phrase("Correction policy", "修正の精算方法"), .text(facts.policy.rawValue)),
            ]
        var table = Table(
            "lines",
            [
                Column("payer", Phrase("Payer", "委託者")), Column("payee", Phrase("Payee", "受託者（債権者）")),
                Column("clause", Phrase("Clause", "支払項目")),
                Common.amountColumn("issued", Phrase("Issued", "発行額"), restated),
                Common.amountColumn("restated", Phrase("Restated", "修正後"), restated),
                Common.amountColumn("difference", Phrase("Difference", "差額"), restated),
                Column("settlement", Phrase("Settled by", "差額の精算")),
            ])
        for line in facts.lines {
            table.rows.append([
                .phrase(Common.partyName(line.payer)), .phrase(Common.partyName(line.payee)), .text(line.clause),
                .amount(line.issued), .amount(line.restated), .amount(line.difference), .phrase(settledBy(line, facts)),
            ])
        }
        table.totals = [
            [
                .phrase(Phrase("Total", "合計")), .empty, .empty, Common.sum(facts.lines.map(\.issued)),
                Common.sum(facts.lines.map(\.restated)), Common.sum(facts.lines.map(\.difference)), .empty,
            ]
        ]
        let note = Phrase(
            """
            The issued statement stays as issued; this statement adds the difference. Every figure of the \
            restated year is in its audit trail.
            """,
            "発行済みの算定書はそのまま有効で、本書は差額のみを加えます。修正後の年度の各数値は算定根拠書に記載しています。")
        var sections = [Section("adjustment", Phrase("Amounts corrected", "修正額"), [.table(table), .note(note)])]
        if !facts.division.isEmpty { sections.append(divisionSection(facts, restated)) }
        sections.append(Common.technicalSection(restated))
        return Document(
            kind: .adjustment(number: facts.number),
            title: Phrase(
                "Adjustment statement \(facts.number) — \(year.display(.en))",
                "修正算定書 第\(facts.number)号 — \(year.display(.ja))"),
            settlement: restated, header: header, sections: sections)
    }

    /// The whole division restated as the annual settlement states it: per project, the
    /// attributable improvement and each party's share — what the public sector keeps too,
    /// which no payment shows.
    static func divisionSection(_ facts: AdjustmentFacts, _ restated: Settlement) -> Section {
        var table = Table(
            "division",
            [
                Column("project", Phrase("Project", "事業")), Column("part", Phrase("Part", "区分")),
                Common.amountColumn("issued", Phrase("Issued", "発行額"), restated),
                Common.amountColumn("restated", Phrase("Restated", "修正後"), restated),
                Common.amountColumn("difference", Phrase("Difference", "差額"), restated),
            ])
        for line in facts.division {
            let project = restated.projects.first { $0.id == line.project }
            let part =
                line.party.map { party in
                    party.id == project?.payer.id
                        ? Phrase("kept by ", "") + Common.partyName(party) + Phrase("", "に帰属する財政効果（支払なし）")
                        : Phrase("share of ", "") + Common.partyName(party) + Phrase("", "への配分")
                } ?? Phrase("attributable improvement", "寄与額")
            table.rows.append([
                .phrase(project.map { Phrase($0.name, fallback: $0.id) } ?? Phrase(verbatim: line.project)),
                .phrase(part), .amount(line.issued), .amount(line.restated), .amount(line.difference),
            ])
        }
        return Section(
            "division", Phrase("The division restated", "成果配分の修正"),
            [
                .table(table),
                .note(
                    Phrase(
                        """
                        Each project's attributable improvement and every share of it, as issued and as restated: \
                        the shares add up to the attributable improvement on both sides.
                        """,
                        "各事業の寄与額とその配分（発行時と修正後）。いずれも配分の合計は寄与額に一致します。")),
            ])
    }

    static func settledBy(_ line: AdjustmentLine, _ facts: AdjustmentFacts) -> Phrase {
        if line.difference > .zero {
            return Phrase("additional payment due", "追加支払")
        } else if line.difference == .zero {
            return Phrase("no change", "変更なし")
        }
        switch facts.policy {
        case .refund: return Phrase("refund due from the payee", "受託者から返還（市への納付）")
        case .adjustNextPayment: return Phrase("deducted from the next payment", "次回の支払から控除")
        }
    }
}
