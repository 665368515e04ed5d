import PFSModel

/// The overview a payment document opens with (1 事業概要: the contract, the years, the
/// administrative record a 支出 needs), the parts it runs in, and the technical annex it
/// ends with.
extension Common {
    /// 1 事業概要: what, which year, paid from which budget, and the administrative record a
    /// payment (支出) document needs, where the contract declares it. Hashes, the engine and
    /// the rule versions are in the technical annex (``technicalSection(_:)``), not here.
    static func header(_ s: Settlement) -> [Fact] {
        let year = s.fiscalYear
        let admin = s.administration
        var facts = [
            Fact("title", Phrase("Contract", "契約件名"), .phrase(Phrase(s.contract.title, fallback: s.contract.id)))
        ]
        if let number = admin?.contractNumber {
            facts.append(Fact("contractNumber", Phrase("Contract number", "契約番号"), .text(number)))
        }
        if let concluded = admin?.concluded {
            facts.append(Fact("concluded", Phrase("Concluded", "契約締結日"), .phrase(date(concluded, s))))
        }
        if let clauses = admin?.clauses {
            facts.append(Fact("clauses", Phrase("Payment clauses", "支払条件の根拠規定"), .text(clauses)))
        }
        facts += [
            Fact("fiscalYear", Phrase("Outcome year", "成果対象年度"), .fiscalYear(FiscalYearName(year))),
            Fact("period", Phrase("Period", "期間"), .phrase(period(year))),
            Fact("paymentYear", Phrase("Payment year (fiscal year)", "支払年度（会計年度）"), .phrase(paymentYear(s.paymentYear))),
        ]
        if let account = admin?.budgetAccount {
            // The budget that pays is the payment year's (予算年度), not the outcome year's.
            let budgetYear = FiscalYearName(s.paymentYear.fiscalYear)
            facts.append(
                Fact(
                    "budget", Phrase("Budget line", "予算科目"),
                    .phrase(
                        Phrase(
                            "\(account), budget of \(budgetYear.display(.en))",
                            "\(account)（予算年度 \(budgetYear.display(.ja))）"))))
        }
        if let commitment = admin?.commitment {
            facts.append(Fact("commitment", Phrase("Commitment (支出負担行為)", "支出負担行為"), .text(commitment)))
        }
        if let debt = admin?.debtBurden {
            facts += debtBurden(debt, s)
        }
        if let tax = admin?.tax {
            facts.append(
                Fact(
                    "tax", Phrase("Consumption tax", "消費税及び地方消費税"),
                    .phrase(
                        tax.included
                            ? Phrase("included in the amounts", "含む（金額は税込）")
                            : Phrase(
                                "not included\(tax.rate.map { " (rate \($0.percent))" } ?? "")",
                                "含まない（金額は税抜\(tax.rate.map { "、税率\($0.percent)" } ?? "")）"))))
        }
        if let record = admin?.years.first {
            if let evaluated = record.evaluated {
                facts.append(
                    Fact("evaluated", Phrase("Outcomes confirmed by the evaluator", "評価確定日"), .phrase(date(evaluated, s))))
            }
            if let report = record.report {
                facts.append(Fact("report", Phrase("Evaluation report", "評価報告書"), .text(report)))
            }
        }
        facts += [
            Fact("amounts", Phrase("Amounts in", "金額単位"), .phrase(unitLine(s.amounts))),
            Fact("rounding", Phrase("Rounding", "端数処理"), .phrase(rounding(s.rounding, s.amounts))),
        ]
        if let admin {
            if let office = admin.office { facts.append(Fact("office", Phrase("Issued by", "作成課"), .text(office))) }
            switch admin.seal {
            case .omitted?:
                facts.append(Fact("seal", Phrase("Official seal", "公印"), .phrase(Phrase("omitted", "公印省略"))))
            case .electronic?:
                facts.append(
                    Fact(
                        "seal", Phrase("Official seal", "公印"),
                        .phrase(
                            Phrase(
                                "signed electronically (Ed25519): who signed and when is in the signature files and the register",
                                "電子署名（Ed25519）による。署名者・署名日時は署名ファイル及び台帳の記録による"))))
            case nil: break
            }
            // Filled in by hand or by the document system, as on a municipal form.
            facts.append(Fact("issued", Phrase("Date of issue", "作成日"), .phrase(Phrase("(to be entered)", "令和　　年　　月　　日"))))
            facts.append(Fact("documentNumber", Phrase("Document number", "文書番号"), .phrase(Phrase("(to be entered)", "第　　　　号"))))
        }
        return facts
    }

    /// `千円` in Japanese (the 千円 says it all); `thousand yen (JPY × 1,000)` in English.
    static func unitLine(_ amounts: Settlement.AmountUnitInfo) -> Phrase {
        let unit = unit(amounts)
        return Phrase("\(unit.en) (\(amounts.currency) × \(amounts.scale.formatted(groupingSeparator: ",")))", unit.ja)
    }

    /// A date as a document writes it: ISO in English, 令和7年5月16日 in Japanese for a
    /// Japanese fiscal year's contract, 2025年5月16日 otherwise.
    static func date(_ iso: String, _ s: Settlement) -> Phrase { date(iso, namedAs: s.fiscalYear) }

    /// 債務負担行為: its span and limit, and — the figure a 財政課 checks first — what is spent
    /// under it with this year's payment and what remains.
    static func debtBurden(_ debt: Administration.DebtBurden, _ s: Settlement) -> [Fact] {
        let first = FiscalYearName(debt.first, like: s.fiscalYear), last = FiscalYearName(debt.last, like: s.fiscalYear)
        let setIn = FiscalYearName(debt.setIn, like: s.fiscalYear)
        var facts = [
            Fact(
                "debtBurden", Phrase("Multi-year authorisation (債務負担行為)", "債務負担行為"),
                .phrase(
                    Phrase(
                        "set in \(setIn.display(.en)), \(first.display(.en)) to \(last.display(.en))",
                        "\(setIn.display(.ja))設定、期間 \(first.display(.ja))～\(last.display(.ja))"))),
            Fact("debtLimit", Phrase("Its limit", "限度額"), .amount(debt.limit)),
        ]
        if let spent = spentToDate(s) {
            facts.append(Fact("debtSpent", Phrase("Spent under it, this year included", "執行済額（本件を含む）"), .amount(spent)))
            if let left = try? debt.limit.subtracting(spent) {
                facts.append(Fact("debtRemaining", Phrase("Remaining", "残額"), .amount(left)))
            }
        }
        return facts
    }

    /// What the contract has paid to date with this year's amounts: the outcome payments'
    /// running total, or the providers' rewards where a reward maximum counts them; nil
    /// where the settlement does not carry it.
    static func spentToDate(_ s: Settlement) -> ExactDecimal? {
        if let paid = s.paymentTotals { return paid.paidToDate }
        return s.carriedForward?.rewardsPaid
    }

    /// The technical annex: where every figure can be checked from — the contract file and
    /// its digests, the engine, the register's authority and the rules with their versions.
    static func technicalSection(_ s: Settlement) -> Section {
        var facts = [
            Fact("contract", Phrase("Contract id", "契約ID"), .text(s.contract.id)),
            Fact("file", Phrase("Contract file", "契約ファイル"), .text(s.contract.file)),
            Fact("sha256", Phrase("File SHA-256", "ファイルSHA-256"), .text(s.contract.sha256)),
            Fact(
                "digest", Phrase("Contract digest (canonical SHA-256)", "契約ダイジェスト（正規化SHA-256）"),
                .text(s.contract.digest)),
            Fact(
                "settlementDigest", Phrase("Settlement digest (SHA-256)", "算定結果ダイジェスト（SHA-256）"),
                .text(SettlementDigest.of(s))),
            Fact("engine", Phrase("Engine", "計算エンジン"), .text("\(s.engine.name) \(s.engine.version)")),
        ]
        if let register = s.register {
            facts.append(
                Fact(
                    "authority", Phrase("Register authority (key fingerprint)", "台帳の認証局（鍵フィンガープリント）"),
                    .text(register.authority)))
        }
        facts.append(
            Fact(
                "rules", Phrase("Rules applied", "適用ルール"),
                .phrase(
                    Phrase(
                        s.rules.map { "\($0.rule) v\($0.version)" }.joined(separator: ", "),
                        s.rules.map { "\(ruleNameJA($0.rule)) 第\($0.version)版" }.joined(separator: "、")))))
        return Section("technical", Phrase("Annex: technical information", "別紙 技術情報（検証用）"), [.facts(facts)])
    }

    /// A calculation rule by its Japanese name (財政効果算定), for the annex a 決裁 reader may
    /// open; the rule's id where it has none.
    static func ruleNameJA(_ rule: String) -> String {
        let names = [
            "fiscal-improvement": "財政効果算定", "largest-remainder": "端数配分（最大剰余法）", "profit-share": "成果配分",
            "negative-improvement/floor": "負の効果の扱い（0で打切り）", "negative-improvement/carry-forward": "欠損額の引継ぎ",
            "negative-improvement/claw-back": "過年度不足分の控除", "reward-maximum": "成果報酬の上限", "payment-limits": "支払上限額",
            "sib-waterfall": "SIBの分配順位", "targets": "成果指標の目標", "payment/fixed": "固定額", "payment/per-unit": "成果単価方式",
            "payment/per-beneficiary": "成果単価方式（対象者ごとの上限）", "payment/per-unit-threshold": "成果単価方式（閾値あり）",
            "payment/band-linear": "比例方式（下限値から上限値まで）", "payment/band-steps": "段階方式（区分表）",
            "payment/proportional": "比例方式", "payment/tiers": "段階方式（達成水準別）", "payment/threshold": "閾値方式",
            "payment/rate-card": "成果単価表方式", "payment/savings-share": "削減額の分配方式", "payment/conditions": "支払条件",
            "payment/measure": "成果の測り方", "payment/weighted-estimate": "加重推計", "projection/growth": "見込みの推計（伸び率）",
            "projection/linear": "見込みの推計（線形）", "projection/per-capita": "見込みの推計（1人あたり）",
        ]
        return names[rule] ?? rule
    }

    /// The parts of a payment document as municipal documents run (1 事業概要 is the header):
    /// 2 成果指標と評価結果, 3 支払額の算定, 4 支払額（確定額）; a heading per part that has
    /// sections, ending 「以上」, then the technical annex.
    static func municipalParts(
        outcomes: [Section], calculation: [Section], amounts: [Section], _ s: Settlement
    ) -> [Section] {
        let parts: [(String, Phrase, [Section])] = [
            ("outcomes", Phrase("Outcomes and their evaluation", "成果指標と評価結果"), outcomes),
            ("calculation", Phrase("How the amounts were calculated", "支払額の算定"), calculation),
            ("amounts", Phrase("Amounts (confirmed)", "支払額（確定額）"), amounts),
        ]
        var body: [Section] = []
        var number = 1
        for (key, title, sections) in parts where !sections.isEmpty {
            number += 1
            body.append(Section("part-\(key)", Phrase(verbatim: "\(number) ") + title))
            body += sections
        }
        return closed(body) + [technicalSection(s)]
    }

    /// The body ending as a municipal document ends: 「以上」 after its last part.
    static func closed(_ body: [Section]) -> [Section] {
        guard var last = body.last else { return body }
        last.blocks.append(.note(Phrase("End of statement.", "以上")))
        return body.dropLast() + [last]
    }

    /// Where the contract's amounts exclude consumption tax: the amount both ways, in the
    /// currency, the tax cut to the currency's unit (1円未満切捨て); nothing otherwise.
    static func taxFacts(_ total: ExactDecimal, _ s: Settlement) -> [Fact] {
        guard let tax = s.administration?.tax, !tax.included, let rate = tax.rate,
            let net = try? total.multiplied(by: s.amounts.scale).normalized(),
            let levy = try? RoundingRule(increment: .one, mode: .down).rounded(net.multiplied(by: rate)),
            let gross = try? net.adding(levy)
        else { return [] }
        return [
            Fact("netOfTax", Phrase("Amount before tax", "税抜額"), .phrase(money(net, s))),
            Fact(
                "tax", Phrase("Consumption tax (\(rate.percent), rounded down)", "消費税及び地方消費税（\(rate.percent)、1円未満切捨て）"),
                .phrase(money(levy, s))),
            Fact("withTax", Phrase("Amount with tax", "税込額"), .phrase(money(gross, s))),
        ]
    }

    /// When the contractor invoices and is paid, where the contract declares the year's dates;
    /// the payment date by law where only the invoice date is declared.
    static func invoiceFacts(_ s: Settlement) -> [Fact] {
        guard let record = s.administration?.years.first else { return [] }
        var facts: [Fact] = []
        if let invoiceBy = record.invoiceBy {
            facts.append(Fact("invoiceBy", Phrase("Invoice by", "請求書提出期限"), .phrase(date(invoiceBy, s))))
        }
        if let payBy = record.payBy {
            facts.append(Fact("payBy", Phrase("Payment date", "支払期日"), .phrase(date(payBy, s))))
        } else if record.invoiceBy != nil {
            facts.append(
                Fact(
                    "payBy", Phrase("Payment date", "支払期日"),
                    .phrase(
                        Phrase(
                            "within 30 days of a proper invoice (Act on Prevention of Delay in Payment under Government Contracts)",
                            "適法な請求書を受理した日から30日以内（政府契約の支払遅延防止等に関する法律）"))))
        }
        return facts
    }
}
